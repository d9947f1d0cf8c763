import { html } from 'hono/html';
import type { SignedIn } from '../dashboard-env.js';
import type { CreatedKey } from '../key-flash.js';
import type { ApiKeyRow } from '../../store/tables.js';
import { dataTable } from './data-table.js';
import { formatTime } from './format.js';
import { csrfInput, layout, notice, type Html } from './layout.js';

export interface KeysView {
  user: SignedIn;
  keys: ApiKeyRow[];
  /** Keys just created or rotated, from the one-time flash: their one and only appearance. */
  created?: CreatedKey[];
  info?: string;
  error?: string;
}

export function keysPage(view: KeysView): Html {
  const csrf = view.user.session.csrf_token;
  return layout({
    title: 'API keys',
    user: view.user,
    current: 'keys',
    body: html`<h1>API keys</h1>
      ${notice('info', view.info)} ${notice('error', view.error)}
      ${(view.created ?? []).map((created, i) => createdKey(created, i))}
      <section aria-labelledby="create-heading" class="card">
        <h2 id="create-heading">Create a key</h2>
        <form method="post" action="/app/keys" class="inline">
          ${csrfInput(csrf)}
          <label for="key-name">Name</label>
          <input id="key-name" name="name" required maxlength="64" placeholder="e.g. laptop" />
          <button type="submit" class="primary">Create key</button>
        </form>
      </section>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Your keys</h2>
        ${view.keys.length === 0 ? html`<p>You have no keys yet.</p>` : keysTable(view.keys, csrf)}
      </section>`,
  });
}

function createdKey(created: CreatedKey, index: number): Html {
  const what = created.replaced
    ? html`Key <strong>${created.name}</strong> rotated: the old key is revoked.`
    : html`Key <strong>${created.name}</strong> created.`;
  const id = index === 0 ? 'new-key' : `new-key-${index + 1}`;
  return html`<section class="card new-key" aria-labelledby="${id}-heading">
    <h2 id="${id}-heading">Your new key</h2>
    <p>${what}</p>
    <p class="warning" role="alert">
      <strong>Copy it now.</strong> For your security it will not be shown again, not even if you
      reload this page: we keep only a hash of it.
    </p>
    <div class="copy-row">
      <code id="${id}" class="secret">${created.key}</code>
      <button type="button" class="primary" data-copy="${id}">Copy key</button>
    </div>
    <p class="copy-status" role="status" aria-live="polite"></p>
  </section>`;
}

function keysTable(keys: ApiKeyRow[], csrf: string): Html {
  return dataTable({
    caption: 'Your API keys',
    columns: ['Name', 'Key', 'Created', 'Last used', 'Status', 'Actions'],
    rows: [...keys].reverse().map((key) => keyRow(key, csrf)),
  });
}

function keyRow(key: ApiKeyRow, csrf: string): Html {
  const revoked = key.revoked_at !== null;
  return html`<tr data-key-id="${key.id}">
    <td>${key.name}</td>
    <td><code>${key.prefix}…</code></td>
    <td>${formatTime(key.created_at)}</td>
    <td>${formatTime(key.last_used_at)}</td>
    <td>
      ${
        revoked
          ? html`<span class="badge off">Revoked ${formatTime(key.revoked_at)}</span>`
          : html`<span class="badge on">Active</span>`
      }
    </td>
    <td>${revoked ? '' : html`<div class="actions">${keyActions(key, csrf)}</div>`}</td>
  </tr>`;
}

function keyActions(key: ApiKeyRow, csrf: string): Html {
  return html`<form
      method="post"
      action="/app/keys/${key.id}/rotate"
      data-confirm="Rotate ${key.name}? A new key replaces it and the old one stops working now."
    >
      ${csrfInput(csrf)}
      <button type="submit" aria-label="Rotate key ${key.name}">Rotate</button>
    </form>
    <form
      method="post"
      action="/app/keys/${key.id}/revoke"
      data-confirm="Revoke ${key.name}? Requests with it will fail from now on."
    >
      ${csrfInput(csrf)}
      <button type="submit" class="danger" aria-label="Revoke key ${key.name}">Revoke</button>
    </form>`;
}
