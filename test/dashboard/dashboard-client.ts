/** A tiny browser stand-in over fetch: a cookie jar, the last page's CSRF token, no redirects. */
export class DashboardClient {
  readonly base: string;
  readonly cookies = new Map<string, string>();
  /** Every answer's status, headers and body, in order. */
  readonly seen: Array<{
    method: string;
    path: string;
    status: number;
    headers: Headers;
    body: string;
  }> = [];
  csrf = '';
  headers: Record<string, string> = {};

  constructor(base: string) {
    this.base = base;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.#send('GET', path, undefined, headers);
  }

  /** Posts a form with the CSRF token of the last page (unless `_csrf` is given). */
  async post(
    path: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ) {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields });
    return this.#send('POST', path, body, {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /** GETs where a redirect points, as a browser does after a 303; fails on anything else. */
  async follow(answer: Answer): Promise<Answer> {
    if (answer.status !== 303 || !answer.location) {
      throw new Error(
        `expected a 303 redirect, got ${answer.status}: ${answer.body.slice(0, 200)}`,
      );
    }
    return this.get(answer.location);
  }

  /** Signs up (a fresh page first, for the pre-session token) and keeps the session. */
  async signUp(email: string, password = 'a long enough password'): Promise<Answer> {
    await this.get('/app/signup');
    return this.post('/app/signup', { email, password });
  }

  async logIn(email: string, password: string): Promise<Answer> {
    await this.get('/app/login');
    return this.post('/app/login', { email, password });
  }

  async #send(
    method: string,
    path: string,
    body: URLSearchParams | undefined,
    extra: Record<string, string>,
  ) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: { ...(cookie && { cookie }), ...this.headers, ...extra },
      ...(body && { body }),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    this.seen.push({ method, path, status: res.status, headers: res.headers, body: text });
    return {
      status: res.status,
      headers: res.headers,
      body: text,
      location: res.headers.get('location'),
    };
  }
}

export interface Answer {
  status: number;
  headers: Headers;
  body: string;
  location: string | null;
}

/** The full keys in a text. */
export function fullKeys(text: string): string[] {
  return text.match(/sk-jasys-[\w-]{43}/g) ?? [];
}
