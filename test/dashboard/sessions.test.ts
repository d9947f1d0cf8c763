import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/accounts.js';
import { hashSessionId, SessionStore } from '../../src/dashboard/sessions.js';
import { openStore, type Db } from '../../src/store/open-store.js';
import { TestGateway } from '../support/gateway.js';
import { DashboardClient } from './dashboard-client.js';

let db: Db;
let clock = Date.UTC(2026, 11, 3, 12);
const now = () => clock;
let accountId: string;

beforeEach(async () => {
  db = (await openStore({ dataDir: ':memory:' })).db;
  const account = await createAccount(db, {
    email: 's@example.com',
    password: 'x'.repeat(10),
    tier: 'free',
  });
  accountId = account.id;
});
afterEach(() => db.destroy());

describe('session store', () => {
  it('stores only the hash of a random 256-bit id', async () => {
    const store = new SessionStore(db, now);
    const a = await store.create(accountId);
    const b = await store.create(accountId);
    expect(a.id).toMatch(/^[\w-]{43}$/);
    expect(a.id).not.toBe(b.id);
    const rows = await db.selectFrom('sessions').selectAll().execute();
    expect(rows.map((r) => r.id_hash).sort()).toEqual(
      [hashSessionId(a.id), hashSessionId(b.id)].sort(),
    );
    expect(JSON.stringify(rows)).not.toContain(a.id);
    expect((await store.find(a.id))?.account_id).toBe(accountId);
    expect(await store.find('not-a-session')).toBeUndefined();
  });

  it('ends a session at its expiry', async () => {
    const store = new SessionStore(db, now, 60_000);
    const { id } = await store.create(accountId);
    clock += 59_999;
    expect(await store.find(id)).toBeDefined();
    clock += 1;
    expect(await store.find(id)).toBeUndefined();
  });

  it('ends one session on destroy and all of an account on destroyAll', async () => {
    const store = new SessionStore(db, now);
    const [a, b, c] = [
      await store.create(accountId),
      await store.create(accountId),
      await store.create(accountId),
    ];
    await store.destroy(a.id);
    expect(await store.find(a.id)).toBeUndefined();
    expect(await store.find(b.id)).toBeDefined();
    await store.destroyAll(accountId);
    expect(await store.find(b.id)).toBeUndefined();
    expect(await store.find(c.id)).toBeUndefined();
  });
});

describe('session cookie over HTTP', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await TestGateway.start();
  });
  afterEach(() => gw.stop());

  it('is HttpOnly, SameSite=Lax, scoped to /app, and Secure only over https', async () => {
    const plain = new DashboardClient(gw.url);
    const res = await plain.signUp('plain@example.com');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('jasys_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/app/);
    expect(cookie).not.toMatch(/Secure/);

    const proxied = new DashboardClient(gw.url);
    proxied.headers = { 'x-forwarded-proto': 'https' };
    const secure = await proxied.signUp('tls@example.com');
    expect(secure.headers.getSetCookie().find((c) => c.startsWith('jasys_session='))).toMatch(
      /Secure/,
    );
  });

  it('logout really ends the session, even for a copy of the cookie', async () => {
    const client = new DashboardClient(gw.url);
    await client.signUp('bye@example.com');
    const stolen = client.cookies.get('jasys_session')!;
    expect((await client.get('/app/keys')).status).toBe(200);
    expect((await client.post('/app/logout')).location).toBe('/app/login?bye=1');
    expect(client.cookies.has('jasys_session')).toBe(false);
    const replay = await fetch(`${gw.url}/app/keys`, {
      headers: { cookie: `jasys_session=${stolen}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/app/login');
  });

  it('a new sign-in gets a new session id', async () => {
    const client = new DashboardClient(gw.url);
    await client.signUp('again@example.com');
    const first = client.cookies.get('jasys_session');
    await client.post('/app/logout');
    await client.logIn('again@example.com', 'a long enough password');
    expect(client.cookies.get('jasys_session')).toBeDefined();
    expect(client.cookies.get('jasys_session')).not.toBe(first);
  });
});
