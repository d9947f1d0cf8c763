import { Agent, request } from 'node:http';

/** What one slow stream looked like from the client's side. */
export interface StreamTrace {
  /** ms from sending the request to the first body byte. */
  firstByteMs: number;
  /** Longest wait between two body reads after the first, in ms. */
  maxGapMs: number;
  done: boolean;
  error?: string;
}

/** Open streams right now, for sampling memory while all are open. */
export const openStreams = { count: 0 };

/**
 * Opens one streamed completion on its own connection and resolves when it ends. A stream that
 * never sends `[DONE]` or errors is recorded as such, not thrown: the report counts them.
 */
export function openStream(
  url: string,
  headers: Record<string, string>,
  body: string,
  agent: Agent,
): Promise<StreamTrace> {
  return new Promise((resolve) => {
    const started = performance.now();
    let last = started;
    const trace: StreamTrace = { firstByteMs: Number.NaN, maxGapMs: 0, done: false };
    let tail = '';
    openStreams.count++;
    const finish = (error?: string) => {
      openStreams.count--;
      if (error !== undefined && !trace.done) trace.error = error;
      resolve(trace);
    };
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) finish(`status ${res.statusCode}`);
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        const now = performance.now();
        if (Number.isNaN(trace.firstByteMs)) trace.firstByteMs = now - started;
        else trace.maxGapMs = Math.max(trace.maxGapMs, now - last);
        last = now;
        // Only the end matters: keep enough of it to see `[DONE]` across a split read.
        tail = (tail + text).slice(-32);
        if (tail.includes('[DONE]')) trace.done = true;
      });
      res.on('end', () => finish(trace.done ? undefined : 'ended without [DONE]'));
      res.on('error', (e) => finish(e.message));
    });
    req.on('error', (e) => finish(e.message));
    req.end(body);
  });
}
