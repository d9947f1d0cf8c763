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
import { assemble, geminiChunksToSse } from '../support/provider-fixtures.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { jsonReply, sseReply } from '../support/replay-upstream.js';

/**
 * Every Gemini recording in ../shared/fixtures, replayed by a local upstream and read through
 * the official SDK: generateContent JSON, alt=sse bodies, `*.chunks.jsonl` re-framed as
 * alt=sse, and the JSON-array stream form replayed as recorded (the adapter's decoder reads
 * it). Expectations are computed from each recording with the rules of the issue.
 */

type Json = Record<string, any>;

const filtered = ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII'];

interface Expected {
  content: string | null;
  tools: Array<{ name: string; args: unknown }>;
  finish: string;
  prompt: number;
  completion: number;
}

/** Folds the chunks of one answer (or a whole answer, as one chunk) for candidate 0. */
function expected(responses: Json[]): Expected {
  let text = '';
  const tools: Array<{ name: string; args: Json }> = [];
  let reason = '';
  let usage: Json = {};
  let open: Json | undefined;
  for (const response of responses) {
    if (response.usageMetadata) usage = response.usageMetadata;
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (typeof part.text === 'string' && !part.thought) text += part.text;
      const call = part.functionCall;
      if (call?.name) {
        open = { name: call.name, args: call.args ?? {} };
        tools.push(open as { name: string; args: Json });
      }
      for (const piece of call?.partialArgs ?? []) {
        const key = (piece.jsonPath as string).replace(/^\$\./, '');
        open!.args[key] = (open!.args[key] ?? '') + (piece.stringValue ?? '');
      }
    }
    if (candidate?.finishReason) reason = candidate.finishReason;
  }
  let finish =
    reason === 'MAX_TOKENS' ? 'length' : filtered.includes(reason) ? 'content_filter' : 'stop';
  if (tools.length > 0) finish = 'tool_calls';
  const prompt = usage.promptTokenCount ?? 0;
  const completion = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  return { content: text || null, tools, finish, prompt, completion };
}

const answers = [
  'gemini/pai-finish-max-tokens-thinking-empty.json',
  'gemini/pai-finish-max-tokens.json',
  'gemini/pai-finish-safety.json',
  'gemini/pai-function-call.json',
  'gemini/vercel-function-call.json',
  'gemini/vercel-reasoning.json',
  'gemini/vercel-text.json',
];

/** [name, body as the upstream sends it, the responses it holds] */
const streams: Array<[string, () => string, () => Json[]]> = [
  ...[
    'gemini/pai-sse-function-call.sse',
    'gemini/pai-sse-gemini3-function-call-thought-signature.sse',
    'gemini/pai-sse-text.sse',
    'gemini/pai-sse-thinking.sse',
    'gemini/pai-sse-usage-mid-stream.sse',
    'gemini/pai-vertex-sse-text.sse',
  ].map((n): [string, () => string, () => Json[]] => [
    n,
    () => readFixture(n).toString('utf8'),
    () => sseDataPayloads(readFixture(n).toString('utf8')).map((d) => JSON.parse(d) as Json),
  ]),
  ...[
    'gemini/vercel-function-call.chunks.jsonl',
    'gemini/vercel-reasoning.chunks.jsonl',
    'gemini/vercel-text.chunks.jsonl',
    'gemini/vercel-vertex-stream-function-call-partial-args.chunks.jsonl',
  ].map((n): [string, () => string, () => Json[]] => [
    n,
    () => geminiChunksToSse(n),
    () => readChunks(n) as Json[],
  ]),
  ...[
    'gemini/llm-stream-json-array-function-call-1.json',
    'gemini/llm-stream-json-array-function-call-2.json',
    'gemini/llm-stream-json-array-function-call-3.json',
    'gemini/llm-stream-json-array-gemini3-thought-signature.json',
    'gemini/llm-stream-json-array-text.json',
  ].map((n): [string, () => string, () => Json[]] => [
    n,
    () => readFixture(n).toString('utf8'),
    () => readJsonFixture<Json[]>(n),
  ]),
];

const ctx = useReplayGateway((url) => ({ GEMINI_BASE_URL: url, GEMINI_API_KEY: 'g-upstream' }));
const model = 'google/gemini-pro';

function toolsOf(calls: Array<{ name: string; arguments: string }>) {
  return calls.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) as unknown }));
}

describe('Gemini answers reach the SDK as chat completions', () => {
  for (const name of answers) {
    it(name, async () => {
      const recorded = readJsonFixture<Json>(name);
      const want = expected([recorded]);
      ctx.upstream.handler = () => jsonReply(recorded);
      const answer = await ctx.client.chat.completions.create({ model, messages: hi });
      const choice = expectCompletion(answer, model, want);
      const calls = (choice.message.tool_calls ?? []).map((c) => {
        if (c.type !== 'function') throw new Error('not a function call');
        expect(c.id).toMatch(/^call_/);
        return c.function;
      });
      expect(toolsOf(calls)).toEqual(want.tools);
      expectUsage(answer.usage, want);
      expect(ctx.upstream.last.url).toBe('/v1beta/models/gemini-pro:generateContent');
      expect(ctx.upstream.last.headers['x-goog-api-key']).toBe('g-upstream');
    });
  }
});

describe('Gemini streams reach the SDK as chunks', () => {
  for (const [name, body, responses] of streams) {
    it(name, async () => {
      const want = expected(responses());
      const bytes = Buffer.from(body());
      ctx.upstream.handler = () => sseReply(bytes, [1, 50, Math.floor(bytes.length / 2)]);
      const stream = await ctx.client.chat.completions.create({
        model,
        messages: hi,
        stream: true,
        stream_options: { include_usage: true },
      });
      const { choice, usage } = await expectStreamedChoice(stream, want);
      expect(toolsOf(choice.toolCalls)).toEqual(want.tools);
      expect(new Set(choice.toolCalls.map((c) => c.id)).size).toBe(choice.toolCalls.length);
      expectUsage(usage, want);
      expect(ctx.upstream.last.url).toBe('/v1beta/models/gemini-pro:streamGenerateContent?alt=sse');
    });
  }

  it('a streamed function call has the same id as in the whole answer', async () => {
    const name = 'gemini/pai-sse-function-call.sse';
    const body = readFixture(name).toString('utf8');
    ctx.upstream.handler = () => sseReply(body);
    const stream = await ctx.client.chat.completions.create({
      model,
      messages: hi,
      stream: true,
    });
    const streamed = (await assemble(stream)).choices.get(0)!.toolCalls[0]!.id;
    ctx.upstream.handler = () => jsonReply(JSON.parse(sseDataPayloads(body)[0]!));
    const whole = await ctx.client.chat.completions.create({
      model,
      messages: hi,
    });
    expect(whole.choices[0]!.message.tool_calls![0]!.id).toBe(streamed);
  });
});

describe('Gemini errors reach the SDK with the gateway status', () => {
  const cases: Array<[string, number, number, ErrorClass, string?]> = [
    ['gemini/errors-transcribed/400-api-key-invalid.json', 400, 500, OpenAI.InternalServerError],
    ['gemini/errors-transcribed/429-resource-exhausted.json', 429, 503, OpenAI.InternalServerError],
    ['gemini/vercel-error-429-retry-info.json', 429, 503, OpenAI.InternalServerError, '35'],
    ['gemini/errors-transcribed/503-model-overloaded.json', 503, 503, OpenAI.InternalServerError],
  ];
  for (const [name, upstreamStatus, status, errorClass, retryAfter] of cases) {
    it(`${name} (${upstreamStatus}) becomes ${status}`, async () => {
      const recorded = readJsonFixture<Json>(name);
      const reply = jsonReply(recorded, upstreamStatus);
      const apiError = await expectApiError(ctx, model, reply, errorClass, status);
      expect(apiError.message).not.toContain('API key');
      if (retryAfter) expect(apiError.headers?.get('retry-after')).toBe(retryAfter);
    });
  }

  it('a 400 INVALID_ARGUMENT passes the provider message', async () => {
    const body = {
      error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' },
    };
    const error = await expectApiError(
      ctx,
      model,
      jsonReply(body, 400),
      OpenAI.BadRequestError,
      400,
    );
    expect(error.message).toContain('Invalid JSON payload received.');
  });

  it('an error object inside the stream ends it with an OpenAI error event', async () => {
    const first = readChunks('gemini/vercel-text.chunks.jsonl')[0];
    const failure = readJsonFixture<Json>('gemini/errors-transcribed/503-model-overloaded.json');
    ctx.upstream.handler = () =>
      sseReply(`data: ${JSON.stringify(first)}\n\ndata: ${JSON.stringify(failure)}\n\n`);
    await expectStreamError(ctx, model);
  });
});

describe('the JSON-array stream form', () => {
  it('is read the same when every byte arrives alone', async () => {
    const name = 'gemini/llm-stream-json-array-function-call-3.json';
    const want = expected(readJsonFixture<Json[]>(name));
    const bytes = readFixture(name);
    ctx.upstream.handler = () =>
      sseReply(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      );
    const stream = await ctx.client.chat.completions.create({
      model,
      messages: hi,
      stream: true,
    });
    const choice = (await assemble(stream)).choices.get(0)!;
    expect(choice.content).toBe(want.content);
    expect(choice.finishReasons).toEqual([want.finish]);
  });
});
