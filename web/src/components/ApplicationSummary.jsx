// The application beside a form or diagram: applicant, amount, DSR, decisions so far.
import { Link, Money, StageBadge, StatusBadge } from '../common.jsx';
import { percentBp, useT, when } from '../i18n.js';

function Row({ label, children, testId }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function shortValue(value) {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** One line per decision: a gateway's outcome, or a rule's matched row and main outputs. */
export function DecisionLine({ decision }) {
  const t = useT();
  if (decision.kind === 'gateway') {
    return (
      <>
        <span className="decision-name">{decision.name || decision.element}</span>
        {': '}<strong>{decision.outcome || decision.flow}</strong>
        <span className="muted"> → {decision.target}</span>
      </>
    );
  }
  const outputs = Object.entries(decision.outputs || {}).filter(([key]) => key !== 'holidays');
  return (
    <>
      <span className="decision-name">{decision.name || decision.element}</span>
      {': '}<strong>{decision.rule?.id || t('noneMatched')}</strong>
      {outputs.length > 0 && (
        <span className="muted"> ({outputs.map(([key, value]) => `${key} = ${shortValue(value)}`).join(', ')})</span>
      )}
    </>
  );
}

export default function ApplicationSummary({ application, withLink = true }) {
  const t = useT();
  const s = application.summary || {};
  const dsrAnalysed = s.analysed_dsr_bp;
  return (
    <section className="summary card" aria-labelledby="summary-title" data-testid="application-summary">
      <h2 id="summary-title">{t('summaryTitle')}</h2>
      <dl className="facts">
        <Row label={t('number')}>
          {withLink ? <Link to={`/applications/${application.id}`}>{application.number}</Link> : application.number}
        </Row>
        <Row label={t('applicant')} testId="summary-applicant">{application.applicant_name}</Row>
        <Row label={t('product')}>{t.word('product', application.product)}</Row>
        <Row label={t('amount')} testId="summary-amount"><Money value={application.amount} /></Row>
        <Row label={t('tenor')}>{t('months', { n: application.tenor_months })}</Row>
        {s.declared_dsr_bp != null && (
          <Row label={t('dsrDeclared')} testId="summary-dsr">{percentBp(s.declared_dsr_bp, t.lang)}</Row>
        )}
        {dsrAnalysed != null && <Row label={t('dsrAnalysed')}>{percentBp(dsrAnalysed, t.lang)}</Row>}
        {s.installment != null && <Row label={t('installment')}><Money value={s.installment} /></Row>}
        {s.ltv_bp != null && <Row label={t('ltv')}>{percentBp(s.ltv_bp, t.lang)}</Row>}
        {s.risk_grade && <Row label={t('riskGrade')}>{s.risk_grade}</Row>}
        {s.recommended_amount != null && <Row label={t('recommendedAmount')}><Money value={s.recommended_amount} /></Row>}
        {s.approval_tier && <Row label={t('approvalTier')}>{s.approval_tier}</Row>}
        {s.approved_amount != null && <Row label={t('approvedAmount')}><Money value={s.approved_amount} /></Row>}
        <Row label={t('stage')} testId="summary-stage"><StageBadge stage={application.stage} /></Row>
        <Row label={t('status')}><StatusBadge status={application.status} /></Row>
        <Row label={t('branch')}>{application.branch}</Row>
        <Row label={t('createdBy')}>{application.created_by}, {when(application.created_at, t.lang)}</Row>
      </dl>
      <h3>{t('decisionsSoFar')}</h3>
      {(application.decisions || []).length === 0 && <p className="muted">{t('noDecisions')}</p>}
      <ol className="decisions" data-testid="summary-decisions">
        {(application.decisions || []).map((decision) => (
          <li key={decision.seq} className={`decision decision-${decision.kind}`}><DecisionLine decision={decision} /></li>
        ))}
      </ol>
    </section>
  );
}
