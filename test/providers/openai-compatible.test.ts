import { describe, expect, it } from 'vitest';
import {
  chunksToSse,
  readChunks,
  readFixture,
  readJsonFixture,
  sseDataPayloads,
} from '../support/fixtures.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { jsonReply, sseReply } from '../support/replay-upstream.js';

/** Every OpenAI-compatible recording, replayed through the gateway to the official SDK. */

const completions = [
  'openai/llm-nonstream-tool-call-1.json',
  'openai/llm-nonstream-tool-call-2.json',
  'openai/llm-nonstream-tool-call-3.json',
  'openai/vercel-text.json',
  'groq/vercel-text.json',
  'groq/vercel-reasoning.json',
  'groq/vercel-tool-call.json',
  'deepseek/vercel-reasoning.json',
  'deepseek/vercel-tool-call.json',
  'mistral/vercel-tool-call.json',
  'ollama/pai-cloud-tool-calls.json',
  'ollama/pai-local-chat-completion.json',
  'together/pai-hf-router-finish-length.json',
  'xai/vercel-tool-call.json',
];

/** Stream recordings as the SSE body the host sent. */
const streams: Array<[string, () => string]> = [
  ...[
    'openai/llm-stream-after-tool-result-gpt-4o-mini.sse',
    'openai/llm-stream-tool-call-gpt-4o-mini.sse',
    'openai/pai-stream-moderation.sse',
    'openai/pai-stream-tool-call.sse',
    'openrouter/llm-stream-tool-call-kimi-k2.sse',
  ].map((name): [string, () => string] => [name, () => readFixture(name).toString('utf8')]),
  ...[
    'openai/vercel-text.chunks.jsonl',
    'openai/vercel-azure-model-router.chunks.jsonl',
    'groq/vercel-tool-call.chunks.jsonl',
    'deepseek/vercel-tool-call.chunks.jsonl',
    'mistral/vercel-text.chunks.jsonl',
    'mistral/vercel-tool-call.chunks.jsonl',
    'xai/vercel-tool-call.chunks.jsonl',
  ].map((name): [string, () => string] => [name, () => chunksToSse(readChunks(name))]),
];

const ctx = useReplayGateway((url) => ({
  OPENAI_BASE_URL: `${url}/v1`,
  OPENAI_API_KEY: 'sk-upstream-openai',
  GROQ_BASE_URL: `${url}/groq/v1`,
  GROQ_API_KEY: 'gsk-upstream-groq',
}));

describe('non-streamed answers pass through unchanged but for model', () => {
  for (const name of completions) {
    it(name, async () => {
      const recorded = readJsonFixture<Record<string, unknown>>(name);
      ctx.upstream.handler = () => jsonReply(recorded);
      const answer = await ctx.client.chat.completions.create({
        model: 'openai/gpt-4',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer).toEqual({ ...recorded, model: 'openai/gpt-4' });
      expect(ctx.upstream.last.url).toBe('/v1/chat/completions');
      expect(ctx.upstream.last.headers.authorization).toBe('Bearer sk-upstream-openai');
      expect((ctx.upstream.last.json as { model: string }).model).toBe('gpt-4');
    });
  }
});

describe('streamed answers reach the SDK chunk for chunk', () => {
  for (const [name, body] of streams) {
    const recordedChunks = () =>
      sseDataPayloads(body())
        .filter((d) => d !== '[DONE]')
        .map((d) => JSON.parse(d) as Record<string, unknown>);

    it(`${name} with include_usage`, async () => {
      ctx.upstream.handler = () => sseReply(body());
      const stream = await ctx.client.chat.completions.create({
        model: 'meta-llama/llama-3.1-8b-instruct',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const received: unknown[] = [];
      for await (const chunk of stream) received.push(chunk);
      const expected = recordedChunks().map((c) => ({
        ...c,
        model: 'meta-llama/llama-3.1-8b-instruct',
        choices: c.choices ?? [],
      }));
      expect(received).toEqual(expected);
      expect(ctx.upstream.last.url).toBe('/groq/v1/chat/completions');
      expect(ctx.upstream.last.headers.authorization).toBe('Bearer gsk-upstream-groq');
    });

    it(`${name} without include_usage drops the usage chunk and still asks upstream for it`, async () => {
      ctx.upstream.handler = () => sseReply(body());
      const stream = await ctx.client.chat.completions.create({
        model: 'llama-3.1-8b-instruct',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      const received: Array<Record<string, unknown>> = [];
      for await (const chunk of stream) received.push(chunk as unknown as Record<string, unknown>);
      const expected = recordedChunks()
        .filter((c) => !(c.usage && Array.isArray(c.choices) && c.choices.length === 0))
        .map((c) => {
          const { usage: _usage, ...rest } = c;
          return { ...rest, model: 'llama-3.1-8b-instruct', choices: c.choices ?? [] };
        });
      expect(received).toEqual(expected);
      const sent = ctx.upstream.last.json as { stream_options?: { include_usage?: boolean } };
      expect(sent.stream_options?.include_usage).toBe(true);
    });
  }
});
