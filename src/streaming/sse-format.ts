/** SSE framing of what the gateway sends to clients. */

export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

export const sseDone = 'data: [DONE]\n\n';

/** One `data:` event holding a JSON value. JSON never contains a raw newline. */
export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}
