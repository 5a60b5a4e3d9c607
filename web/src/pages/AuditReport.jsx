// The printable audit report of one application (GET /api/applications/{id}/audit), and the
// server's own HTML page of it as a download.
import { useEffect, useState } from 'react';
import { api, download } from '../api.js';
import { ErrorBox, Link, Loading, Money, PageTitle, useLoad } from '../common.jsx';
import { useT, when } from '../i18n.js';
import { eventDetail } from './ApplicationPage.jsx';

const json = (value) => JSON.stringify(value);

export default function AuditReport({ me, applicationId }) {
  const t = useT();
  const report = useLoad(() => api(`applications/${applicationId}/audit`), [applicationId]);
  const [failure, setFailure] = useState(null);
  useEffect(() => { // a printed report shows every event's details
    const open = () => document.querySelectorAll('.report-page details').forEach((node) => { node.open = true; });
    window.addEventListener('beforeprint', open);
    return () => window.removeEventListener('beforeprint', open);
  }, []);
  if (report.error) return <ErrorBox error={report.error} onRetry={report.reload} />;
  if (!report.data) return <Loading />;
  const { application: app, policy_version: version, verification, replay, decisions, timeline } = report.data;
  const saveHtml = () => download(`applications/${applicationId}/audit?format=html`, 'text/html',
    `audit-${app.number}.html`).catch(setFailure);

  return (
    <div className="page report-page" data-testid="audit-report">
      <p className="crumbs"><Link to={`/applications/${applicationId}`}>{app.number}</Link> / {t('printableReport')}</p>
      <PageTitle>{t('reportTitle', { number: app.number })}</PageTitle>
      <p className="buttons no-print">
        <button type="button" className="primary" onClick={() => window.print()}>{t('printReport')}</button>
        <button type="button" onClick={saveHtml}>{t('downloadHtml')}</button>
      </p>
      <ErrorBox error={failure} />
      <p>
        {app.applicant_name} · {t.word('product', app.product)} · <Money value={app.amount} /> · {t('months', { n: app.tenor_months })}
        {' · '}{t('status')} <strong>{t.word('status', app.status)}</strong>, {t('stage')} <strong>{t.word('stage', app.stage)}</strong>
        <br />{t('policyVersion')}: {version.key} v{version.version}, <code>{version.sha256}</code>
        <br />{t('preparedFor', { name: me.name })}
      </p>
      <h2>{t('verificationReplay')}</h2>
      <p>
        {verification.result === 'intact'
          ? <span className="ok">{t('chainIntact', { events: verification.events })}</span>
          : <span className="bad">{t('chainBroken', { at: verification.broken_at, reason: verification.reason, detail: verification.detail })}</span>}
        <br />
        {replay.result === 'reproduced'
          ? <span className="ok">{t('reproduced', { checked: replay.checked })}</span>
          : <span className="bad">{t('diverged', { at: replay.at_seq })} {t('recorded')}: <code>{json(replay.recorded)}</code>; {t('replayed')}: <code>{json(replay.replayed)}</code></span>}
        {!replay.definition_intact && <><br /><span className="bad">{t('definitionChanged')}</span></>}
      </p>
      <h2>{t('decisions')}</h2>
      <table className="grid">
        <thead>
          <tr><th scope="col">{t('colSeq')}</th><th scope="col">{t('colElement')}</th><th scope="col">{t('colDecision')}</th>
            <th scope="col">{t('colInputs')}</th><th scope="col">{t('colRule')}</th><th scope="col">{t('colOutcome')}</th></tr>
        </thead>
        <tbody>
          {decisions.map((d) => (
            <tr key={d.seq}>
              <td>{d.seq}</td><td>{d.name || d.element}</td>
              {d.kind === 'rule' ? (
                <>
                  <td>{d.decision}</td><td><code>{json(d.inputs)}</code></td>
                  <td>{d.rule ? `${d.rule.id}${d.rule.description ? `: ${d.rule.description}` : ''}` : t('noneMatched')}</td>
                  <td><code>{json(d.outputs)}</code></td>
                </>
              ) : (
                <><td>{t('gateway')}</td><td /><td>{d.flow}</td><td>{d.outcome} → {d.target}</td></>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('timeline')}</h2>
      <table className="grid">
        <thead>
          <tr><th scope="col">{t('colSeq')}</th><th scope="col">{t('colWhen')}</th><th scope="col">{t('colWho')}</th>
            <th scope="col">{t('colWhat')}</th><th scope="col">{t('colDetails')}</th></tr>
        </thead>
        <tbody>
          {timeline.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td><td>{when(e.at, t.lang)}</td>
              <td>{e.actor}{e.role ? ` (${t.word('role', e.role)})` : ''}</td>
              <td>{t.word('event', e.type)}<br /><span className="muted mono">{e.type}</span></td>
              <td>{eventDetail(e, t)}<details><summary>{t('details')}</summary><code>{json(e.payload)}</code></details></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
