// The auditor's overview: the hash-chain verdict of every application at once.
import { useState } from 'react';
import { api } from '../api.js';
import { ErrorBox, Link, PageTitle } from '../common.jsx';
import { useT } from '../i18n.js';
import Applications from './Applications.jsx';

export default function AuditOverview({ me }) {
  const t = useT();
  const [verdicts, setVerdicts] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setVerdicts(await api('audit/verify'));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const broken = (verdicts || []).filter((v) => v.result !== 'intact');
  return (
    <div className="page audit-overview">
      <PageTitle>{t('navAudit')}</PageTitle>
      <p><button type="button" className="primary" onClick={run} disabled={busy}>{busy ? t('verifying') : t('verifyAll')}</button></p>
      <ErrorBox error={error} />
      <div role="status" aria-live="polite">
        {verdicts && (
          <p className={`alert ${broken.length ? 'alert-error' : 'alert-ok'}`} data-testid="verify-all-result">
            {t('verifyAllResult', { intact: verdicts.length - broken.length, broken: broken.length, total: verdicts.length })}
          </p>
        )}
      </div>
      {broken.length > 0 && (
        <ul>
          {broken.map((v) => (
            <li key={v.application_id}>
              <Link to={`/applications/${v.application_id}`}>{v.number}</Link>:{' '}
              {t('chainBroken', { at: v.broken_at, reason: v.reason, detail: v.detail })}
            </li>
          ))}
        </ul>
      )}
      <Applications me={me} embedded />
    </div>
  );
}
