import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigFile } from '../../src/config/schema.js';
import { estimatePromptTokens } from '../../src/usage/count-tokens.js';
import { readJsonFixture } from '../support/fixtures.js';
import { TestGateway } from '../support/gateway.js';
import { jsonReply, ReplayUpstream } from '../support/replay-upstream.js';

/** Limits hold exactly when many requests of one account arrive at once. */

const recorded = readJsonFixture<Record<string, unknown>>('openai/llm-nonstream-tool-call-3.json');
const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

let upstream: ReplayUpstream | undefined;
let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  await upstream?.stop();
});

async function start(config: ConfigFile = {}, delayMs = 0): Promise<TestGateway> {
  upstream = await new ReplayUpstream().start();
  upstream.handler = async () => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return jsonReply({ ...recorded, usage });
  };
  gw = await TestGateway.start({
    env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'k' },
    config,
  });
  return gw;
}

type Settled = PromiseSettledResult<OpenAI.ChatCompletion>;

async function burst(
  client: OpenAI,
  count: number,
  body: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {},
) {
  const results: Settled[] = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      client.chat.completions.create({
        model: 'gpt-3.5-turbo',
        messages: [{ role: 'user', content: `hello ${i}` }],
        max_tokens: 20,
        ...body,
      }),
    ),
  );
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  return { ok, refused };
}

function codes(errors: unknown[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of errors) {
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    const code = (e as InstanceType<typeof OpenAI.RateLimitError>).code ?? 'none';
    out[code] = (out[code] ?? 0) + 1;
  }
  return out;
}

describe('300 requests at once from one free account', () => {
  it('admit exactly 60: requests per minute binds first', async () => {
    const g = await start();
    const { key } = await g.account('free');
    const { ok, refused } = await burst(g.client(key), 300);
    expect(ok).toBe(60);
    expect(upstream!.requests).toHaveLength(60);
    expect(codes(refused)).toEqual({ requests_per_minute_exceeded: 240 });
  });

  it('admit exactly 100 with requests per minute raised to 1,000: requests per day binds', async () => {
    const g = await start({ tiers: { free: { requestsPerMinute: 1_000 } } });
    const { key } = await g.account('free');
    const { ok, refused } = await burst(g.client(key), 300);
    expect(ok).toBe(100);
    expect(upstream!.requests).toHaveLength(100);
    expect(codes(refused)).toEqual({ requests_per_day_exceeded: 200 });
    const ledger = await g.gateway.db.selectFrom('ledger').selectAll().execute();
    expect(ledger).toHaveLength(100);
  });
});

describe('tokens per day under concurrency', () => {
  it('ten requests reserving 400 tokens against 1,000 left: two admitted, real usage recorded', async () => {
    const g = await start({ tiers: { free: { tokensPerDay: 1_000 } } }, 200);
    const { key, accountId } = await g.account('free');
    const messages = [{ role: 'user' as const, content: 'hello' }];
    const prompt = estimatePromptTokens({ model: 'gpt-3.5-turbo', messages });
    const { ok, refused } = await burst(g.client(key), 10, { messages, max_tokens: 400 - prompt });
    expect(ok).toBe(2);
    expect(upstream!.requests).toHaveLength(2);
    expect(codes(refused)).toEqual({ tokens_per_day_exceeded: 8 });
    for (const sent of upstream!.requests) {
      expect((sent.json as { max_tokens: number }).max_tokens).toBe(400 - prompt);
    }

    const rows = await g.gateway.db
      .selectFrom('ledger')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();
    const recordedTokens = rows.reduce((s, r) => s + r.prompt_tokens + r.completion_tokens, 0);
    expect(recordedTokens).toBe(2 * usage.total_tokens);

    // Refused and settled reservations are released: 964 tokens are left for the next caller.
    const stats = (await (await fetchStats(g, key)).json()) as {
      remaining_tokens: number;
      daily_tokens: number;
    };
    expect(stats.daily_tokens).toBe(2 * usage.total_tokens);
    expect(stats.remaining_tokens).toBe(1_000 - 2 * usage.total_tokens);
    const again = await burst(g.client(key), 2, { messages, max_tokens: 400 - prompt });
    expect(again.ok).toBe(2);
  });

  it('a cap the client did not set is the tier default, clamped to what the day has left, and sent', async () => {
    const g = await start({ tiers: { free: { tokensPerDay: 300, defaultMaxTokens: 1_000 } } });
    const { key } = await g.account('free');
    const messages = [{ role: 'user' as const, content: 'hello' }];
    const prompt = estimatePromptTokens({ model: 'gpt-3.5-turbo', messages });
    await g.client(key).chat.completions.create({ model: 'gpt-3.5-turbo', messages });
    expect((upstream!.last.json as { max_tokens: number }).max_tokens).toBe(300 - prompt);
  });

  it('the SDK backs off on a 429 caused by reservations in flight, then gets through', async () => {
    const g = await start({ tiers: { free: { tokensPerDay: 1_000 } } }, 600);
    const { key } = await g.account('free');
    const messages = [{ role: 'user' as const, content: 'hello' }];
    const prompt = estimatePromptTokens({ model: 'gpt-3.5-turbo', messages });
    const first = g
      .client(key)
      .chat.completions.create({ model: 'gpt-3.5-turbo', messages, max_tokens: 700 - prompt });
    await new Promise((r) => setTimeout(r, 100));
    const raw = await fetch(`${g.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-3.5-turbo', messages, max_tokens: 700 - prompt }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    // Blocked only by a reservation in flight: retry in a second, not after midnight.
    expect(raw.headers.get('retry-after-ms')).toBe('1000');
    const second = g.client(key, { maxRetries: 2 }).chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages,
      max_tokens: 700 - prompt,
    });
    await expect(first).resolves.toMatchObject({ object: 'chat.completion' });
    await expect(second).resolves.toMatchObject({ object: 'chat.completion' });
    expect(upstream!.requests).toHaveLength(2);
  });
});

function fetchStats(g: TestGateway, key: string): Promise<Response> {
  return fetch(`${g.url}/api/user/stats`, { headers: { authorization: `Bearer ${key}` } });
}
