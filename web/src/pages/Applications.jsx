// Credit applications, newest first, filtered by stage, status or number.
import { useState } from 'react';
import { api } from '../api.js';
import {
  ErrorBox, Link, Loading, Money, PageTitle, StageBadge, StatusBadge, useLoad,
} from '../common.jsx';
import { useT, when } from '../i18n.js';

const STAGES = ['collection', 'survey', 'analysis', 'approval', 'disbursement', 'monitoring', 'rescue', 'closed'];
const STATUSES = ['active', 'rejected', 'lapsed', 'disbursed', 'completed', 'paid_off'];
const PER_PAGE = 20;

export default function Applications({ embedded = false }) {
  const t = useT();
  const [filters, setFilters] = useState({ stage: '', status: '', number: '' });
  const [draft, setDraft] = useState(filters);
  const [page, setPage] = useState(1);
  const query = Object.entries(filters).filter(([, value]) => value)
    .map(([key, value]) => `&${key}=${encodeURIComponent(value)}`).join('');
  const list = useLoad(() => api(`applications?page=${page}&per_page=${PER_PAGE}${query}`), [page, query]);
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PER_PAGE)) : 1;

  return (
    <div className="page applications">
      {embedded ? <h2>{t('applicationsTitle')}</h2> : <PageTitle>{t('applicationsTitle')}</PageTitle>}
      <form className="toolbar" onSubmit={(event) => { event.preventDefault(); setPage(1); setFilters(draft); }}>
        <label>{t('filterStage')}
          <select value={draft.stage} onChange={(event) => setDraft({ ...draft, stage: event.target.value })}>
            <option value="">{t('anyStage')}</option>
            {STAGES.map((stage) => <option key={stage} value={stage}>{t.word('stage', stage)}</option>)}
          </select>
        </label>
        <label>{t('filterStatus')}
          <select value={draft.status} onChange={(event) => setDraft({ ...draft, status: event.target.value })}>
            <option value="">{t('anyStatus')}</option>
            {STATUSES.map((status) => <option key={status} value={status}>{t.word('status', status)}</option>)}
          </select>
        </label>
        <label>{t('searchNumber')}
          <input type="search" value={draft.number} placeholder="APP-2026-000001"
            onChange={(event) => setDraft({ ...draft, number: event.target.value })} />
        </label>
        <button type="submit" className="primary">{t('search')}</button>
      </form>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <p className="empty">{t('noApplications')}</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="grid" data-testid="applications">
          <caption className="visually-hidden">{t('applicationsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('number')}</th><th scope="col">{t('applicant')}</th>
              <th scope="col">{t('product')}</th><th scope="col" className="num">{t('amount')}</th>
              <th scope="col">{t('stage')}</th><th scope="col">{t('status')}</th>
              <th scope="col">{t('createdAt')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((app) => (
              <tr key={app.id}>
                <th scope="row"><Link to={`/applications/${app.id}`}>{app.number}</Link></th>
                <td>{app.applicant_name}</td>
                <td>{t.word('product', app.product)}</td>
                <td className="num"><Money value={app.amount} /></td>
                <td><StageBadge stage={app.stage} /></td>
                <td><StatusBadge status={app.status} /></td>
                <td>{when(app.created_at, t.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && pages > 1 && (
        <nav className="pager" aria-label={t('pageOf', { page, pages })}>
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('previous')}</button>
          <span>{t('pageOf', { page, pages })}</span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>{t('next')}</button>
        </nav>
      )}
    </div>
  );
}
