import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/accounts.js';
import { TestGateway } from '../support/gateway.js';
import { DashboardClient, fullKeys } from './dashboard-client.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await TestGateway.start();
});
afterAll(() => gw.stop());

/** Every GET route of the dashboard, for a signed-in admin. */
const pages = [
  '/app',
  '/app/keys',
  '/app/keys?welcome=1',
  '/app/keys?revoked=1',
  '/app/usage',
  '/app/quickstart',
  '/app/admin',
  '/app/admin?done=tier',
  '/app/api/usage',
  '/app/login',
  '/app/signup',
  '/app/nothing-here',
  '/app/assets/app.js',
  '/app/assets/usage-chart.js',
  '/app/assets/app.css',
];

describe('full keys', () => {
  it('appear in no dashboard answer but the one that created them', async () => {
    await createAccount(gw.gateway.db, {
      email: 'root@example.com',
      password: 'root password',
      tier: 'free',
      role: 'admin',
    });
    const client = new DashboardClient(gw.url);
    await client.logIn('root@example.com', 'root password');
    await client.get('/app/keys');

    const created = await client.post('/app/keys', { name: 'first' });
    const [first] = fullKeys(created.body);
    expect(first).toBeDefined();
    const keyId = /data-key-id="(key_\w+)"/.exec(created.body)?.[1];
    const rotated = await client.post(`/app/keys/${keyId}/rotate`);
    const [second] = fullKeys(rotated.body);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(fullKeys(rotated.body)).toEqual([second]);

    await client.post('/app/keys', { name: 'third' });
    const third = fullKeys(client.seen.at(-1)!.body)[0];
    await client.post(
      `/app/keys/${/data-key-id="(key_\w+)"/.exec(client.seen.at(-1)!.body)?.[1]}/revoke`,
    );
    for (const path of pages) await client.get(path);
    await client.post('/app/keys', { name: '' });
    await client.post('/app/logout');
    for (const path of pages) await client.get(path);

    const creations = client.seen.filter((a) => fullKeys(a.body).length > 0);
    expect(creations.map((a) => `${a.method} ${a.path}`)).toEqual([
      'POST /app/keys',
      `POST /app/keys/${keyId}/rotate`,
      'POST /app/keys',
    ]);
    for (const key of [first, second, third]) {
      const showing = client.seen.filter(
        (a) => a.body.includes(key!) || headersOf(a).includes(key!),
      );
      expect(showing).toHaveLength(1);
    }
    for (const answer of creations) expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});

function headersOf(answer: { headers: Headers }): string {
  return JSON.stringify([...answer.headers.entries()]);
}
