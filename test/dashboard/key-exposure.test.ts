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
  it('appear in no dashboard answer but the GET that the creating POST redirected to', async () => {
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
    expect(created.status).toBe(303);
    expect(created.location).toBe('/app/keys');
    const shown = await client.follow(created);
    const [first] = fullKeys(shown.body);
    expect(first).toBeDefined();
    expect(fullKeys(shown.body)).toEqual([first]);
    const keyId = /data-key-id="(key_\w+)"/.exec(shown.body)?.[1];
    const rotated = await client.post(`/app/keys/${keyId}/rotate`);
    expect(rotated.location).toBe('/app/keys');
    const rotatedPage = await client.follow(rotated);
    const [second] = fullKeys(rotatedPage.body);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(fullKeys(rotatedPage.body)).toEqual([second]);

    const thirdPage = await client.follow(await client.post('/app/keys', { name: 'third' }));
    const third = fullKeys(thirdPage.body)[0];
    expect(third).toBeDefined();
    await client.follow(
      await client.post(`/app/keys/${/data-key-id="(key_\w+)"/.exec(thirdPage.body)?.[1]}/revoke`),
    );
    for (const path of pages) await client.get(path);
    await client.post('/app/keys', { name: '' });
    await client.post('/app/logout');
    for (const path of pages) await client.get(path);

    // Each key was shown by exactly one answer: the GET right after its POST's 303.
    const creations = client.seen.flatMap((answer, i) =>
      fullKeys(answer.body).length > 0 ? [{ answer, before: client.seen[i - 1] }] : [],
    );
    expect(creations.map(({ answer }) => `${answer.method} ${answer.path}`)).toEqual([
      'GET /app/keys',
      'GET /app/keys',
      'GET /app/keys',
    ]);
    expect(
      creations.map(({ before }) => `${before?.method} ${before?.path} ${before?.status}`),
    ).toEqual(['POST /app/keys 303', `POST /app/keys/${keyId}/rotate 303`, 'POST /app/keys 303']);
    for (const key of [first, second, third]) {
      const showing = client.seen.filter(
        (a) => a.body.includes(key!) || headersOf(a).includes(key!),
      );
      expect(showing).toHaveLength(1);
      expect(showing[0]!.method).toBe('GET');
    }
    for (const { answer } of creations) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    for (const answer of client.seen.filter((a) => a.method === 'POST')) {
      expect(fullKeys(answer.body)).toEqual([]);
    }
  });
});

function headersOf(answer: { headers: Headers }): string {
  return JSON.stringify([...answer.headers.entries()]);
}
