import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readChunks, readFixture, readJsonFixture, sseDataPayloads } from '../support/fixtures.js';
import { TestGateway } from '../support/gateway.js';
import { assemble, geminiChunksToSse } from '../support/provider-fixtures.js';
import { jsonReply, ReplayUpstream, sseReply } from '../support/replay-upstream.js';

/**
 * Every Gemini recording in ../shared/fixtures, replayed by a local upstream and read through
 * the official SDK: generateContent JSON, alt=sse bodies, `*.chunks.jsonl` re-framed as
 * alt=sse, and the JSON-array stream form replayed as recorded (the adapter's decoder reads
 * it). Expectations are computed from each recording with the rules of the issue.
 */

type Json = Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any SDK error class
type ErrorClass = abstract new (...args: any[]) => InstanceType<typeof OpenAI.APIError>;

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

let upstream: ReplayUpstream;
let gw: TestGateway;
let client: OpenAI;
const model = 'google/gemini-pro';

beforeAll(async () => {
  upstream = await new ReplayUpstream().start();
  gw = await TestGateway.start({
    env: { GEMINI_BASE_URL: upstream.url, GEMINI_API_KEY: 'g-upstream' },
  });
  client = gw.client((await gw.account('enterprise')).key);
});
afterAll(async () => {
  await gw.stop();
  await upstream.stop();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

function toolsOf(calls: Array<{ name: string; arguments: string }>) {
  return calls.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) as unknown }));
}

describe('Gemini answers reach the SDK as chat completions', () => {
  for (const name of answers) {
    it(name, async () => {
      const recorded = readJsonFixture<Json>(name);
      const want = expected([recorded]);
      upstream.handler = () => jsonReply(recorded);
      const answer = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
      });
      const choice = answer.choices[0]!;
      expect(answer.model).toBe(model);
      expect(choice.message.content).toBe(want.content);
      expect(choice.finish_reason).toBe(want.finish);
      const calls = (choice.message.tool_calls ?? []).map((c) => {
        if (c.type !== 'function') throw new Error('not a function call');
        expect(c.id).toMatch(/^call_/);
        return c.function;
      });
      expect(toolsOf(calls)).toEqual(want.tools);
      expect(answer.usage).toMatchObject({
        prompt_tokens: want.prompt,
        completion_tokens: want.completion,
        total_tokens: want.prompt + want.completion,
      });
      expect(upstream.last.url).toBe('/v1beta/models/gemini-pro:generateContent');
      expect(upstream.last.headers['x-goog-api-key']).toBe('g-upstream');
    });
  }
});

describe('Gemini streams reach the SDK as chunks', () => {
  for (const [name, body, responses] of streams) {
    it(name, async () => {
      const want = expected(responses());
      const bytes = Buffer.from(body());
      upstream.handler = () => sseReply(bytes, [1, 50, Math.floor(bytes.length / 2)]);
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const { choices, usage } = await assemble(stream);
      const choice = choices.get(0)!;
      expect([...choices.keys()]).toEqual([0]);
      expect(choice.role).toBe('assistant');
      expect(choice.content || null).toBe(want.content);
      expect(choice.finishReasons).toEqual([want.finish]);
      expect(toolsOf(choice.toolCalls)).toEqual(want.tools);
      expect(new Set(choice.toolCalls.map((c) => c.id)).size).toBe(choice.toolCalls.length);
      expect(usage).toMatchObject({
        prompt_tokens: want.prompt,
        completion_tokens: want.completion,
        total_tokens: want.prompt + want.completion,
      });
      expect(upstream.last.url).toBe('/v1beta/models/gemini-pro:streamGenerateContent?alt=sse');
    });
  }

  it('a streamed function call has the same id as in the whole answer', async () => {
    const name = 'gemini/pai-sse-function-call.sse';
    const body = readFixture(name).toString('utf8');
    upstream.handler = () => sseReply(body);
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const streamed = (await assemble(stream)).choices.get(0)!.toolCalls[0]!.id;
    upstream.handler = () => jsonReply(JSON.parse(sseDataPayloads(body)[0]!));
    const whole = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
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
      upstream.handler = () => jsonReply(recorded, upstreamStatus);
      const error = await client.chat.completions
        .create({ model, messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClass);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(status);
      expect(apiError.message).not.toContain('API key');
      if (retryAfter) expect(apiError.headers?.get('retry-after')).toBe(retryAfter);
    });
  }

  it('a 400 INVALID_ARGUMENT passes the provider message', async () => {
    const body = {
      error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' },
    };
    upstream.handler = () => jsonReply(body, 400);
    const error = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain('Invalid JSON payload received.');
  });

  it('an error object inside the stream ends it with an OpenAI error event', async () => {
    const first = readChunks('gemini/vercel-text.chunks.jsonl')[0];
    const failure = readJsonFixture<Json>('gemini/errors-transcribed/503-model-overloaded.json');
    upstream.handler = () =>
      sseReply(`data: ${JSON.stringify(first)}\n\ndata: ${JSON.stringify(failure)}\n\n`);
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const error = await assemble(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });
});

describe('the JSON-array stream form', () => {
  it('is read the same when every byte arrives alone', async () => {
    const name = 'gemini/llm-stream-json-array-function-call-3.json';
    const want = expected(readJsonFixture<Json[]>(name));
    const bytes = readFixture(name);
    upstream.handler = () =>
      sseReply(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      );
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const choice = (await assemble(stream)).choices.get(0)!;
    expect(choice.content).toBe(want.content);
    expect(choice.finishReasons).toEqual([want.finish]);
  });
});
