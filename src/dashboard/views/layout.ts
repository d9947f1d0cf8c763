import { html } from 'hono/html';
import type { SignedIn } from '../dashboard-env.js';
import { csrfField } from '../csrf.js';

export type Html = ReturnType<typeof html>;

export type Section = 'keys' | 'usage' | 'quickstart' | 'admin';

export interface Page {
  title: string;
  body: Html;
  /** The signed-in person, for the navigation and the log-out form. */
  user?: SignedIn | undefined;
  current?: Section;
  /** Extra scripts from /app/assets, after the shared one. */
  scripts?: string[];
}

const sections: Array<{ id: Section; href: string; label: string; admin?: boolean }> = [
  { id: 'keys', href: '/app/keys', label: 'API keys' },
  { id: 'usage', href: '/app/usage', label: 'Usage' },
  { id: 'quickstart', href: '/app/quickstart', label: 'Quick start' },
  { id: 'admin', href: '/app/admin', label: 'Admin', admin: true },
];

/** The page shell: skip link, navigation for the signed-in, one main landmark. */
export function layout(page: Page): Html {
  const scripts = ['/app/assets/app.js', ...(page.scripts ?? [])];
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} · JasysAI Gateway</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/app/assets/app.css" />
        ${scripts.map((src) => html`<script src="${src}" defer></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/app">JasysAI Gateway</a>
          ${page.user ? navigation(page.user, page.current) : ''}
        </header>
        <main id="main" tabindex="-1">${page.body}</main>
      </body>
    </html>`;
}

function navigation(user: SignedIn, current: Section | undefined): Html {
  const visible = sections.filter((s) => !s.admin || user.account.role === 'admin');
  return html`<nav aria-label="Dashboard">
    <ul>
      ${visible.map(
        (s) =>
          html`<li>
            <a href="${s.href}" ${s.id === current ? html` aria-current="page"` : ''}>${s.label}</a>
          </li>`,
      )}
    </ul>
    <form method="post" action="/app/logout" class="logout">
      ${csrfInput(user.session.csrf_token)}
      <span class="who">${user.account.email}</span>
      <button type="submit">Log out</button>
    </form>
  </nav>`;
}

/** The hidden field that carries the CSRF token in every form. */
export function csrfInput(token: string): Html {
  return html`<input type="hidden" name="${csrfField}" value="${token}" />`;
}

/** A message box: `status` for news, `alert` for errors, announced by screen readers. */
export function notice(kind: 'info' | 'error', message: string | undefined): Html | string {
  if (!message) return '';
  const role = kind === 'error' ? 'alert' : 'status';
  return html`<p class="notice ${kind}" role="${role}">${message}</p>`;
}
