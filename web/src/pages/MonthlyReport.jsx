// The monthly report (laporan bulanan) with charts and a CSV download.
import { useState } from 'react';
import { api, download } from '../api.js';
import BarChart from '../components/BarChart.jsx';
import { ErrorBox, Loading, Money, PageTitle, useLoad } from '../common.jsx';
import { number, rupiah, useT, when } from '../i18n.js';

const STAGES = ['collection', 'survey', 'analysis', 'approval', 'disbursement'];
const CLASS_COLORS = ['#1a7f37', '#bf8700', '#d97706', '#c2410c', '#b42318'];

function thisMonth() {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthName(month, lang) {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${month}-01T00:00:00Z`));
}

function Kpi({ label, value, extra, testId }) {
  return (
    <div className="kpi" data-testid={testId}>
      <span className="label">{label}</span>
      <span className="value">{value}</span>
      {extra && <span className="extra">{extra}</span>}
    </div>
  );
}

export default function MonthlyReport() {
  const t = useT();
  const [draft, setDraft] = useState(thisMonth);
  const [month, setMonth] = useState(thisMonth);
  const [failure, setFailure] = useState(null);
  const report = useLoad(() => api(`reports/monthly?month=${month}`), [month]);
  const data = report.data;
  const totals = data?.totals;
  const hours = (value) => (value === null || value === undefined ? '—' : number(value, t.lang, 2));
  const csv = () => download(`reports/monthly?month=${month}&format=csv`, 'text/csv', `laporan-bulanan-${month}.csv`)
    .catch(setFailure);

  return (
    <div className="page monthly-report">
      <PageTitle>{t('reportPageTitle')}</PageTitle>
      <form className="toolbar" onSubmit={(event) => { event.preventDefault(); setMonth(draft); }}>
        <label htmlFor="report-month">{t('month')}
          <input id="report-month" type="month" value={draft} required pattern="[0-9]{4}-[0-9]{2}"
            onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit" className="primary">{t('show')}</button>
        <button type="button" onClick={csv} disabled={!data}>{t('downloadCsv')}</button>
      </form>
      <ErrorBox error={failure} />
      <ErrorBox error={report.error} onRetry={report.reload} />
      {report.loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted">
            {t('period')}: {monthName(data.month, t.lang)} ({t('utcMonth')}) · {t('generatedAt')}: {when(data.generated_at, t.lang)}
          </p>
          <div className="kpis">
            <Kpi label={t('collected')} value={totals.collected.count} extra={rupiah(totals.collected.amount)} testId="kpi-collected" />
            <Kpi label={t('surveyed')} value={totals.surveyed} />
            <Kpi label={t('approved')} value={totals.approved.count} extra={rupiah(totals.approved.amount)} />
            <Kpi label={t('rejected')} value={totals.rejected} />
            <Kpi label={t('lapsed')} value={totals.lapsed} />
            <Kpi label={t('disbursed')} value={totals.disbursed.count} extra={rupiah(totals.disbursed.amount)} />
            <Kpi label={t('breaches')} value={totals.service_levels.breaches}
              extra={`${t('escalations')}: ${totals.service_levels.escalations}`} />
            <Kpi label={t('outstanding')} value={<Money value={totals.portfolio.outstanding} />}
              extra={`${t('nplRatio')}: ${totals.portfolio.npl_ratio_percent ?? '—'} %`} />
          </div>
          <div className="charts">
            <BarChart testId="chart-pipeline" title={t('pipelineChart')}
              labels={[t.word('stage', 'collection'), t.word('stage', 'survey'), t.word('stage', 'approval'), t.word('stage', 'disbursement')]}
              datasets={[{ label: t('count'), data: [totals.collected.count, totals.surveyed, totals.approved.count, totals.disbursed.count] }]}
              format={(v) => number(v, t.lang)} integer />
            <BarChart testId="chart-approvals" title={t('approvalsChart')}
              labels={data.account_officers.map((row) => `${row.account_officer} (${row.branch})`)}
              datasets={[
                { label: t('approved'), data: data.account_officers.map((row) => row.approved.count), color: '#1a7f37' },
                { label: t('rejected'), data: data.account_officers.map((row) => row.rejected), color: '#b42318' },
              ]}
              format={(v) => number(v, t.lang)} integer />
            <BarChart testId="chart-turnaround" title={t('turnaroundChart')}
              labels={STAGES.map((stage) => t.word('stage', stage))}
              datasets={[
                { label: t('meanHours'), data: STAGES.map((stage) => totals.turnaround[stage]?.mean_hours ?? null) },
                { label: t('medianHours'), data: STAGES.map((stage) => totals.turnaround[stage]?.median_hours ?? null) },
              ]}
              format={hours} />
            <BarChart testId="chart-portfolio" title={t('portfolioChart')}
              labels={['1', '2', '3', '4', '5'].map((k) => t.word('collectibility', k))}
              datasets={[{ label: t('outstanding'), data: ['1', '2', '3', '4', '5'].map((k) => totals.portfolio.collectibility[k]?.outstanding ?? 0) }]}
              colors={CLASS_COLORS} format={rupiah} integer />
          </div>
        </>
      )}
    </div>
  );
}
