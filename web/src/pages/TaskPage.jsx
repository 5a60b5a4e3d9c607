// One task: its form from the task's JSON Schema with prefilled data, the server's field errors
// next to the fields, and the application summary beside it.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api.js';
import ApplicationSummary from '../components/ApplicationSummary.jsx';
import SchemaForm, { initialData } from '../components/SchemaForm.jsx';
import {
  ErrorBox, Link, Loading, Money, PageTitle, StageBadge, useLoad,
} from '../common.jsx';
import { useT, when } from '../i18n.js';

function fieldLabel(schema, path, t) {
  let node = schema;
  const parts = path.split('.');
  for (const part of parts) node = node?.properties?.[part];
  return t.field(parts.at(-1), node?.title);
}

function ErrorSummary({ errors, schema, summaryRef }) {
  const t = useT();
  const focus = (path) => {
    const target = document.getElementById(`root_${path.replace(/\./g, '_')}`);
    target?.focus();
  };
  return (
    <div className="alert alert-error error-summary" role="alert" tabIndex={-1} ref={summaryRef}
      data-testid="error-summary">
      <h2>{t('errorsSummary')}</h2>
      <p>{t('formHasErrors')}</p>
      <ul>
        {Object.entries(errors).map(([path, messages]) => (
          <li key={path}>
            {path === '(form)' || path === '_schema'
              ? messages.join(' ')
              : (
                <button type="button" className="link" onClick={() => focus(path)}>
                  {fieldLabel(schema, path, t)}
                </button>
              )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Done({ application }) {
  const t = useT();
  return (
    <section className="card done" data-testid="task-done" aria-labelledby="done-title">
      <h2 id="done-title" tabIndex={-1} ref={(node) => node?.focus()}>{t('submitted')}</h2>
      <p data-testid="moved-on">
        {t('nowAt', { number: application.number, stage: t.word('stage', application.stage),
          status: t.word('status', application.status) })}{' '}
        <StageBadge stage={application.stage} />
      </p>
      <h3>{t('nextTasks')}</h3>
      {application.open_tasks.length === 0 && <p className="muted">{t('noOpenTasks')}</p>}
      <ul>
        {application.open_tasks.map((task) => (
          <li key={task.id}>
            <Link to={`/tasks/${task.id}`}>{t.word('task', task.task) || task.title}</Link>
            {' '}<span className="muted">({t.word('role', task.role)})</span>
          </li>
        ))}
      </ul>
      <p className="buttons">
        <Link to="/inbox" className="button">{t('backToInbox')}</Link>
        <Link to={`/applications/${application.id}`} className="button">{t('viewApplication')}</Link>
      </p>
    </section>
  );
}

export default function TaskPage({ me, taskId }) {
  const t = useT();
  const task = useLoad(() => api(`tasks/${taskId}`), [taskId]);
  const applicationId = task.data?.application_id;
  const application = useLoad(
    () => (applicationId ? api(`applications/${applicationId}`) : Promise.resolve(null)), [applicationId]);
  const [formData, setFormData] = useState(null);
  const [errors, setErrors] = useState(null);
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const summaryRef = useRef(null);
  const [focusForm, setFocusForm] = useState(false);

  useEffect(() => {
    if (task.data && formData === null) setFormData(initialData(task.data.form, task.data.data));
  }, [task.data, formData]);
  useEffect(() => { if (errors) summaryRef.current?.focus(); }, [errors]);
  useEffect(() => { // after a claim the keyboard goes straight on to the form's first field
    if (!focusForm || task.data?.status !== 'claimed') return;
    const first = document.querySelector('.schema-form input:not([disabled]), .schema-form select:not([disabled]), .schema-form textarea:not([disabled])');
    if (first) { first.focus(); setFocusForm(false); }
  });

  if (task.loading && !task.data) return <Loading />;
  if (task.error) return <ErrorBox error={task.error} onRetry={task.reload} />;
  const row = task.data;
  const mayWork = me.roles.includes(row.role);
  const isOpen = row.status === 'open' || row.status === 'claimed';
  const mine = row.status === 'claimed' && row.assignee === me.name;

  async function claim() {
    setFailure(null);
    try {
      await api(`tasks/${row.id}/claim`, { method: 'POST' });
      setFocusForm(true);
      task.reload();
    } catch (error) {
      setFailure(error);
    }
  }

  async function submit(data) {
    setBusy(true);
    setFailure(null);
    try {
      const moved = await api(`tasks/${row.id}/complete`, { method: 'POST', body: { data } });
      setErrors(null);
      setResult(moved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.errors) setErrors(error.errors);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  function change(data) {
    // A field the officer changed loses its old error; the others keep theirs until resubmitted.
    if (errors) {
      const kept = Object.fromEntries(Object.entries(errors).filter(([path]) => {
        const read = (source) => path.split('.').reduce((node, part) => node?.[part], source);
        return JSON.stringify(read(data)) === JSON.stringify(read(formData));
      }));
      setErrors(Object.keys(kept).length ? kept : null);
    }
    setFormData(data);
  }

  const title = t.word('task', row.task) || row.title;
  return (
    <div className="page task-page">
      <p className="crumbs"><Link to="/inbox">{t('navInbox')}</Link> / {row.application_number}</p>
      <PageTitle>{title} <span className="muted">· {row.application_number}</span></PageTitle>
      <div className="columns">
        <div className="main-column">
          <div className="task-meta">
            {row.stage && <StageBadge stage={row.stage} />}
            <span>{t.word('role', row.role)}</span>
            {row.due_at && <span>{t('due')}: {when(row.due_at, t.lang)}</span>}
            {row.overdue && <span className="badge overdue-badge">{t('overdue')}</span>}
            {row.required_authority_limit != null && (
              <span>{t('requiredAuthority')}: <Money value={row.required_authority_limit} /></span>
            )}
          </div>
          {row.instructions && <p className="instructions"><strong>{t('instructions')}:</strong> {row.instructions}</p>}
          {result && <Done application={result} />}
          {!result && (
            <>
              {!isOpen && <p className="alert">{t('taskDone', { status: t.word('status', row.status) })}</p>}
              {isOpen && !mayWork && <p className="alert">{t('readOnly')}</p>}
              {isOpen && mayWork && row.status === 'open' && (
                <div className="alert alert-info claim-first">
                  <span>{t('claimFirst')}</span>
                  <button type="button" className="primary" onClick={claim}>{t('claim')}</button>
                </div>
              )}
              {isOpen && mayWork && row.status === 'claimed' && !mine && (
                <p className="alert">{t('heldBy', { name: row.assignee })}</p>
              )}
              <ErrorBox error={failure} />
              {errors && <ErrorSummary errors={errors} schema={row.form} summaryRef={summaryRef} />}
              {formData && (
                <SchemaForm schema={row.form} formData={formData} onChange={change} onSubmit={submit}
                  errors={errors} disabled={!mine || busy}>
                  <div className="form-actions">
                    {mine && (
                      <button type="submit" className="primary" disabled={busy}>
                        {busy ? t('submitting') : t('submit')}
                      </button>
                    )}
                    {mine && (
                      <button type="button" onClick={async () => {
                        await api(`tasks/${row.id}/release`, { method: 'POST' }).catch(setFailure);
                        task.reload();
                      }}>{t('release')}</button>
                    )}
                  </div>
                </SchemaForm>
              )}
            </>
          )}
        </div>
        <aside className="side-column" aria-label={t('summaryTitle')}>
          {application.data && <ApplicationSummary application={result || application.data} />}
          {application.error && <ErrorBox error={application.error} />}
        </aside>
      </div>
    </div>
  );
}
