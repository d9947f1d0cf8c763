import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/accounts.js';
import { TestGateway } from '../support/gateway.js';
import { DashboardClient } from './dashboard-client.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

describe('dashboard boundaries', () => {
  it('the API never accepts the session cookie', async () => {
    const client = new DashboardClient(gw.url);
    await client.signUp('cookie@example.com');
    const cookie = `jasys_session=${client.cookies.get('jasys_session')}`;
    for (const path of ['/api/user/stats', '/v1/models']) {
      const res = await fetch(gw.url + path, { headers: { cookie } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'invalid_api_key',
      );
    }
  });

  it('the dashboard never accepts an API key', async () => {
    const { key } = await gw.account('free');
    const headers = { authorization: `Bearer ${key}` };
    const page = await fetch(`${gw.url}/app/keys`, { headers, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/app/login');
    const json = await fetch(`${gw.url}/app/api/usage`, { headers });
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_session',
      },
    });
  });

  it('sends no CORS headers and the security headers on every answer', async () => {
    const client = new DashboardClient(gw.url);
    await client.signUp('headers@example.com');
    client.headers = { origin: 'https://elsewhere.example' };
    const paths = [
      '/app/login',
      '/app/keys',
      '/app/usage',
      '/app/quickstart',
      '/app/api/usage',
      '/app/assets/app.js',
      '/app/nope',
      '/app/admin',
    ];
    for (const path of paths) await client.get(path);
    const preflight = await fetch(`${gw.url}/app/keys`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    for (const { headers, path } of [
      ...client.seen,
      { headers: preflight.headers, path: 'OPTIONS' },
    ]) {
      const names = [...headers.keys()];
      expect(
        names.filter((n) => n.startsWith('access-control-')),
        path,
      ).toEqual([]);
      expect(headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('referrer-policy'), path).toBe('same-origin');
    }
  });

  it('a disabled account loses its sessions and its keys at once', async () => {
    await createAccount(gw.gateway.db, {
      email: 'boss@example.com',
      password: 'boss password',
      tier: 'free',
      role: 'admin',
    });
    const victim = new DashboardClient(gw.url);
    await victim.signUp('victim@example.com');
    await victim.get('/app/keys');
    expect((await victim.post('/app/keys', { name: 'k' })).location).toBe('/app/keys');
    const created = await victim.get('/app/keys');
    const key = /id="new-key" class="secret">([^<]+)</.exec(created.body)![1]!;
    const models = () =>
      fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect((await models()).status).toBe(200);

    const admin = new DashboardClient(gw.url);
    await admin.logIn('boss@example.com', 'boss password');
    const page = await admin.get('/app/admin');
    const id = new RegExp(`action="/app/admin/accounts/([\\w-]+)/status"`).exec(
      page.body.slice(page.body.indexOf('data-account="victim@example.com"')),
    )![1];
    const done = await admin.post(`/app/admin/accounts/${id}/status`, { disabled: '1' });
    expect(done.location).toBe('/app/admin?done=disabled');

    expect((await models()).status).toBe(401);
    expect((await victim.get('/app/keys')).location).toBe('/app/login');
    const again = await victim.logIn('victim@example.com', 'a long enough password');
    expect(again.status).toBe(403);
  });

  it('hides the admin pages from other users', async () => {
    const client = new DashboardClient(gw.url);
    await client.signUp('plain.user@example.com');
    expect((await client.get('/app/admin')).status).toBe(404);
    await client.get('/app/keys');
    const res = await client.post('/app/admin/accounts/x/tier', { tier: 'enterprise' });
    expect(res.status).toBe(404);
  });

  it("leaves paths outside /app to the API's JSON 404", async () => {
    const res = await fetch(`${gw.url}/v1/embeddings`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses form bodies over 16 KiB before reading them', async () => {
    const client = new DashboardClient(gw.url);
    await client.get('/app/login');
    const res = await client.post('/app/login', { email: 'a@b.co', password: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
  });
});
