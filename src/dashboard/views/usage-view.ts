import { html } from 'hono/html';
import type { CatalogModel } from '../../config/catalog.js';
import type { UserStats } from '../../usage/user-stats.js';
import type { UsageReportRow } from '../../usage/usage-report.js';
import type { SignedIn } from '../dashboard-env.js';
import { dataTable } from './data-table.js';
import { formatCount, formatIn, formatTime } from './format.js';
import { layout, type Html } from './layout.js';

export interface UsageView {
  user: SignedIn;
  stats: UserStats;
  /** Ledger rows of the last 30 days, newest first. */
  rows: UsageReportRow[];
  /** Every model, with whether this tier may call it. */
  models: Array<{ model: CatalogModel; allowed: boolean }>;
  now: number;
}

export function usagePage(view: UsageView): Html {
  const { stats } = view;
  return layout({
    title: 'Usage',
    user: view.user,
    current: 'usage',
    scripts: ['/app/assets/chart.umd.min.js', '/app/assets/usage-chart.js'],
    body: html`<h1>Usage</h1>
      <section aria-labelledby="today-heading" class="card">
        <h2 id="today-heading">Today (UTC)</h2>
        ${bar(
          'requests',
          'Requests',
          stats.daily_requests,
          stats.limits.requests_per_day,
          Date.parse(stats.reset.requests_per_day),
          view.now,
        )}
        ${bar(
          'tokens',
          'Tokens',
          stats.daily_tokens,
          stats.limits.tokens_per_day,
          Date.parse(stats.reset.tokens_per_day),
          view.now,
        )}
        <p class="hint">
          Also at most ${formatCount(stats.limits.requests_per_minute)} requests per minute. Limits
          belong to your account, not to a key.
        </p>
      </section>
      <section aria-labelledby="chart-heading" class="card">
        <h2 id="chart-heading">Last 30 days, by model</h2>
        ${chartFigure('requests-chart', 'Requests per day', 'Requests')}
        ${chartFigure('tokens-chart', 'Tokens per day', 'Tokens')}
        <details>
          <summary>The same numbers as a table</summary>
          ${usageTable(view.rows)}
        </details>
      </section>
      <section aria-labelledby="tier-heading" class="card">
        <h2 id="tier-heading">Your tier: <span class="tier">${stats.tier}</span></h2>
        <ul class="models">
          ${view.models.map(({ model, allowed }) => modelItem(model, allowed))}
        </ul>
      </section>`,
  });
}

function bar(id: string, label: string, used: number, limit: number, resetAt: number, now: number) {
  return html`<div class="meter">
    <label for="${id}-today"
      >${label}: <strong>${formatCount(used)}</strong> of ${formatCount(limit)}</label
    >
    <progress id="${id}-today" max="${limit}" value="${Math.min(used, limit)}">
      ${Math.round((used / limit) * 100)}%
    </progress>
    <p class="hint">Resets ${formatTime(resetAt)} (in ${formatIn(resetAt, now)}).</p>
  </div>`;
}

function usageTable(rows: UsageReportRow[]): Html {
  if (rows.length === 0) return html`<p>No requests in the last 30 days.</p>`;
  return dataTable({
    id: 'usage-table',
    columns: ['Day', 'Model', 'Requests', 'Tokens in', 'Tokens out', 'Failed'],
    rows: rows.map(
      (r) =>
        html`<tr>
          <td>${r.day}</td>
          <td>${r.model}</td>
          <td>${formatCount(r.requests)}</td>
          <td>${formatCount(r.promptTokens)}</td>
          <td>${formatCount(r.completionTokens)}</td>
          <td>${formatCount(r.failed)}</td>
        </tr>`,
    ),
  });
}

/** One 30-day chart, drawn by usage-chart.js into the canvas with this id. */
function chartFigure(id: string, caption: string, what: string): Html {
  return html`<figure>
    <figcaption>${caption}</figcaption>
    <div class="chart">
      <canvas
        id="${id}"
        role="img"
        aria-label="${what} per day over the last 30 days, stacked by model"
      ></canvas>
    </div>
  </figure>`;
}

/** A padlock drawn in SVG: emoji fonts are not on every machine. */
const lockIcon = html`<svg
  class="icon"
  aria-hidden="true"
  viewBox="0 0 16 16"
  width="12"
  height="12"
  fill="currentColor"
>
  <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" />
</svg>`;

function modelItem(model: CatalogModel, allowed: boolean): Html {
  return allowed
    ? html`<li class="model"><code>${model.id}</code> <span class="badge on">Available</span></li>`
    : html`<li class="model locked">
        <code>${model.id}</code>
        <span class="badge off">${lockIcon} Locked: needs ${model.tier}</span>
      </li>`;
}
