import { describe, expect, it } from 'vitest';
import {
  chunksToSse,
  readChunks,
  readFixture,
  readJsonFixture,
  sseDataPayloads,
} from '../support/fixtures.js';
import { OpenApiSchemas } from '../support/openapi.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { jsonReply, sseReply } from '../support/replay-upstream.js';
import { request } from 'undici';

/**
 * What the gateway writes validates against OpenAI's own OpenAPI document. Real traffic sends
 * `system_fingerprint: null` where the spec says string, so that one field is widened. Other
 * hosts' answers pass through as they were sent (Groq's omit `content` beside tool calls and
 * say `service_tier: "on_demand"`), so only OpenAI's recordings are held to OpenAI's schema.
 */
const schemas = new OpenApiSchemas('openai-openapi.yaml', (spec) => {
  const components = (
    spec.components as { schemas: Record<string, { properties?: Record<string, unknown> }> }
  ).schemas;
  for (const name of ['CreateChatCompletionResponse', 'CreateChatCompletionStreamResponse']) {
    const props = components[name]!.properties!;
    props.system_fingerprint = { anyOf: [props.system_fingerprint, { type: 'null' }] };
  }
});

const ctx = useReplayGateway((url) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: 'k' }));

async function post(body: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const res = await request(`${ctx.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'openai/gpt-4',
      messages: [{ role: 'user', content: 'hi' }],
      ...body,
    }),
  });
  return { status: res.statusCode, text: await res.body.text() };
}

describe('answers validate against the OpenAI OpenAPI schema', () => {
  for (const name of [
    'openai/llm-nonstream-tool-call-1.json',
    'openai/vercel-text.json',
    'openai/llm-nonstream-tool-call-3.json',
  ]) {
    it(`chat.completion from ${name}`, async () => {
      ctx.upstream.handler = () => jsonReply(readJsonFixture(name));
      const { status, text } = await post({});
      expect(status).toBe(200);
      expect(schemas.errors('CreateChatCompletionResponse', JSON.parse(text))).toEqual([]);
    });
  }

  const streams: Array<[string, string]> = [
    [
      'openai/llm-stream-tool-call-gpt-4o-mini.sse',
      readFixture('openai/llm-stream-tool-call-gpt-4o-mini.sse').toString(),
    ],
    [
      'openai/pai-stream-moderation.sse',
      readFixture('openai/pai-stream-moderation.sse').toString(),
    ],
    ['openai/vercel-text.chunks.jsonl', chunksToSse(readChunks('openai/vercel-text.chunks.jsonl'))],
  ];
  for (const [name, body] of streams) {
    it(`every chunk of ${name}, ending with one [DONE]`, async () => {
      ctx.upstream.handler = () => sseReply(body);
      const { status, text } = await post({
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(status).toBe(200);
      const payloads = sseDataPayloads(text);
      expect(payloads.at(-1)).toBe('[DONE]');
      expect(payloads.filter((p) => p === '[DONE]')).toHaveLength(1);
      const chunks = payloads.slice(0, -1).map((p) => JSON.parse(p) as unknown);
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) {
        expect(schemas.errors('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
      }
    });
  }

  it('error bodies', async () => {
    const { status, text } = await post({ temperature: 9 });
    expect(status).toBe(400);
    expect(schemas.errors('ErrorResponse', JSON.parse(text))).toEqual([]);
  });
});
