import { describe, expect, it } from 'vitest';
import { chunksToSse, readChunks, readFixture } from '../support/fixtures.js';
import { useReplayGateway } from '../support/replay-gateway.js';
import { sseReply } from '../support/replay-upstream.js';

/** Upstream bytes split anywhere, with LF or CRLF endings, give the client the same stream. */

const recordings: Array<[string, string]> = [
  [
    'openai/llm-stream-tool-call-gpt-4o-mini.sse',
    readFixture('openai/llm-stream-tool-call-gpt-4o-mini.sse').toString(),
  ],
  ['openai/pai-stream-moderation.sse', readFixture('openai/pai-stream-moderation.sse').toString()],
  [
    'openrouter/llm-stream-tool-call-kimi-k2.sse',
    readFixture('openrouter/llm-stream-tool-call-kimi-k2.sse').toString(),
  ],
  [
    'groq/vercel-tool-call.chunks.jsonl',
    chunksToSse(readChunks('groq/vercel-tool-call.chunks.jsonl')),
  ],
];

const ctx = useReplayGateway((url) => ({ OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: 'sk-up' }));

async function collect(body: string, cuts: number[]): Promise<unknown[]> {
  ctx.upstream.handler = () => sseReply(body, cuts);
  const stream = await ctx.client.chat.completions.create({
    model: 'gpt-3.5-turbo',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks: unknown[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('stream splits', () => {
  for (const [name, body] of recordings) {
    it(`${name}: 40 split positions and CRLF endings give the same chunks`, async () => {
      const reference = await collect(body, []);
      expect(reference.length).toBeGreaterThan(2);
      const length = Buffer.byteLength(body);
      for (let i = 1; i <= 40; i++) {
        const cut = Math.floor((length * i) / 41);
        // Two cuts, one byte apart, also land inside multi-byte characters and CRLF pairs.
        expect(await collect(body, [cut, cut + 1])).toEqual(reference);
      }
      const crlf = body.replace(/\r?\n/g, '\r\n');
      const crlfLength = Buffer.byteLength(crlf);
      for (let i = 1; i <= 10; i++) {
        const cut = Math.floor((crlfLength * i) / 11);
        expect(await collect(crlf, [cut, cut + 1])).toEqual(reference);
      }
    });
  }
});
