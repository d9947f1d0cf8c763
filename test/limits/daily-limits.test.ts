import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createKey } from '../../src/accounts/api-keys.js';
import type { ConfigFile } from '../../src/config/schema.js';
import { estimatePromptTokens } from '../../src/usage/count-tokens.js';
import { readFixture, readJsonFixture } from '../support/fixtures.js';
import { TestGateway } from '../support/gateway.js';
import { jsonReply, ReplayUpstream, sseReply } from '../support/replay-upstream.js';

const recorded = readJsonFixture<Record<string, unknown>>('openai/llm-nonstream-tool-call-3.json');
const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

/** A clock the tests move: 2026-12-03 23:59:00 UTC to start. */
let clock = Date.UTC(2026, 11, 3, 23, 59, 0);
const now = () => clock;

let upstream: ReplayUpstream | undefined;
let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  await upstream?.stop();
  gw = undefined;
  upstream = undefined;
});

async function start(config: ConfigFile, dataDir?: string): Promise<TestGateway> {
  upstream ??= await new ReplayUpstream().start();
  upstream.handler = () => jsonReply({ ...recorded, usage });
  gw = await TestGateway.start({
    env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'k' },
    config,
    now,
    ...(dataDir && { dataDir }),
  });
  return gw;
}

const ask = (g: TestGateway, key: string, body: Record<string, unknown> = {}) =>
  g.client(key).chat.completions.create({
    model: 'gpt-3.5-turbo',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 20,
    ...body,
  } as OpenAI.ChatCompletionCreateParamsNonStreaming);

async function stats(g: TestGateway, key: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${g.url}/api/user/stats`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const threePerDay: ConfigFile = { tiers: { free: { requestsPerDay: 3 } } };

describe('daily limits', () => {
  it('reset at 00:00 UTC, with retry-after until then', async () => {
    clock = Date.UTC(2026, 11, 3, 23, 59, 0);
    const g = await start(threePerDay);
    const { key } = await g.account('free');
    for (let i = 0; i < 3; i++) await ask(g, key);
    const res = await fetch(`${g.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({
      code: 'requests_per_day_exceeded',
      type: 'rate_limit_exceeded',
    });
    expect(body.error.message).toMatch(/3 requests per day.*00:00 UTC/);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.headers.get('retry-after-ms')).toBe('60000');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    clock = Date.UTC(2026, 11, 4, 0, 0, 1);
    await expect(ask(g, key)).resolves.toMatchObject({ object: 'chat.completion' });
    expect(await stats(g, key)).toMatchObject({
      daily_requests: 1,
      total_requests: 4,
      remaining_requests: 2,
      daily_tokens: usage.total_tokens,
      total_tokens: 4 * usage.total_tokens,
    });
  });

  it('survive a restart: the day keeps its counts', async () => {
    clock = Date.UTC(2026, 11, 5, 12, 0, 0);
    const first = await start(threePerDay);
    const { key } = await first.account('free');
    await ask(first, key);
    await ask(first, key);
    const dataDir = first.dataDir;
    await first.stop({ keepData: true });
    gw = undefined;

    const second = await start(threePerDay, dataDir);
    expect(await stats(second, key)).toMatchObject({ daily_requests: 2, remaining_requests: 1 });
    await ask(second, key);
    const error = await ask(second, key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe(
      'requests_per_day_exceeded',
    );
  });

  it('belong to the account: a new key resets nothing', async () => {
    clock = Date.UTC(2026, 11, 6, 12, 0, 0);
    const g = await start(threePerDay);
    const { key, accountId } = await g.account('free');
    for (let i = 0; i < 3; i++) await ask(g, key);
    const fresh = await createKey(g.gateway.db, accountId, 'second');
    await expect(ask(g, fresh.key)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it("the gateway's own 400, 403 and 429 answers count for nothing", async () => {
    clock = Date.UTC(2026, 11, 7, 12, 0, 0);
    const g = await start(threePerDay);
    const { key } = await g.account('free');
    await expect(ask(g, key, { temperature: 5 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(ask(g, key, { model: 'openai/gpt-4' })).rejects.toBeInstanceOf(
      OpenAI.PermissionDeniedError,
    );
    await expect(ask(g, key, { model: 'nope/none' })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(await stats(g, key)).toMatchObject({ daily_requests: 0, daily_tokens: 0 });
    for (let i = 0; i < 3; i++) await ask(g, key);
    await expect(ask(g, key)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(await stats(g, key)).toMatchObject({ daily_requests: 3, remaining_requests: 0 });
  });

  it('count a request the upstream failed, and never report negative remaining', async () => {
    clock = Date.UTC(2026, 11, 8, 12, 0, 0);
    const g = await start({ tiers: { free: { tokensPerDay: 30 } } });
    const { key } = await g.account('free');
    upstream!.handler = () => jsonReply({ error: { message: 'down' } }, 500);
    await expect(ask(g, key, { max_tokens: 5 })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    // An upstream that uses more than it was allowed is recorded as it was.
    upstream!.handler = () =>
      jsonReply({
        ...recorded,
        usage: { prompt_tokens: 30, completion_tokens: 30, total_tokens: 60 },
      });
    await ask(g, key, { max_tokens: 5 });
    const s = await stats(g, key);
    expect(s).toMatchObject({ daily_requests: 2, daily_tokens: 60, remaining_tokens: 0 });
  });
});

describe('rate-limit headers', () => {
  it('on answers, streams (before the first byte) and 400s after auth', async () => {
    clock = Date.UTC(2026, 11, 9, 12, 0, 0);
    const g = await start({});
    const { key } = await g.account('free');
    const post = (body: Record<string, unknown>) =>
      fetch(`${g.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-3.5-turbo',
          messages: [{ role: 'user', content: 'hi' }],
          max_tokens: 20,
          ...body,
        }),
      });
    const prompt = estimatePromptTokens({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const first = await post({});
    expect(first.status).toBe(200);
    expect(
      Object.fromEntries([...first.headers].filter(([k]) => k.startsWith('x-ratelimit'))),
    ).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1m0s',
      'x-ratelimit-limit-tokens': '10000',
      // Sent before the answer: the day's tokens less this request's reservation.
      'x-ratelimit-remaining-tokens': String(10_000 - (prompt + 20)),
      'x-ratelimit-reset-tokens': '12h0m0s',
    });
    upstream!.handler = () => sseReply(readFixture('openai/llm-stream-tool-call-gpt-4o-mini.sse'));
    const streamed = await post({ stream: true });
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    expect(streamed.headers.get('x-ratelimit-remaining-requests')).toBe('58');
    await streamed.text();
    const bad = await post({ top_p: 7 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-ratelimit-remaining-requests')).toBe('58');
  });

  it('a 429 on the minute limit says when the oldest request leaves the window', async () => {
    clock = Date.UTC(2026, 11, 10, 12, 0, 0);
    const g = await start({ tiers: { free: { requestsPerMinute: 2 } } });
    const { key } = await g.account('free');
    await ask(g, key);
    clock += 15_000;
    await ask(g, key);
    clock += 10_000;
    const error = (await ask(g, key).catch((e: unknown) => e)) as InstanceType<
      typeof OpenAI.RateLimitError
    >;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('requests_per_minute_exceeded');
    expect(error.headers?.get('retry-after')).toBe('35');
    expect(error.headers?.get('retry-after-ms')).toBe('35000');
    clock += 35_000;
    await expect(ask(g, key)).resolves.toMatchObject({ object: 'chat.completion' });
  });
});
