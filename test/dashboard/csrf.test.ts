import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenMatches, newCsrfToken, sameOrigin } from '../../src/dashboard/csrf.js';
import { TestGateway } from '../support/gateway.js';
import { DashboardClient, fullKeys } from './dashboard-client.js';

describe('csrf helpers', () => {
  it('match only the same token, in constant time, never an empty one', () => {
    const token = newCsrfToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(csrfTokenMatches(token, token)).toBe(true);
    expect(csrfTokenMatches(token, newCsrfToken())).toBe(false);
    expect(csrfTokenMatches(token, token.slice(1))).toBe(false);
    expect(csrfTokenMatches(token, undefined)).toBe(false);
    expect(csrfTokenMatches(undefined, undefined)).toBe(false);
    expect(csrfTokenMatches('', '')).toBe(false);
  });

  it('refuse cross-site fetch metadata and foreign origins', () => {
    const host = 'gw.example.com';
    expect(sameOrigin({ origin: undefined, secFetchSite: undefined, host })).toBe(true);
    expect(
      sameOrigin({ origin: 'https://gw.example.com', secFetchSite: 'same-origin', host }),
    ).toBe(true);
    expect(sameOrigin({ origin: 'https://evil.example', secFetchSite: undefined, host })).toBe(
      false,
    );
    expect(sameOrigin({ origin: undefined, secFetchSite: 'cross-site', host })).toBe(false);
    expect(sameOrigin({ origin: undefined, secFetchSite: 'same-site', host })).toBe(false);
    expect(sameOrigin({ origin: 'null', secFetchSite: undefined, host })).toBe(false);
  });
});

describe('csrf over HTTP', () => {
  let gw: TestGateway;
  let user: DashboardClient;
  beforeAll(async () => {
    gw = await TestGateway.start();
    user = new DashboardClient(gw.url);
    await user.signUp('csrf@example.com');
    await user.get('/app/keys');
  });
  afterAll(() => gw.stop());

  const keyCount = async () =>
    (await gw.gateway.db.selectFrom('api_keys').select('id').execute()).length;

  it('refuses a state change without the token, or with a wrong one', async () => {
    for (const token of ['', newCsrfToken()]) {
      const res = await user.post('/app/keys', { name: 'x', _csrf: token });
      expect(res.status).toBe(403);
      expect(res.body).toContain('This form has expired');
      expect(fullKeys(res.body)).toEqual([]);
    }
    expect(await keyCount()).toBe(0);
  });

  it("refuses another session's token", async () => {
    const other = new DashboardClient(gw.url);
    await other.signUp('other@example.com');
    await other.get('/app/keys');
    const res = await user.post('/app/keys', { name: 'x', _csrf: other.csrf });
    expect(res.status).toBe(403);
    expect(await keyCount()).toBe(0);
  });

  it('refuses the right token from a cross-site page', async () => {
    const res = await user.post('/app/keys', { name: 'x' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const fetched = await user.post('/app/keys', { name: 'x' }, { 'sec-fetch-site': 'cross-site' });
    expect(fetched.status).toBe(403);
    expect(await keyCount()).toBe(0);
  });

  it('protects log out, log in and sign up too', async () => {
    expect((await user.post('/app/logout', { _csrf: 'nope' })).status).toBe(403);
    const anonymous = new DashboardClient(gw.url);
    const login = await anonymous.post('/app/login', { email: 'csrf@example.com', password: 'x' });
    expect(login.status).toBe(403);
    const signup = await anonymous.post('/app/signup', {
      email: 'n@example.com',
      password: 'y'.repeat(12),
    });
    expect(signup.status).toBe(403);
  });

  it('answers JSON calls without the token with the API error shape', async () => {
    const res = await fetch(`${gw.url}/app/api/usage`, {
      method: 'POST',
      headers: { cookie: `jasys_session=${user.cookies.get('jasys_session')}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        message: expect.any(String),
        type: 'permission_denied',
        param: null,
        code: 'csrf_failed',
      },
    });
  });

  it('accepts the session token in a form', async () => {
    const res = await user.post('/app/keys', { name: 'fine' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/app/keys');
    expect(await keyCount()).toBe(1);
  });
});
