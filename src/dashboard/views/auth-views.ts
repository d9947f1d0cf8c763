import { html } from 'hono/html';
import { minPasswordLength } from '../credentials.js';
import { csrfInput, layout, notice, type Html } from './layout.js';

export interface AuthForm {
  csrf: string;
  email?: string;
  error?: string;
  info?: string;
}

export function loginPage(form: AuthForm): Html {
  return layout({
    title: 'Log in',
    body: html`<section class="narrow">
      <h1>Log in</h1>
      ${notice('info', form.info)} ${notice('error', form.error)}
      <form method="post" action="/app/login" class="stack">
        ${csrfInput(form.csrf)} ${emailField(form.email)}
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit" class="primary">Log in</button>
      </form>
      <p>No account yet? <a href="/app/signup">Sign up</a></p>
    </section>`,
  });
}

export function signupPage(form: AuthForm): Html {
  return layout({
    title: 'Sign up',
    body: html`<section class="narrow">
      <h1>Create your account</h1>
      <p>New accounts start on the free tier. You get an API key on the next page.</p>
      ${notice('error', form.error)}
      <form method="post" action="/app/signup" class="stack">
        ${csrfInput(form.csrf)} ${emailField(form.email)}
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength="${minPasswordLength}"
          aria-describedby="password-hint"
        />
        <p id="password-hint" class="hint">At least ${minPasswordLength} characters.</p>
        <button type="submit" class="primary">Sign up</button>
      </form>
      <p>Already have an account? <a href="/app/login">Log in</a></p>
    </section>`,
  });
}

function emailField(value: string | undefined): Html {
  return html`<label for="email">Email</label>
    <input
      id="email"
      name="email"
      type="email"
      autocomplete="email"
      required
      maxlength="254"
      value="${value ?? ''}"
    />`;
}
