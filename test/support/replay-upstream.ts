import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted upstream answer. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** The whole body, or pieces written one after another (to test splits). */
  body?: string | Buffer | Array<string | Buffer>;
  /** Milliseconds between pieces. */
  delayMs?: number;
  /** Close the socket before answering (a dead upstream). */
  destroy?: boolean;
  /** Close the socket after writing the pieces, without ending the body. */
  cutAfterBody?: boolean;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

type Handler = (request: ReceivedRequest) => Reply | Promise<Reply>;

/**
 * A local upstream on 127.0.0.1 that replays recorded answers. Tests set `handler`; every
 * request it received is kept in `requests`.
 */
export class ReplayUpstream {
  readonly requests: ReceivedRequest[] = [];
  /** Answers the gateway stopped reading before they ended (it aborted the call). */
  abortedAnswers = 0;
  handler: Handler = () => ({ status: 500, body: 'no handler set' });
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      res.once('close', () => {
        if (!res.writableFinished) this.abortedAnswers += 1;
      });
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const received: ReceivedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          json,
        };
        this.requests.push(received);
        void Promise.resolve(this.handler(received)).then(async (reply) => {
          if (reply.destroy) {
            req.socket.destroy();
            return;
          }
          res.writeHead(reply.status ?? 200, {
            'content-type': 'application/json',
            ...reply.headers,
          });
          const pieces = Array.isArray(reply.body) ? reply.body : [reply.body ?? ''];
          for (const piece of pieces) {
            if (res.destroyed) return;
            res.write(piece);
            if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
          }
          if (reply.cutAfterBody) res.socket?.destroy();
          else res.end();
        });
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** The last request received. */
  get last(): ReceivedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error('the upstream received no request');
    return last;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}

export const sseReplyHeaders = { 'content-type': 'text/event-stream' };

/** A JSON reply. */
export function jsonReply(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** An SSE reply, optionally cut into pieces at the given byte offsets. */
export function sseReply(body: string | Buffer, cuts: number[] = []): Reply {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const pieces: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(bytes.subarray(start, cut));
    start = cut;
  }
  pieces.push(bytes.subarray(start));
  return { status: 200, headers: sseReplyHeaders, body: pieces };
}
