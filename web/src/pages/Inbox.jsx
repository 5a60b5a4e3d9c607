// The inbox: open tasks of the officer's roles, unassigned and mine, sortable by due date and
// age, overdue ones marked; claim and release; counts per stage.
import { useState } from 'react';
import { allPages, api } from '../api.js';
import { ErrorBox, Link, Loading, OFFICER_ROLES, PageTitle, StageBadge, useLoad } from '../common.jsx';
import { age, useT, when } from '../i18n.js';

const STAGE_ORDER = ['collection', 'survey', 'analysis', 'approval', 'disbursement', 'monitoring', 'rescue'];

function StageCounts({ tasks }) {
  const t = useT();
  const counts = {};
  for (const task of tasks) counts[task.stage || 'none'] = (counts[task.stage || 'none'] || 0) + 1;
  const stages = Object.keys(counts).sort((a, b) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b));
  return (
    <section aria-labelledby="stage-counts" className="stage-counts">
      <h2 id="stage-counts">{t('countsPerStage')}</h2>
      <ul data-testid="stage-counts">
        {stages.map((stage) => (
          <li key={stage} className={`count stage-${stage}`}>
            <span className="count-label">{stage === 'none' ? '—' : t.word('stage', stage)}</span>
            <span className="count-value">{counts[stage]}</span>
          </li>
        ))}
        <li className="count count-total"><span className="count-label">{t('total')}</span>
          <span className="count-value">{tasks.length}</span></li>
      </ul>
    </section>
  );
}

function SortHeader({ label, column, sort, setSort }) {
  const active = sort.column === column;
  const flip = () => setSort({ column, descending: active ? !sort.descending : false });
  let ariaSort;
  if (active) ariaSort = sort.descending ? 'descending' : 'ascending';
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button type="button" className="sort" onClick={flip} data-testid={`sort-${column}`}>
        {label} <span aria-hidden="true">{active ? (sort.descending ? '▼' : '▲') : '↕'}</span>
      </button>
    </th>
  );
}

export default function Inbox({ me }) {
  const t = useT();
  const [assigned, setAssigned] = useState('any');
  const [role, setRole] = useState('');
  const [sort, setSort] = useState({ column: 'due_at', descending: false });
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState(null);
  const myRoles = me.roles.filter((r) => OFFICER_ROLES.includes(r));
  const roleQuery = role ? `&role=${role}` : '';

  const inbox = useLoad(() => allPages(`tasks?assigned=${assigned}&sort=${sort.column}${roleQuery}`),
    [assigned, sort.column, roleQuery]);
  const everything = useLoad(() => allPages(`tasks?assigned=any${roleQuery}`), [roleQuery]);

  async function act(task, verb) {
    setActionError(null);
    try {
      await api(`tasks/${task.id}/${verb}`, { method: 'POST' });
      setMessage(t(verb === 'claim' ? 'claimed' : 'released'));
      inbox.reload();
      everything.reload();
    } catch (error) {
      setActionError(error);
    }
  }

  const tasks = inbox.data ? [...inbox.data] : [];
  if (sort.descending) tasks.reverse();

  return (
    <div className="page inbox">
      <PageTitle>{t('inboxTitle')}</PageTitle>
      {everything.data && <StageCounts tasks={everything.data} />}
      <div className="filters" role="group" aria-label={t('filterAssigned')}>
        <fieldset className="segmented">
          <legend>{t('filterAssigned')}</legend>
          {[['any', 'assignedAny'], ['none', 'assignedNone'], ['me', 'assignedMe']].map(([value, label]) => (
            <label key={value} className={assigned === value ? 'on' : ''}>
              <input type="radio" name="assigned" value={value} checked={assigned === value}
                onChange={() => setAssigned(value)} />
              {t(label)}
            </label>
          ))}
        </fieldset>
        {myRoles.length > 1 && (
          <label className="inline">{t('filterRole')}
            <select value={role} onChange={(event) => setRole(event.target.value)}>
              <option value="">{t('allRoles')}</option>
              {myRoles.map((r) => <option key={r} value={r}>{t.word('role', r)}</option>)}
            </select>
          </label>
        )}
        <button type="button" onClick={() => { inbox.reload(); everything.reload(); }}>{t('refresh')}</button>
      </div>
      <p className="live" role="status" aria-live="polite">{message}</p>
      <ErrorBox error={actionError} />
      <ErrorBox error={inbox.error} onRetry={inbox.reload} />
      {inbox.loading && !inbox.data && <Loading />}
      {inbox.data && tasks.length === 0 && <p className="empty">{t('noTasks')}</p>}
      {tasks.length > 0 && (
        <table className="grid" data-testid="inbox">
          <caption className="visually-hidden">{t('inboxTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colTask')}</th>
              <th scope="col">{t('colApplication')}</th>
              <th scope="col">{t('colStage')}</th>
              <SortHeader label={t('colAge')} column="created_at" sort={sort} setSort={setSort} />
              <SortHeader label={t('colDue')} column="due_at" sort={sort} setSort={setSort} />
              <th scope="col">{t('colAssignee')}</th>
              <th scope="col">{t('colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id} className={task.overdue ? 'overdue' : undefined} data-task={task.task}
                data-application={task.application_number}>
                <th scope="row">
                  <Link to={`/tasks/${task.id}`}>{t.word('task', task.task) || task.title}</Link>
                  <span className="sub">{t.word('role', task.role)}</span>
                </th>
                <td><Link to={`/applications/${task.application_id}`}>{task.application_number}</Link></td>
                <td>{task.stage ? <StageBadge stage={task.stage} /> : '—'}</td>
                <td title={when(task.created_at, t.lang)}>{age(task.created_at, t)}</td>
                <td>
                  {task.due_at ? when(task.due_at, t.lang) : '—'}
                  {task.overdue && <span className="badge overdue-badge">{t('overdue')}</span>}
                </td>
                <td>{task.assignee || t('nobody')}</td>
                <td className="actions">
                  {task.status === 'open' && (
                    <button type="button" onClick={() => act(task, 'claim')}
                      aria-label={`${t('claim')}: ${t.word('task', task.task)} ${task.application_number}`}>
                      {t('claim')}
                    </button>
                  )}
                  {task.status === 'claimed' && task.assignee === me.name && (
                    <button type="button" onClick={() => act(task, 'release')}
                      aria-label={`${t('release')}: ${t.word('task', task.task)} ${task.application_number}`}>
                      {t('release')}
                    </button>
                  )}
                  <Link to={`/tasks/${task.id}`} className="button"
                    aria-label={`${t('open')}: ${t.word('task', task.task)} ${task.application_number}`}>{t('open')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
