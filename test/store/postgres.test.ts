import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey } from '../../src/accounts/api-keys.js';
import type { ConfigFile } from '../../src/config/schema.js';
import { usageReport } from '../../src/usage/usage-report.js';
import { DashboardClient, fullKeys } from '../dashboard/dashboard-client.js';
import { readFixture, readJsonFixture } from '../support/fixtures.js';
import { TestGateway } from '../support/gateway.js';
import { createTestDatabase, postgresAdminUrl } from '../support/postgres.js';
import { jsonReply, ReplayUpstream, sseReply } from '../support/replay-upstream.js';

/**
 * The same gateway on PostgreSQL: one schema and one set of queries for both stores. Runs
 * whenever a server is given (scripts/test.sh always starts one).
 */
describe.skipIf(!postgresAdminUrl)('on PostgreSQL', () => {
  const config: ConfigFile = { tiers: { free: { requestsPerDay: 5 } } };
  const completion = readJsonFixture<{
    usage: { prompt_tokens: number; completion_tokens: number };
  }>('openai/llm-nonstream-tool-call-1.json');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let upstream: ReplayUpstream;
  let gw: TestGateway;

  const start = () =>
    TestGateway.start({
      databaseUrl: database.url,
      env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'k' },
      config,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    upstream = await new ReplayUpstream().start();
    gw = await start();
  });
  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
    await database?.drop();
  });

  it('serves, limits, records and survives a restart', async () => {
    const { key, accountId } = await gw.account('free');
    upstream.handler = () => jsonReply(completion);
    const client = gw.client(key);
    await client.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: 'hi' }],
    });
    upstream.handler = () => sseReply(readFixture('openai/llm-stream-tool-call-gpt-4o-mini.sse'));
    const stream = await client.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const _chunk of stream);

    upstream.handler = () => jsonReply(completion);
    const burst = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        client.chat.completions.create({
          model: 'gpt-3.5-turbo',
          messages: [{ role: 'user', content: 'hi' }],
          max_tokens: 20,
        }),
      ),
    );
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(3);

    const ledger = await gw.gateway.db
      .selectFrom('ledger')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();
    expect(ledger).toHaveLength(5);
    expect(ledger.filter((r) => r.prompt_tokens === 54 && r.completion_tokens === 20)).toHaveLength(
      1,
    );
    const [today] = await usageReport(gw.gateway.db, accountId, 1);
    expect(today).toMatchObject({ model: 'openai/gpt-3.5-turbo', requests: 5, failed: 0 });

    await gw.stop({ keepData: true });
    gw = await start();
    const again = gw.client(key);
    const stats = (await (
      await fetch(`${gw.url}/api/user/stats`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as Record<string, number>;
    expect(stats).toMatchObject({ daily_requests: 5, remaining_requests: 0, total_requests: 5 });
    const refused = await again.chat.completions
      .create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);

    const [keyRow] = await gw.gateway.db
      .selectFrom('api_keys')
      .select('id')
      .where('account_id', '=', accountId)
      .execute();
    expect(await revokeKey(gw.gateway.db, keyRow!.id)).toBe('revoked');
    gw.gateway.auth.forget();
    await expect(again.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('runs the dashboard: sign-up, a key shown once, throttled log-ins', async () => {
    const browser = new DashboardClient(gw.url);
    expect((await browser.signUp('pg.user@example.com')).status).toBe(303);
    await browser.get('/app/keys');
    const created = await browser.follow(await browser.post('/app/keys', { name: 'pg' }));
    const [key] = fullKeys(created.body);
    expect(key).toMatch(/^sk-jasys-/);
    expect(fullKeys((await browser.get('/app/keys')).body)).toEqual([]);

    const stranger = new DashboardClient(gw.url);
    const tries = [];
    for (let i = 0; i < 6; i++) {
      tries.push((await stranger.logIn('pg.user@example.com', 'wrong password!')).status);
    }
    expect(tries.at(-1)).toBe(429);
  });
});
