import OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { countTextTokens, estimatePromptTokens } from '../../src/usage/count-tokens.js';
import { chunksToSse, readChunks, readFixture, readJsonFixture } from '../support/fixtures.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { jsonReply, sseReply } from '../support/replay-upstream.js';

/** Ledger rows match what the upstream reported, and are written before the answer ends. */

const ctx = useReplayGateway(
  (url) => ({
    OPENAI_BASE_URL: url,
    OPENAI_API_KEY: 'k',
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'k',
  }),
  { tier: 'premium' },
);
const messages = [{ role: 'user' as const, content: 'What is 1231 * 2331?' }];

beforeEach(async () => {
  await ctx.gw.gateway.db.deleteFrom('ledger').execute();
});

/** Read at once, without waiting for any flush: the row must already be committed. */
async function rows() {
  return ctx.gw.gateway.db
    .selectFrom('ledger')
    .selectAll()
    .where('account_id', '=', ctx.accountId)
    .execute();
}

async function streamAll(body: Record<string, unknown> = {}): Promise<string> {
  const stream = await ctx.client.chat.completions.create({
    model: 'openai/gpt-4',
    messages,
    stream: true,
    ...body,
  } as OpenAI.ChatCompletionCreateParamsStreaming);
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('ledger rows', () => {
  it('a non-streamed answer: the upstream usage, model, provider and key', async () => {
    const recorded = readJsonFixture<{
      usage: { prompt_tokens: number; completion_tokens: number };
    }>('openai/llm-nonstream-tool-call-1.json');
    ctx.upstream.handler = () => jsonReply(recorded);
    const before = Date.now();
    await ctx.client.chat.completions.create({ model: 'gpt-4', messages });
    const after = Date.now();
    const [row, ...rest] = await rows();
    expect(rest).toHaveLength(0);
    expect(row).toMatchObject({
      model: 'openai/gpt-4',
      provider: 'openai',
      deployment: 'openai:gpt-4',
      prompt_tokens: recorded.usage.prompt_tokens,
      completion_tokens: recorded.usage.completion_tokens,
      status: 'ok',
    });
    const [keyRow] = await ctx.gw.gateway.db
      .selectFrom('api_keys')
      .select('id')
      .where('account_id', '=', ctx.accountId)
      .execute();
    expect(row!.key_id).toBe(keyRow!.id);
    expect(row!.created_at).toBeGreaterThanOrEqual(before);
    expect(row!.created_at + row!.latency_ms).toBeLessThanOrEqual(after);
  });

  it('a stream with a usage chunk, whether or not the client asked for it', async () => {
    ctx.upstream.handler = () =>
      sseReply(readFixture('openai/llm-stream-tool-call-gpt-4o-mini.sse'));
    await streamAll();
    await streamAll({ stream_options: { include_usage: true } });
    const recorded = await rows();
    expect(recorded.map((r) => [r.prompt_tokens, r.completion_tokens, r.status])).toEqual([
      [54, 20, 'ok'],
      [54, 20, 'ok'],
    ]);
  });

  it('a stream without a usage chunk: counted with the tokenizer', async () => {
    const chunks = readChunks('mistral/vercel-text.chunks.jsonl').map((c) => {
      const { usage: _u, ...rest } = c as Record<string, unknown>;
      return rest;
    });
    ctx.upstream.handler = () => sseReply(chunksToSse(chunks));
    const text = await streamAll();
    expect(text.length).toBeGreaterThan(0);
    const [row] = await rows();
    expect(row).toMatchObject({
      prompt_tokens: estimatePromptTokens({ model: 'openai/gpt-4', messages }),
      completion_tokens: countTextTokens(text),
      status: 'ok',
    });
  });

  it('an error mid-stream: what was generated, marked failed, never the error text', async () => {
    ctx.upstream.handler = () =>
      sseReply(readFixture('openrouter/pai-stream-error-mid-stream.sse'));
    const error = await streamAll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('Token limit reached');
    const [row] = await rows();
    expect(row).toMatchObject({
      prompt_tokens: 43,
      completion_tokens: 10,
      status: 'upstream_error',
    });
    expect(JSON.stringify(row)).not.toContain('Token limit');
  });

  it('a stream that ends without [DONE] or a finish reason: an error event, marked failed', async () => {
    const body = readFixture('openai/llm-stream-after-tool-result-gpt-4o-mini.sse').toString();
    const cut = body.slice(0, body.indexOf('\n\n', body.length >> 1) + 2);
    ctx.upstream.handler = () => sseReply(cut);
    const error = await streamAll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('ended before the answer did');
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'upstream_error' });
    expect(row!.completion_tokens).toBeGreaterThan(0);
  });

  it('a 200 that is not a stream at all is an error answer, not an empty stream', async () => {
    ctx.upstream.handler = () => jsonReply('not json at all');
    const error = await streamAll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'upstream_error', completion_tokens: 0 });
  });

  it('an Anthropic stream cut after message_start keeps the prompt tokens it reported', async () => {
    const body = readFixture('anthropic/llm-stream-text.sse').toString();
    const start = JSON.parse(/data: (\{"type":"message_start".*\})/.exec(body)![1]!) as {
      message: { usage: { input_tokens: number } };
    };
    const firstDelta = body.indexOf('event: content_block_delta');
    // The first events arrive, then the connection drops.
    ctx.upstream.handler = () => ({
      ...sseReply(body.slice(0, firstDelta)),
      delayMs: 50,
      cutAfterBody: true,
    });
    const error = await streamAll({ model: 'anthropic/claude-3-haiku' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const [row] = await rows();
    expect(row).toMatchObject({
      model: 'anthropic/claude-3-haiku',
      status: 'upstream_error',
      prompt_tokens: start.message.usage.input_tokens,
    });
  });

  it('an upstream error before the answer: a failed row with no tokens', async () => {
    ctx.upstream.handler = () => jsonReply({ error: { message: 'overloaded' } }, 503);
    await expect(
      ctx.client.chat.completions.create({ model: 'gpt-4', messages }),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
    const [row] = await rows();
    expect(row).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, status: 'upstream_error' });
  });

  it('a client that goes away mid-stream: cancelled, and the upstream call is aborted', async () => {
    const body = readFixture('openai/llm-stream-after-tool-result-gpt-4o-mini.sse').toString();
    const half = body.length >> 1;
    const abortedBefore = ctx.upstream.abortedAnswers;
    ctx.upstream.handler = () => ({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: [body.slice(0, half), body.slice(half)],
      delayMs: 2_000,
    });
    const controller = new AbortController();
    const stream = await ctx.client.chat.completions.create(
      { model: 'openai/gpt-4', messages, stream: true },
      { signal: controller.signal },
    );
    const reading = (async () => {
      for await (const _chunk of stream) controller.abort();
    })().catch(() => undefined);
    await reading;
    const deadline = Date.now() + 1_500;
    let found: Awaited<ReturnType<typeof rows>> = [];
    while (
      Date.now() < deadline &&
      (found.length === 0 || ctx.upstream.abortedAnswers === abortedBefore)
    ) {
      await new Promise((r) => setTimeout(r, 25));
      found = await rows();
    }
    expect(found[0]).toMatchObject({ status: 'client_cancelled' });
    expect(found[0]!.completion_tokens).toBeGreaterThan(0);
    // The upstream answer was cut well before its 2-second second half was due.
    expect(ctx.upstream.abortedAnswers).toBe(abortedBefore + 1);
  });
});
