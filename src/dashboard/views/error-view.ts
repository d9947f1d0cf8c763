import { html } from 'hono/html';
import type { SignedIn } from '../dashboard-env.js';
import { layout, type Html } from './layout.js';

export function errorPage(user: SignedIn | undefined, status: number, message: string): Html {
  return layout({
    title: `Error ${status}`,
    user,
    body: html`<section class="narrow">
      <h1>Something went wrong</h1>
      <p role="alert">${message}</p>
      <p><a href="${user ? '/app/keys' : '/app/login'}">Back to the dashboard</a></p>
    </section>`,
  });
}
