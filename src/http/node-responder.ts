import type { ServerResponse } from 'node:http';
import type { Responder } from '../gateway/responder.js';

/** The pipeline's Responder on a node:http response, streams written straight to the socket. */
export class NodeResponder implements Responder {
  readonly #res: ServerResponse;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  json(status: number, headers: Record<string, string>, body: unknown): void {
    sendJson(this.#res, status, headers, body);
  }

  startStream(headers: Record<string, string>): void {
    // No flushHeaders(): Node sends the headers with the first chunk, in the same packet.
    this.#res.writeHead(200, headers);
  }

  write(text: string): boolean {
    if (this.#res.destroyed) return true;
    return this.#res.write(text);
  }

  onDrain(callback: () => void): void {
    const done = (): void => {
      this.#res.off('drain', done);
      this.#res.off('close', done);
      callback();
    };
    this.#res.once('drain', done);
    this.#res.once('close', done);
  }

  end(text?: string): void {
    if (text === undefined || this.#res.destroyed) this.#res.end();
    else this.#res.end(text);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
