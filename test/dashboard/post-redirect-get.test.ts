import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/accounts.js';
import { KeyFlash } from '../../src/dashboard/key-flash.js';
import { TestGateway } from '../support/gateway.js';
import { DashboardClient, fullKeys } from './dashboard-client.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

async function keyRows(email: string) {
  return gw.gateway.db
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .select(['api_keys.id', 'api_keys.name', 'api_keys.revoked_at'])
    .where('accounts.email', '=', email)
    .execute();
}

async function signedUp(email: string): Promise<DashboardClient> {
  const client = new DashboardClient(gw.url);
  await client.signUp(email);
  await client.get('/app/keys');
  return client;
}

describe('POST-redirect-GET on the keys page', () => {
  it('creating a key answers 303 to /app/keys, which shows the key once; reloads create nothing', async () => {
    const email = 'prg.create@example.com';
    const client = await signedUp(email);

    const posted = await client.post('/app/keys', { name: 'replay' });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe('/app/keys');
    expect(fullKeys(posted.body)).toEqual([]);
    expect(await keyRows(email)).toHaveLength(1);

    const page = await client.get('/app/keys');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const [key] = fullKeys(page.body);
    expect(key).toBeDefined();
    expect(fullKeys(page.body)).toEqual([key]);
    expect(page.body).toContain('Key <strong>replay</strong> created.');

    // The reload: the same GET again, a few times. No key, no new row.
    for (let i = 0; i < 3; i++) {
      const reload = await client.get('/app/keys');
      expect(reload.status).toBe(200);
      expect(fullKeys(reload.body)).toEqual([]);
      expect(reload.body).not.toContain(key!);
      expect(reload.body).not.toContain('id="new-key"');
    }
    expect(await keyRows(email)).toHaveLength(1);

    // Only a POST creates: the curl repro posts twice and gets two keys, each shown once.
    await client.post('/app/keys', { name: 'replay' });
    expect(await keyRows(email)).toHaveLength(2);
    const secondPage = await client.get('/app/keys');
    expect(fullKeys(secondPage.body)).toHaveLength(1);
    expect(fullKeys(secondPage.body)[0]).not.toBe(key);
    expect(fullKeys((await client.get('/app/keys')).body)).toEqual([]);
    expect(await keyRows(email)).toHaveLength(2);
  });

  it('rotating answers 303 to /app/keys, which shows the new key once; reloads rotate nothing', async () => {
    const email = 'prg.rotate@example.com';
    const client = await signedUp(email);
    const created = await client.follow(await client.post('/app/keys', { name: 'laptop' }));
    const [oldKey] = fullKeys(created.body);
    const [old] = await keyRows(email);

    const posted = await client.post(`/app/keys/${old!.id}/rotate`);
    expect(posted.status).toBe(303);
    expect(posted.location).toBe('/app/keys');
    expect(fullKeys(posted.body)).toEqual([]);
    const afterRotate = await keyRows(email);
    expect(afterRotate).toHaveLength(2);
    expect(afterRotate.find((k) => k.id === old!.id)?.revoked_at).not.toBeNull();
    expect(afterRotate.filter((k) => k.revoked_at === null)).toHaveLength(1);

    const page = await client.get('/app/keys');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const [newKey] = fullKeys(page.body);
    expect(newKey).toBeDefined();
    expect(newKey).not.toBe(oldKey);
    expect(fullKeys(page.body)).toEqual([newKey]);
    expect(page.body).toContain('rotated: the old key is revoked.');

    for (let i = 0; i < 3; i++) {
      const reload = await client.get('/app/keys');
      expect(fullKeys(reload.body)).toEqual([]);
    }
    expect(await keyRows(email)).toEqual(afterRotate);
  });

  it('a refused name answers its page with 400 and creates nothing', async () => {
    const email = 'prg.refused@example.com';
    const client = await signedUp(email);
    const res = await client.post('/app/keys', { name: '   ' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('Give the key a name.');
    expect(await keyRows(email)).toHaveLength(0);
  });

  it('shows every key of a double submit once, on the next page load', async () => {
    const email = 'prg.double@example.com';
    const client = await signedUp(email);
    await client.post('/app/keys', { name: 'one' });
    await client.post('/app/keys', { name: 'two' });
    const page = await client.get('/app/keys');
    expect(fullKeys(page.body)).toHaveLength(2);
    expect(page.body).toContain('id="new-key"');
    expect(page.body).toContain('id="new-key-2"');
    expect(fullKeys((await client.get('/app/keys')).body)).toEqual([]);
  });

  it('keeps the new key for its own session, and not for HEAD, prefetch or after log-out', async () => {
    const email = 'prg.session@example.com';
    const client = await signedUp(email);
    const other = new DashboardClient(gw.url);
    await other.logIn(email, 'a long enough password');

    await client.post('/app/keys', { name: 'mine' });
    expect(fullKeys((await other.get('/app/keys')).body)).toEqual([]);
    const head = await fetch(`${gw.url}/app/keys`, {
      method: 'HEAD',
      headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(head.status).toBe(200);
    expect(fullKeys((await client.get('/app/keys', { 'sec-purpose': 'prefetch' })).body)).toEqual(
      [],
    );
    expect(fullKeys((await client.get('/app/keys')).body)).toHaveLength(1);

    await client.post('/app/keys', { name: 'forgotten' });
    await client.post('/app/logout');
    await client.logIn(email, 'a long enough password');
    expect(fullKeys((await client.get('/app/keys')).body)).toEqual([]);
  });

  it('answers every state-changing POST with 303 to a GET page', async () => {
    await createAccount(gw.gateway.db, {
      email: 'prg.admin@example.com',
      password: 'admin password 1',
      tier: 'free',
      role: 'admin',
    });
    await signedUp('prg.target@example.com');
    const admin = new DashboardClient(gw.url);
    const redirects: Array<[string, string | null, number]> = [];
    const record = async (
      what: string,
      answer: Promise<{ status: number; location: string | null }>,
    ) => {
      const { status, location } = await answer;
      redirects.push([what, location, status]);
    };

    await admin.get('/app/login');
    await record(
      'login',
      admin.post('/app/login', { email: 'prg.admin@example.com', password: 'admin password 1' }),
    );
    await admin.get('/app/keys');
    await record('create', admin.post('/app/keys', { name: 'a' }));
    const [key] = await keyRows('prg.admin@example.com');
    await record('rotate', admin.post(`/app/keys/${key!.id}/rotate`));
    const active = (await keyRows('prg.admin@example.com')).find((k) => k.revoked_at === null);
    await record('revoke', admin.post(`/app/keys/${active!.id}/revoke`));
    const page = await admin.get('/app/admin');
    const id = /action="\/app\/admin\/accounts\/([\w-]+)\/status"/.exec(
      page.body.slice(page.body.indexOf('data-account="prg.target@example.com"')),
    )![1];
    await record('tier', admin.post(`/app/admin/accounts/${id}/tier`, { tier: 'premium' }));
    await record('disable', admin.post(`/app/admin/accounts/${id}/status`, { disabled: '1' }));
    await record('enable', admin.post(`/app/admin/accounts/${id}/status`, { disabled: '0' }));
    await record('logout', admin.post('/app/logout'));
    await record('signup', new DashboardClient(gw.url).signUp('prg.new@example.com'));

    expect(redirects).toEqual([
      ['login', '/app/keys', 303],
      ['create', '/app/keys', 303],
      ['rotate', '/app/keys', 303],
      ['revoke', '/app/keys?revoked=1', 303],
      ['tier', '/app/admin?done=tier', 303],
      ['disable', '/app/admin?done=disabled', 303],
      ['enable', '/app/admin?done=enabled', 303],
      ['logout', '/app/login?bye=1', 303],
      ['signup', '/app/keys?welcome=1', 303],
    ]);
  });
});

describe('KeyFlash', () => {
  it('gives a key once, to its session only, and forgets it after the expiry', () => {
    let now = 1_000;
    const flash = new KeyFlash(() => now, 60_000);
    flash.put('session-a', { name: 'k', key: 'secret-1' });
    expect(flash.take('session-b')).toEqual([]);
    expect(flash.take('session-a')).toEqual([{ name: 'k', key: 'secret-1' }]);
    expect(flash.take('session-a')).toEqual([]);

    flash.put('session-a', { name: 'k', key: 'secret-2' });
    now += 60_000;
    expect(flash.take('session-a')).toEqual([]);

    flash.put('session-a', { name: 'k', key: 'secret-3' });
    now += 61_000;
    flash.put('session-b', { name: 'k', key: 'secret-4' });
    expect(flash.size).toBe(1);
    flash.drop('session-b');
    expect(flash.size).toBe(0);
  });

  it('holds a few keys per session at most, dropping the oldest', () => {
    const flash = new KeyFlash(() => 0);
    for (let i = 1; i <= 7; i++) flash.put('s', { name: 'k', key: `secret-${i}` });
    expect(flash.take('s').map((k) => k.key)).toEqual([
      'secret-3',
      'secret-4',
      'secret-5',
      'secret-6',
      'secret-7',
    ]);
  });
});
