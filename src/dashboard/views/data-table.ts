import { html } from 'hono/html';
import type { Html } from './layout.js';

export interface DataTable {
  /** Read by screen readers only. */
  caption?: string;
  columns: readonly string[];
  rows: readonly Html[];
  id?: string;
}

/** The one table markup of the dashboard: a scrolling wrapper, header cells with scope. */
export function dataTable(table: DataTable): Html {
  return html`<div class="table-wrap">
    <table ${table.id ? html`id="${table.id}"` : ''}>
      ${
        table.caption
          ? html`<caption class="visually-hidden">
              ${table.caption}
            </caption>`
          : ''
      }
      <thead>
        <tr>
          ${table.columns.map((c) => html`<th scope="col">${c}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${table.rows}
      </tbody>
    </table>
  </div>`;
}
