// The process owner's view: deployed versions, the difference between two versions, and a
// version's coverage diagram (the path the recorded applications took through it).
import { useMemo, useState } from 'react';
import { api } from '../api.js';
import BpmnDiagram from '../components/BpmnDiagram.jsx';
import { ErrorBox, Link, Loading, PageTitle, useLoad } from '../common.jsx';
import { number, useT, when } from '../i18n.js';
import { decorateCoverage, decorateDiff } from '../path.js';

function percent(part, lang) {
  return `${number(part.ratio * 100, lang, 1)} % (${part.covered}/${part.total})`;
}

function Coverage({ selectedKey, version }) {
  const t = useT();
  const coverage = useLoad(() => api(`definitions/${selectedKey}/versions/${version}/coverage`), [selectedKey, version]);
  const xml = useLoad(() => api(`definitions/${selectedKey}/versions/${version}/bpmn`, { accept: 'application/xml' }),
    [selectedKey, version]);
  const decorate = useMemo(() => (coverage.data ? decorateCoverage(coverage.data) : null), [coverage.data]);
  return (
    <div className="page coverage-page">
      <p className="crumbs"><Link to="/definitions">{t('navDefinitions')}</Link> / {selectedKey} v{version}</p>
      <PageTitle>{t('coverageTitle', { key: selectedKey, version })}</PageTitle>
      <ErrorBox error={coverage.error || xml.error} />
      {(!coverage.data || !xml.data) && !coverage.error && !xml.error && <Loading />}
      {coverage.data && (
        <p data-testid="coverage-figures">
          {t('coverageExplain')}{' '}
          {t('coverageNodes', { text: percent(coverage.data.nodes, t.lang) })} ·{' '}
          {t('coverageFlows', { text: percent(coverage.data.flows, t.lang) })}
        </p>
      )}
      {coverage.data && xml.data && (
        <BpmnDiagram xml={xml.data} decorate={decorate} testId="coverage-diagram"
          label={t('coverageTitle', { key: selectedKey, version })}>
          <div className="diagram-toolbar">
            <ul className="legend">
              <li><span className="swatch swatch-done" aria-hidden="true" />{t('covered')}</li>
              <li><span className="swatch swatch-uncovered" aria-hidden="true" />{t('uncovered')}</li>
            </ul>
          </div>
        </BpmnDiagram>
      )}
      {coverage.data && (
        <details>
          <summary>{t('uncovered')} ({coverage.data.uncovered_nodes.length + coverage.data.uncovered_flows.length})</summary>
          <ul className="mono">{[...coverage.data.uncovered_nodes, ...coverage.data.uncovered_flows].map((id) => <li key={id}>{id}</li>)}</ul>
        </details>
      )}
    </div>
  );
}

function IdList({ title, ids }) {
  const t = useT();
  return (
    <div>
      <h4>{title} ({ids.length})</h4>
      {ids.length === 0 ? <p className="muted">{t('none')}</p> : <ul>{ids.map((id) => <li key={id}>{id}</li>)}</ul>}
    </div>
  );
}

function Diff({ processKey, versions }) {
  const t = useT();
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const [from, setFrom] = useState(numbers.length > 1 ? numbers[numbers.length - 2] : numbers[0]);
  const [to, setTo] = useState(numbers[numbers.length - 1]);
  const [diff, setDiff] = useState(null);
  const [error, setError] = useState(null);
  const xml = useLoad(() => (diff ? api(`definitions/${processKey}/versions/${diff.to}/bpmn`, { accept: 'application/xml' })
    : Promise.resolve(null)), [processKey, diff?.to]);
  const decorate = useMemo(() => (diff ? decorateDiff(diff) : null), [diff]);
  const compare = async (event) => {
    event.preventDefault();
    setError(null);
    try {
      setDiff(await api(`definitions/${processKey}/diff?from=${from}&to=${to}`));
    } catch (failure) {
      setError(failure);
    }
  };
  const id = (name) => `${processKey}-${name}`;
  return (
    <section className="card" aria-labelledby={id('diff')} data-testid={`diff-${processKey}`}>
      <h3 id={id('diff')}>{t('diffTitle')}: {processKey}</h3>
      <form className="toolbar" onSubmit={compare}>
        <label htmlFor={id('from')}>{t('diffFrom')}
          <select id={id('from')} value={from} onChange={(event) => setFrom(Number(event.target.value))}>
            {numbers.map((n) => <option key={n} value={n}>v{n}</option>)}
          </select>
        </label>
        <label htmlFor={id('to')}>{t('diffTo')}
          <select id={id('to')} value={to} onChange={(event) => setTo(Number(event.target.value))}>
            {numbers.map((n) => <option key={n} value={n}>v{n}</option>)}
          </select>
        </label>
        <button type="submit" className="primary">{t('compare')}</button>
      </form>
      <ErrorBox error={error} />
      {diff && (
        <div data-testid="diff-result">
          <h4>{t('elements')}</h4>
          <div className="diff-lists">
            <IdList title={t('added')} ids={diff.elements.added} />
            <IdList title={t('removed')} ids={diff.elements.removed} />
            <IdList title={t('changed')} ids={diff.elements.changed} />
          </div>
          <h4>{t('rules')}</h4>
          <div className="diff-lists">
            <IdList title={t('added')} ids={diff.rules.added} />
            <IdList title={t('removed')} ids={diff.rules.removed} />
            <IdList title={t('changed')} ids={diff.rules.changed} />
          </div>
          {xml.data && (
            <BpmnDiagram xml={xml.data} decorate={decorate} testId="diff-diagram"
              label={`${processKey} v${diff.to}: ${t('added')}, ${t('changed')}`}>
              <div className="diagram-toolbar">
                <ul className="legend">
                  <li><span className="swatch swatch-added" aria-hidden="true" />{t('added')} (v{diff.to})</li>
                  <li><span className="swatch swatch-changed" aria-hidden="true" />{t('changed')}</li>
                </ul>
              </div>
            </BpmnDiagram>
          )}
        </div>
      )}
    </section>
  );
}

export default function Definitions({ selectedKey, version, view }) {
  const t = useT();
  const list = useLoad(() => api('definitions'), []);
  if (selectedKey && version && view === 'coverage') return <Coverage selectedKey={selectedKey} version={Number(version)} />;
  const byKey = {};
  for (const row of list.data || []) (byKey[row.key] ||= []).push(row);
  return (
    <div className="page definitions">
      <PageTitle>{t('definitionsTitle')}</PageTitle>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {Object.entries(byKey).map(([processKey, versions]) => (
        <section key={processKey} aria-labelledby={`versions-${processKey}`}>
          <h2 id={`versions-${processKey}`}>{processKey}</h2>
          <table className="grid" data-testid={`versions-${processKey}`}>
            <thead>
              <tr>
                <th scope="col">{t('colVersion')}</th><th scope="col">{t('colDeployedAt')}</th>
                <th scope="col">{t('colDeployedBy')}</th><th scope="col">{t('colSha')}</th>
                <th scope="col">{t('coverage')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((row) => (
                <tr key={row.version}>
                  <th scope="row">v{row.version} {row.latest && <span className="badge status-completed">{t('latest')}</span>}</th>
                  <td>{when(row.deployed_at, t.lang)}</td>
                  <td>{row.deployed_by}</td>
                  <td><code title={row.sha256}>{row.sha256.slice(0, 12)}…</code></td>
                  <td>
                    <Link to={`/definitions/${processKey}/${row.version}/coverage`}
                      aria-label={`${t('showCoverage')} ${processKey} v${row.version}`}>{t('showCoverage')}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Diff processKey={processKey} versions={versions} />
        </section>
      ))}
    </div>
  );
}
