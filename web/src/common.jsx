// Small shared pieces: data loading, errors, money, badges, roles.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api.js';
import { rupiah, useT } from './i18n.js';

export const OFFICER_ROLES = ['account_officer', 'surveyor', 'credit_analyst', 'approver', 'operations',
  'collection', 'supervisor'];
export const APPLICATION_READERS = [...OFFICER_ROLES, 'auditor'];
export const AUDIT_READERS = ['auditor', 'supervisor', 'process_owner', 'credit_analyst', 'approver'];
export const DEFINITION_READERS = ['process_owner', 'auditor', 'supervisor'];
export const REPORT_READERS = ['supervisor', 'auditor', 'process_owner'];

export const holds = (me, roles) => Boolean(me && me.roles.some((role) => roles.includes(role)));

/** Load with `loader()` whenever `deps` change: {data, error, loading, reload}. */
export function useLoad(loader, deps) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const counter = useRef(0);
  const load = useCallback(() => {
    counter.current += 1;
    const mine = counter.current;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    loader().then(
      (data) => mine === counter.current && setState({ data, error: null, loading: false }),
      (error) => mine === counter.current && setState({ data: undefined, error, loading: false }),
    );
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(load, [load]);
  return { ...state, reload: load };
}

export function Loading() {
  const t = useT();
  return <p className="loading" role="status">{t('loading')}</p>;
}

export function ErrorBox({ error, onRetry }) {
  const t = useT();
  if (!error) return null;
  const denied = error instanceof ApiError && error.status === 403;
  return (
    <div className="alert alert-error" role="alert">
      <strong>{denied ? t('noAccess') : t('error')}</strong>
      {!denied && <span>: {error.message}</span>}
      {denied && error.message && <span className="muted"> ({error.message})</span>}
      {onRetry && <button type="button" className="link" onClick={onRetry}>{t('retry')}</button>}
    </div>
  );
}

export function Money({ value }) {
  return <span className="money">{rupiah(value)}</span>;
}

export function StageBadge({ stage }) {
  const t = useT();
  return <span className={`badge stage-${stage}`}>{t.word('stage', stage)}</span>;
}

export function StatusBadge({ status }) {
  const t = useT();
  return <span className={`badge status-${status}`}>{t.word('status', status)}</span>;
}

/** A page heading that takes the focus when the page opens (screen readers hear the new page). */
export function PageTitle({ children }) {
  const ref = useRef(null);
  useEffect(() => { ref.current?.focus({ preventScroll: true }); }, []);
  return <h1 tabIndex={-1} ref={ref}>{children}</h1>;
}

export function Json({ value }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

/** `#/path` links. */
export function Link({ to, children, ...rest }) {
  return <a href={`#${to}`} {...rest}>{children}</a>;
}
