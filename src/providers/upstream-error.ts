import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../errors.js';

/**
 * The one rule for upstream failures, whatever the provider. Adapters pull the message out of
 * their own error body and call this.
 * - 400, 404, 409, 413, 422: the client's request was at fault; pass the provider's message.
 * - 401, 403: the operator's credential is wrong; the client learns nothing of it.
 * - 429 and 5xx (and 529, Anthropic's overload): the upstream cannot serve now; 503 with its
 *   retry-after when it sent one.
 */
export function mapUpstreamStatus(
  status: number,
  message: string | undefined,
  retryAfterMs?: number,
): GatewayError {
  const withRetry = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 401 || status === 403) {
    return new GatewayError(
      'upstream_auth_failed',
      'The gateway could not authenticate with the upstream provider. The operator has been told.',
    );
  }
  if (status === 429) {
    return new GatewayError(
      'upstream_rate_limited',
      'The upstream provider is rate limiting the gateway. Please retry shortly.',
      withRetry,
    );
  }
  if (status >= 400 && status < 500) {
    return new GatewayError(
      'upstream_invalid_request',
      message || `The upstream provider rejected the request (status ${status}).`,
    );
  }
  return new GatewayError(
    'upstream_unavailable',
    `The upstream provider is unavailable (status ${status}). Please retry shortly.`,
    withRetry,
  );
}

/** `retry-after` (seconds or an HTTP date) or `retry-after-ms`, as milliseconds. */
export function retryAfterFrom(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const ms = Number(headers['retry-after-ms']);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (typeof value !== 'string' || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Parses a JSON error body, or undefined when it is not JSON (an HTML error page, say). */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
