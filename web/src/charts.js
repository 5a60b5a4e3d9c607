// Chart.js, loaded only by the monthly report page: bar charts on <canvas>, no animation.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLORS = ['#0b4f6c', '#01baef', '#d97706', '#6f42c1', '#1a7f37', '#b42318'];

/** A bar chart; `format` turns a value into its label (Rupiah, hours). */
export function barChart(canvas, { labels, datasets, format = String, colors, integer = false }) {
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: datasets.map((dataset, index) => ({
        ...dataset,
        backgroundColor: colors || dataset.color || COLORS[index % COLORS.length],
        borderRadius: 3,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: datasets.length > 1, position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(item.raw)}` } },
      },
      scales: { y: { beginAtZero: true, ticks: { precision: integer ? 0 : undefined, callback: (value) => format(value) } } },
    },
  });
}
