import { Agent, request, type Dispatcher } from 'undici';
import { GatewayError } from '../errors.js';
import type { UpstreamRequest } from '../providers/provider.js';

export type UpstreamResponse = Dispatcher.ResponseData;

/**
 * HTTP to providers: undici `request()` over keep-alive pools, one pool per origin. Never the
 * global fetch on this path (see ../shared/DESIGN.md: it costs about 600 µs of CPU a request).
 */
export class UpstreamClient {
  readonly #agent: Agent;

  // No cap on connections per origin: a cap queues new streams behind long-running ones.
  constructor(agent = new Agent({ keepAliveTimeout: 30_000 })) {
    this.#agent = agent;
  }

  /**
   * Sends one call. `timeoutMs` bounds the wait for headers and each gap between body bytes;
   * `signal` cancels the upstream call when the client goes away.
   */
  async send(
    call: UpstreamRequest,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<UpstreamResponse> {
    try {
      return await request(call.url, {
        method: 'POST',
        headers: call.headers,
        body: call.body,
        signal,
        dispatcher: this.#agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw upstreamFailure(error, signal);
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** Maps a failure to reach the upstream (refused, reset, timed out) to a 503. */
export function upstreamFailure(error: unknown, signal?: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal?.aborted) {
    return new GatewayError('upstream_unavailable', 'The request was cancelled.', { cause: error });
  }
  const code = (error as { code?: string } | null)?.code ?? '';
  if (code.includes('TIMEOUT')) {
    return new GatewayError('upstream_timeout', 'The upstream provider did not answer in time.', {
      cause: error,
    });
  }
  return new GatewayError('upstream_unavailable', 'The upstream provider could not be reached.', {
    cause: error,
  });
}
