// An account officer registers a credit application with the start form (POST /api/applications).
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api.js';
import SchemaForm from '../components/SchemaForm.jsx';
import { ErrorBox, Link, Loading, PageTitle, StageBadge, useLoad } from '../common.jsx';
import { useT } from '../i18n.js';

const START_FORM_ID = 'https://alur.example/forms/start_application.schema.json';

export default function NewApplication() {
  const t = useT();
  // The start form's JSON Schema as the OpenAPI document publishes it.
  const spec = useLoad(() => api('openapi.json'), []);
  const [formData, setFormData] = useState({});
  const [errors, setErrors] = useState(null);
  const [failure, setFailure] = useState(null);
  const [created, setCreated] = useState(null);
  const [busy, setBusy] = useState(false);
  const summary = useRef(null);
  useEffect(() => { if (errors) summary.current?.focus(); }, [errors]);

  if (spec.error) return <ErrorBox error={spec.error} onRetry={spec.reload} />;
  if (!spec.data) return <Loading />;
  const component = spec.data.components?.schemas?.StartApplicationForm;
  const schema = { $id: START_FORM_ID, ...component };

  async function submit(data) {
    setBusy(true);
    setFailure(null);
    try {
      setCreated(await api('applications', { method: 'POST', body: data }));
      setErrors(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.errors) setErrors(error.errors);
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  if (created) {
    const first = created.open_tasks[0];
    return (
      <div className="page">
        <PageTitle>{t('registered', { number: created.number })}</PageTitle>
        <p><StageBadge stage={created.stage} /></p>
        <p className="buttons">
          {first && <Link to={`/tasks/${first.id}`} className="button primary">{t.word('task', first.task)}</Link>}
          <Link to={`/applications/${created.id}`} className="button">{t('viewApplication')}</Link>
          <button type="button" onClick={() => { setCreated(null); setFormData({}); }}>{t('navNew')}</button>
        </p>
      </div>
    );
  }

  return (
    <div className="page new-application">
      <PageTitle>{t('newTitle')}</PageTitle>
      <ErrorBox error={failure} />
      {errors && (
        <div className="alert alert-error" role="alert" tabIndex={-1} ref={summary} data-testid="error-summary">
          <strong>{t('errorsSummary')}</strong>
          <p>{t('formHasErrors')}</p>
        </div>
      )}
      <SchemaForm schema={schema} formData={formData} onChange={setFormData} onSubmit={submit} errors={errors} disabled={busy}>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? t('submitting') : t('register')}</button>
        </div>
      </SchemaForm>
    </div>
  );
}
