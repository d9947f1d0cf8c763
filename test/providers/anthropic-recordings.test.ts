import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { readChunks, readFixture, readJsonFixture, sseDataPayloads } from '../support/fixtures.js';
import {
  type ErrorClass,
  expectApiError,
  expectCompletion,
  expectStreamedChoice,
  expectStreamError,
  expectUsage,
  hi,
} from '../support/provider-answers.js';
import { anthropicChunksToSse, assemble } from '../support/provider-fixtures.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { jsonReply, sseReply } from '../support/replay-upstream.js';

/**
 * Every Anthropic recording in ../shared/fixtures, replayed by a local upstream and read through
 * the official SDK. Expectations are computed from each recording with the rules of the issue.
 */

type Json = Record<string, any>;

const finishOf: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

interface Expected {
  content: string | null;
  tools: Array<{ id: string; name: string; input: unknown }>;
  finish: string;
  prompt: number;
  completion: number;
}

function expectedUsage(usage: Json): Pick<Expected, 'prompt' | 'completion'> {
  const prompt =
    (usage.input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0);
  return { prompt, completion: usage.output_tokens ?? 0 };
}

function fromMessage(message: Json): Expected {
  const blocks = message.content as Json[];
  const text = blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text as string)
    .join('');
  const tools = blocks
    .filter((b) => b.type === 'tool_use')
    .map((b) => ({ id: b.id as string, name: b.name as string, input: b.input }));
  const finish = tools.length > 0 ? 'tool_calls' : finishOf[message.stop_reason as string]!;
  return { content: text || null, tools, finish, ...expectedUsage(message.usage) };
}

function fromEvents(events: Json[]): Expected {
  let text = '';
  const tools: Array<{ id: string; name: string; json: string }> = [];
  const byBlock = new Map<number, { json: string }>();
  let stop = '';
  const usage: Json = {};
  for (const e of events) {
    if (e.type === 'message_start') Object.assign(usage, e.message.usage);
    if (e.type === 'content_block_start' && e.content_block.type === 'tool_use') {
      const tool = { id: e.content_block.id, name: e.content_block.name, json: '' };
      tools.push(tool);
      byBlock.set(e.index, tool);
    }
    if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
    if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') {
      byBlock.get(e.index)!.json += e.delta.partial_json;
    }
    if (e.type === 'message_delta') {
      stop = e.delta.stop_reason;
      for (const [k, v] of Object.entries(e.usage ?? {})) if (v != null) usage[k] = v;
    }
  }
  return {
    content: text || null,
    tools: tools.map((t) => ({ id: t.id, name: t.name, input: JSON.parse(t.json || '{}') })),
    finish: tools.length > 0 ? 'tool_calls' : finishOf[stop]!,
    ...expectedUsage(usage),
  };
}

const messages = [
  'anthropic/vercel-text.json',
  'anthropic/vercel-thinking.json',
  'anthropic/vercel-tool-no-args.json',
  'anthropic/vercel-tool-use.json',
  'anthropic/vercel-refusal.json',
  'anthropic/vercel-web-fetch-tool-error.json',
];

const streams: Array<[string, () => string]> = [
  ...[
    'anthropic/llm-stream-adaptive-thinking-opus-4-6.sse',
    'anthropic/llm-stream-stop-sequence.sse',
    'anthropic/llm-stream-text.sse',
    'anthropic/llm-stream-thinking.sse',
    'anthropic/llm-stream-tool-use.sse',
    'anthropic/llm-stream-tools-1.sse',
    'anthropic/llm-stream-tools-2.sse',
  ].map((n): [string, () => string] => [n, () => readFixture(n).toString('utf8')]),
  ...[
    'anthropic/vercel-message-delta-input-tokens.chunks.jsonl',
    'anthropic/vercel-refusal.chunks.jsonl',
    'anthropic/vercel-text.chunks.jsonl',
    'anthropic/vercel-thinking.chunks.jsonl',
    'anthropic/vercel-tool-no-args.chunks.jsonl',
    'anthropic/vercel-tool-use.chunks.jsonl',
  ].map((n): [string, () => string] => [n, () => anthropicChunksToSse(n)]),
];

const ctx = useReplayGateway((url) => ({
  ANTHROPIC_BASE_URL: url,
  ANTHROPIC_API_KEY: 'sk-ant-upstream',
}));
const model = 'anthropic/claude-3-haiku';

describe('Anthropic answers reach the SDK as chat completions', () => {
  for (const name of messages) {
    it(name, async () => {
      const recorded = readJsonFixture<Json>(name);
      const expected = fromMessage(recorded);
      ctx.upstream.handler = () => jsonReply(recorded);
      const answer = await ctx.client.chat.completions.create({ model, messages: hi });
      const choice = expectCompletion(answer, model, expected);
      const calls = (choice.message.tool_calls ?? []).map((c) => {
        if (c.type !== 'function') throw new Error('not a function call');
        return { id: c.id, name: c.function.name, input: JSON.parse(c.function.arguments) };
      });
      expect(calls).toEqual(expected.tools);
      expectUsage(answer.usage, expected);
      expect(ctx.upstream.last.url).toBe('/v1/messages');
      expect(ctx.upstream.last.headers['x-api-key']).toBe('sk-ant-upstream');
      expect(ctx.upstream.last.headers['anthropic-version']).toBe('2023-06-01');
    });
  }
});

describe('Anthropic streams reach the SDK as chunks', () => {
  for (const [name, body] of streams) {
    it(name, async () => {
      const events = sseDataPayloads(body()).map((d) => JSON.parse(d) as Json);
      const expected = fromEvents(events);
      // Cut the body at odd places: translation must not depend on how bytes arrive.
      const bytes = Buffer.from(body());
      ctx.upstream.handler = () => sseReply(bytes, [7, 100, Math.floor(bytes.length / 2)]);
      const stream = await ctx.client.chat.completions.create({
        model,
        messages: hi,
        stream: true,
        stream_options: { include_usage: true },
      });
      const { choice, usage } = await expectStreamedChoice(stream, expected);
      expect(
        choice.toolCalls.map((c) => ({ id: c.id, name: c.name, input: JSON.parse(c.arguments) })),
      ).toEqual(expected.tools);
      expectUsage(usage, expected);
      expect((ctx.upstream.last.json as Json).stream).toBe(true);
    });
  }

  it('streams without include_usage send no usage chunk', async () => {
    ctx.upstream.handler = () =>
      sseReply(anthropicChunksToSse('anthropic/vercel-text.chunks.jsonl'));
    const stream = await ctx.client.chat.completions.create({
      model,
      messages: hi,
      stream: true,
    });
    const { usage, choices } = await assemble(stream);
    expect(usage).toBeUndefined();
    expect(choices.get(0)!.finishReasons).toEqual(['stop']);
  });
});

describe('Anthropic errors reach the SDK with the gateway status', () => {
  const cases: Array<[string, number, number, ErrorClass, Record<string, string>?]> = [
    ['anthropic/errors-transcribed/400-prompt-too-long.json', 400, 400, OpenAI.BadRequestError],
    ['anthropic/pai-error-400-invalid-request.json', 400, 400, OpenAI.BadRequestError],
    ['anthropic/pai-error-404-not-found.json', 404, 400, OpenAI.BadRequestError],
    [
      'anthropic/errors-transcribed/401-authentication-error.json',
      401,
      500,
      OpenAI.InternalServerError,
    ],
    [
      'anthropic/errors-transcribed/429-rate-limit-error.json',
      429,
      503,
      OpenAI.InternalServerError,
      { 'retry-after': '7' },
    ],
    ['anthropic/errors-transcribed/529-overloaded.json', 529, 503, OpenAI.InternalServerError],
  ];
  for (const [name, upstreamStatus, status, errorClass, headers] of cases) {
    it(`${name} (${upstreamStatus}) becomes ${status}`, async () => {
      const recorded = readJsonFixture<Json>(name);
      const reply = jsonReply(recorded, upstreamStatus, headers);
      const apiError = await expectApiError(ctx, model, reply, errorClass, status);
      const message = recorded.error.message as string;
      if (status === 400) expect(apiError.message).toContain(message);
      else expect(apiError.message).not.toContain(message);
      if (headers) expect(apiError.headers?.get('retry-after')).toBe(headers['retry-after']);
    });
  }

  const synthetic = 'anthropic/errors-transcribed/SYNTHETIC-sse-midstream-overloaded.sse';

  it('an error event mid-stream ends the stream with an OpenAI error event', async () => {
    const body = readFixture(synthetic).toString('utf8');
    const events = sseDataPayloads(body).map((d) => JSON.parse(d) as Json);
    const expectedText = fromEvents(events).content;
    ctx.upstream.handler = () => sseReply(body);
    const stream = await ctx.client.chat.completions.create({
      model,
      messages: hi,
      stream: true,
    });
    let content = '';
    const finishes: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) {
        content += chunk.choices[0]?.delta.content ?? '';
        if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/unavailable/i);
    expect(content).toBe(expectedText);
    expect(finishes).toEqual([]);
  });

  it('an error event before any chunk is a plain 503', async () => {
    const body = readFixture(synthetic).toString('utf8');
    const errorEvent = body.slice(body.indexOf('event: error'));
    ctx.upstream.handler = () => sseReply(errorEvent);
    const error = await ctx.client.chat.completions
      .create({ model, messages: hi, stream: true })
      .then(async (s) => {
        for await (const _ of s) void _;
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
  });

  it('a stream that ends before message_stop is an error, not a stop', async () => {
    const events = readChunks('anthropic/vercel-text.chunks.jsonl') as Json[];
    const cut = events
      .filter((e) => e.type !== 'message_stop')
      .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
      .join('');
    ctx.upstream.handler = () => sseReply(cut);
    await expectStreamError(ctx, model);
  });
});
