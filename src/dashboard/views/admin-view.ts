import { html } from 'hono/html';
import { tierNames } from '../../config/schema.js';
import type { AccountSummary } from '../account-admin.js';
import type { SignedIn } from '../dashboard-env.js';
import { dataTable } from './data-table.js';
import { formatTime } from './format.js';
import { csrfInput, layout, notice, type Html } from './layout.js';

export interface AdminView {
  user: SignedIn;
  accounts: AccountSummary[];
  info?: string;
}

export function adminPage(view: AdminView): Html {
  const csrf = view.user.session.csrf_token;
  return layout({
    title: 'Admin',
    user: view.user,
    current: 'admin',
    body: html`<h1>Accounts</h1>
      ${notice('info', view.info)}
      ${dataTable({
        caption: 'All accounts',
        columns: ['Email', 'Role', 'Tier', 'Status', 'Active keys', 'Created', 'Actions'],
        rows: view.accounts.map((a) => accountRow(a, csrf, a.id === view.user.account.id)),
      })}`,
  });
}

function accountRow(account: AccountSummary, csrf: string, self: boolean): Html {
  const fieldId = `tier-${account.id}`;
  return html`<tr data-account="${account.email}">
    <td>${account.email}</td>
    <td>${account.role}</td>
    <td>
      <form method="post" action="/app/admin/accounts/${account.id}/tier" class="tier-form">
        ${csrfInput(csrf)}
        <label for="${fieldId}" class="visually-hidden">Tier of ${account.email}</label>
        <select id="${fieldId}" name="tier">
          ${tierNames.map(
            (t) =>
              html`<option value="${t}" ${t === account.tier ? html` selected` : ''}>${t}</option>`,
          )}
        </select>
        <button type="submit" aria-label="Set the tier of ${account.email}">Set</button>
      </form>
    </td>
    <td>
      ${
        account.disabled
          ? html`<span class="badge off">Disabled</span>`
          : html`<span class="badge on">Active</span>`
      }
    </td>
    <td>${account.activeKeys}</td>
    <td>${formatTime(account.created_at)}</td>
    <td>${self ? html`<span class="hint">(you)</span>` : statusForm(account, csrf)}</td>
  </tr>`;
}

function statusForm(account: AccountSummary, csrf: string): Html {
  const disable = !account.disabled;
  const confirm = disable
    ? `Disable ${account.email}? Their keys stop working at once.`
    : `Enable ${account.email} again?`;
  return html`<form
    method="post"
    action="/app/admin/accounts/${account.id}/status"
    data-confirm="${confirm}"
  >
    ${csrfInput(csrf)}
    <input type="hidden" name="disabled" value="${disable ? '1' : '0'}" />
    <button
      type="submit"
      class="${disable ? 'danger' : ''}"
      aria-label="${disable ? 'Disable' : 'Enable'} ${account.email}"
    >
      ${disable ? 'Disable' : 'Enable'}
    </button>
  </form>`;
}
