// An application: its BPMN diagram with the path taken, current tasks and decisions marked, the
// timeline of events beside it; for auditors verify, replay and the state after event N.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api.js';
import ApplicationSummary from '../components/ApplicationSummary.jsx';
import BpmnDiagram from '../components/BpmnDiagram.jsx';
import {
  APPLICATION_READERS, AUDIT_READERS, DEFINITION_READERS, ErrorBox, holds, Json, Link, Loading,
  Money, PageTitle,
  StageBadge, StatusBadge, useLoad,
} from '../common.jsx';
import { useT, when } from '../i18n.js';
import { decoratePath } from '../path.js';

export function eventDetail(event, t) {
  const p = event.payload || {};
  switch (event.type) {
    case 'task_opened': case 'task_claimed': case 'task_released': case 'task_completed': case 'task_cancelled':
      return t.word('task', p.task);
    case 'gateway_passed': return `${p.name || p.element}: ${p.flow_name || p.flow} → ${p.target}`;
    case 'rule_evaluated': return `${p.name || p.element}: ${p.rule?.id || t('noneMatched')}`;
    case 'connector_called': return `${p.element} (${p.operation})`;
    case 'application_started': return p.data?.applicant?.name || '';
    default: return p.element || p.task || p.name || '';
  }
}

function Legend() {
  const t = useT();
  return (
    <ul className="legend" aria-label="legend">
      <li><span className="swatch swatch-done" aria-hidden="true" />{t('legendDone')}</li>
      <li><span className="swatch swatch-current" aria-hidden="true" />{t('legendCurrent')}</li>
      <li><span className="swatch swatch-decision" aria-hidden="true" />{t('legendDecision')}</li>
    </ul>
  );
}

function Timeline({ events, at, onPick }) {
  const t = useT();
  return (
    <section className="timeline card" aria-labelledby="timeline-title" data-testid="timeline">
      <h2 id="timeline-title">{t('timelineTitle')}</h2>
      <ol>
        {events.map((event) => {
          const classes = [`ev-${event.type}`];
          if (at !== null && event.seq > at) classes.push('later');
          if (at === event.seq) classes.push('at');
          const what = t.word('event', event.type);
          return (
            <li key={event.seq} className={classes.join(' ')} data-seq={event.seq}>
              <span className="seq">{event.seq}</span>
              <span>
                {onPick
                  ? <button type="button" className="link what" onClick={() => onPick(event.seq)}>{what}</button>
                  : <span className="what">{what}</span>}
                {' '}<span className="detail">{eventDetail(event, t)}</span>
              </span>
              <span className="meta">{when(event.at, t.lang)} · {event.actor}{event.role ? ` (${t.word('role', event.role)})` : ''}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function Verdicts({ applicationId }) {
  const t = useT();
  const [verify, setVerify] = useState(null);
  const [replay, setReplay] = useState(null);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState(null);
  const run = async (kind) => {
    setBusy(kind);
    setError(null);
    try {
      if (kind === 'verify') setVerify(await api(`applications/${applicationId}/audit/verify`));
      else setReplay(await api(`applications/${applicationId}/replay`, { method: 'POST' }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy('');
    }
  };
  return (
    <>
      <div className="audit-actions">
        <button type="button" className="primary" onClick={() => run('verify')} disabled={Boolean(busy)}>
          {busy === 'verify' ? t('verifying') : t('verify')}
        </button>
        <button type="button" className="primary" onClick={() => run('replay')} disabled={Boolean(busy)}>
          {busy === 'replay' ? t('replaying') : t('replay')}
        </button>
        <Link to={`/applications/${applicationId}/report`} className="button">{t('printableReport')}</Link>
      </div>
      <ErrorBox error={error} />
      <div role="status" aria-live="polite">
        {verify && (
          <p className={`verdict alert ${verify.result === 'intact' ? 'alert-ok' : 'alert-error'}`} data-testid="verify-result">
            {verify.result === 'intact'
              ? t('chainIntact', { events: verify.events })
              : t('chainBroken', { at: verify.broken_at, reason: verify.reason, detail: verify.detail })}
          </p>
        )}
        {replay && (
          <div className={`verdict alert ${replay.result === 'reproduced' ? 'alert-ok' : 'alert-error'}`} data-testid="replay-result">
            <p>{replay.result === 'reproduced' ? t('reproduced', { checked: replay.checked }) : t('diverged', { at: replay.at_seq })}</p>
            {!replay.definition_intact && <p className="bad">{t('definitionChanged')}</p>}
            {replay.result !== 'reproduced' && (
              <div className="state-grid">
                <div><h3>{t('recorded')}</h3><Json value={replay.recorded} /></div>
                <div><h3>{t('replayed')}</h3><Json value={replay.replayed} /></div>
              </div>
            )}
            {replay.error && <p>{replay.error}</p>}
          </div>
        )}
      </div>
    </>
  );
}

function PointInTime({ events, at, setAt, state, error }) {
  const t = useT();
  const last = events.length ? events[events.length - 1].seq : 1;
  const value = at ?? last;
  return (
    <div className="slider">
      <label htmlFor="at-slider">{t('stateAfter', { n: value, total: last })}</label>
      <input id="at-slider" type="range" min={1} max={last} step={1} value={value} data-testid="state-slider"
        aria-valuetext={t('stateAfter', { n: value, total: last })}
        onChange={(event) => setAt(Number(event.target.value) === last ? null : Number(event.target.value))} />
      {at !== null && <button type="button" onClick={() => setAt(null)}>{t('showLatest')}</button>}
      <ErrorBox error={error} />
      {state && state.at === at && (
        <div className="state-grid" data-testid="state-at" aria-live="polite">
          <div>
            <h3>{t('stage')}</h3>
            <p><StageBadge stage={state.stage} /> <StatusBadge status={state.status} /></p>
            <h3>{t('currentTasks')}</h3>
            <ul>{state.open_tasks.map((task) => <li key={task.task}>{t.word('task', task.task)}{task.assignee ? ` (${task.assignee})` : ''}</li>)}</ul>
            {state.open_tasks.length === 0 && <p className="muted">{t('noOpenTasks')}</p>}
            <h3>{t('decisions')}</h3>
            <p>{state.decisions.length}</p>
          </div>
          <details>
            <summary>{t('stateData')}</summary>
            <Json value={state.data} />
          </details>
        </div>
      )}
    </div>
  );
}

export default function ApplicationPage({ me, applicationId }) {
  const t = useT();
  const application = useLoad(() => api(`applications/${applicationId}`), [applicationId]);
  const events = useLoad(() => api(`applications/${applicationId}/events`), [applicationId]);
  const definition = application.data?.definition;
  const mayReadDiagram = holds(me, [...DEFINITION_READERS, ...APPLICATION_READERS]);
  const xml = useLoad(() => (definition && mayReadDiagram
    ? api(`definitions/${definition.key}/versions/${definition.version}/bpmn`, { accept: 'application/xml' })
    : Promise.resolve(null)), [definition?.key, definition?.version, mayReadDiagram]);
  const [at, setAt] = useState(null);
  const auditor = holds(me, AUDIT_READERS);

  const shownEvents = useMemo(() => (events.data || []).filter((event) => at === null || event.seq <= at), [events.data, at]);
  const [state, setState] = useState({ value: null, error: null });
  useEffect(() => {
    if (at === null) { setState({ value: null, error: null }); return undefined; }
    let cancelled = false;
    const timer = setTimeout(() => api(`applications/${applicationId}/state?at=${at}`).then(
      (value) => !cancelled && setState({ value, error: null }),
      (error) => !cancelled && setState({ value: null, error })), 250);
    return () => { cancelled = true; clearTimeout(timer); };
  }, [applicationId, at]);
  const stateNow = state.value && state.value.at === at ? state.value : null;
  const current = at === null ? (application.data?.open_tasks || []).map((task) => task.task)
    : (stateNow?.open_tasks || []).map((task) => task.task);
  const decorate = useMemo(() => decoratePath(shownEvents, current), [shownEvents, current.join(' ')]); // eslint-disable-line

  if (application.error) return <ErrorBox error={application.error} onRetry={application.reload} />;
  if (!application.data || !events.data) return <Loading />;
  const app = application.data;

  return (
    <div className="page application-page">
      <p className="crumbs"><Link to="/applications">{t('navApplications')}</Link> / {app.number}</p>
      <PageTitle>{app.number} · {app.applicant_name}</PageTitle>
      <p className="task-meta">
        <StageBadge stage={app.stage} /> <StatusBadge status={app.status} />
        <Money value={app.amount} />
        <span>{t.word('product', app.product)}</span>
        <span>{t('policyVersion')}: {definition.key} v{definition.version}</span>
      </p>
      <div className="diagram-layout">
        <section aria-labelledby="diagram-title">
          <h2 id="diagram-title">{t('diagramTitle')}</h2>
          {xml.error && <ErrorBox error={xml.error} />}
          {!mayReadDiagram && <p className="alert alert-info">{t('diagramDenied')}</p>}
          {xml.data && (
            <BpmnDiagram xml={xml.data} decorate={decorate} focusPath label={`${t('diagramTitle')}: ${definition.key} v${definition.version}`}>
              <div className="diagram-toolbar"><Legend />
                <span className="muted">{t('currentTasks')}: {current.map((task) => t.word('task', task)).join(', ') || '—'}</span>
              </div>
            </BpmnDiagram>
          )}
          <ApplicationSummary application={app} withLink={false} />
        </section>
        <div className="side-column">
          {auditor && (
            <section className="card audit-panel" aria-labelledby="audit-title" data-testid="audit-panel">
              <h2 id="audit-title">{t('auditTitle')}</h2>
              <Verdicts applicationId={app.id} />
              <PointInTime events={events.data} at={at} setAt={setAt} state={stateNow} error={state.error} />
            </section>
          )}
          <Timeline events={events.data} at={at} onPick={auditor ? setAt : null} />
        </div>
      </div>
    </div>
  );
}
