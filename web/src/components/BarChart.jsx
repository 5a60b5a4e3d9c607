// A bar chart (Chart.js, loaded on first use) with its figures as a table for screen readers.
import { useEffect, useRef } from 'react';
import { useT } from '../i18n.js';

export default function BarChart({ title, labels, datasets, format = String, colors, integer = false, testId }) {
  const t = useT();
  const canvas = useRef(null);
  const key = JSON.stringify({ labels, datasets, colors, integer, lang: t.lang });
  useEffect(() => {
    let chart = null;
    let cancelled = false;
    import('../charts.js').then(({ barChart }) => {
      if (!cancelled && canvas.current) chart = barChart(canvas.current, { labels, datasets, format, colors, integer });
    });
    return () => { cancelled = true; chart?.destroy(); };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <figure className="card chart-card" data-testid={testId}>
      <figcaption><h2>{title}</h2></figcaption>
      <div className="chart-canvas"><canvas ref={canvas} role="img" aria-label={title} /></div>
      <details>
        <summary>{t('dataTable')}</summary>
        <table className="grid">
          <thead>
            <tr><th scope="col">{title}</th>{datasets.map((d) => <th key={d.label} scope="col" className="num">{d.label}</th>)}</tr>
          </thead>
          <tbody>
            {labels.map((label, row) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {datasets.map((d) => <td key={d.label} className="num">{d.data[row] === null ? '—' : format(d.data[row])}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
