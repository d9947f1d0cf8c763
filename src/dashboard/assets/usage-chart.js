// Draws the usage page's charts with Chart.js (served from /app/assets) from the session-only
// JSON call /app/api/usage: requests and tokens per day over 30 days, stacked by model.
'use strict';

const palette = [
  '#2563eb',
  '#db2777',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#dc2626',
  '#4d7c0f',
  '#9333ea',
  '#475569',
];

async function drawUsage() {
  const requestsCanvas = document.getElementById('requests-chart');
  const tokensCanvas = document.getElementById('tokens-chart');
  if (!requestsCanvas || !tokensCanvas || typeof Chart === 'undefined') return;
  const answer = await fetch('/app/api/usage', { credentials: 'same-origin' });
  if (!answer.ok) return;
  const { series } = await answer.json();
  const labels = series.days.map((day) => day.slice(5));
  const datasets = (values) =>
    series.models.map((model, i) => ({
      label: model,
      data: values[model],
      backgroundColor: palette[i % palette.length],
      stack: 'usage',
    }));
  const options = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: {
      x: { stacked: true },
      y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
    },
    plugins: { legend: { position: 'bottom' } },
  };
  new Chart(requestsCanvas, {
    type: 'bar',
    data: { labels, datasets: datasets(series.requests) },
    options,
  });
  new Chart(tokensCanvas, {
    type: 'bar',
    data: { labels, datasets: datasets(series.tokens) },
    options,
  });
  document.body.dataset.chartsReady = 'true';
}

document.addEventListener('DOMContentLoaded', () => {
  drawUsage().catch(() => {
    document.body.dataset.chartsReady = 'failed';
  });
});
