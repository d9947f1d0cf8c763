import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../src/streaming/sse-decoder.js';
import { readFixture } from '../support/fixtures.js';

function decode(pieces: Buffer[]): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (const piece of pieces) decoder.push(piece, (e) => events.push(e));
  decoder.end((e) => events.push(e));
  return events;
}

const recordings = [
  'openai/llm-stream-tool-call-gpt-4o-mini.sse',
  'openai/pai-stream-moderation.sse',
  'openrouter/pai-stream-error-mid-stream.sse',
  'anthropic/llm-stream-text.sse',
  'gemini/pai-sse-text.sse',
];

describe('SseDecoder', () => {
  for (const name of recordings) {
    const bytes = readFixture(name);
    const whole = decode([bytes]);

    it(`${name}: same events for every split position`, () => {
      expect(whole.length).toBeGreaterThan(0);
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(decode([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
      }
    });

    it(`${name}: same events one byte at a time and with CRLF or CR endings`, () => {
      const single = [...bytes].map((b) => Buffer.from([b]));
      expect(decode(single)).toEqual(whole);
      const crlf = Buffer.from(bytes.toString('utf8').replace(/\r?\n/g, '\r\n'));
      expect(decode([crlf])).toEqual(whole);
      for (let cut = 1; cut < crlf.length; cut += 7) {
        expect(decode([crlf.subarray(0, cut), crlf.subarray(cut)])).toEqual(whole);
      }
      const cr = Buffer.from(bytes.toString('utf8').replace(/\r?\n/g, '\r'));
      expect(decode([cr])).toEqual(whole);
    });
  }

  it('drops comment lines and keeps event names', () => {
    const events = decode([
      Buffer.from(': PROCESSING\n\nevent: ping\ndata: {}\n\n: x\ndata: a\ndata: b\n\n'),
    ]);
    expect(events).toEqual([
      { event: 'ping', data: '{}' },
      { event: undefined, data: 'a\nb' },
    ]);
  });

  it('joins a UTF-8 character split across reads', () => {
    const bytes = Buffer.from('data: {"t":"héllo 😀"}\n\n');
    const at = bytes.indexOf(0xf0) + 2;
    expect(decode([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([
      { event: undefined, data: '{"t":"héllo 😀"}' },
    ]);
  });

  it('dispatches a last event that lacks its blank line', () => {
    expect(decode([Buffer.from('data: [DONE]')])).toEqual([{ event: undefined, data: '[DONE]' }]);
  });
});
