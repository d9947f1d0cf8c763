import { GatewayError } from '../errors.js';
import type { LimitState } from './limiter.js';
import { rateLimitHeaders } from './rate-limit-headers.js';

type LimitCode =
  'requests_per_minute_exceeded' | 'requests_per_day_exceeded' | 'tokens_per_day_exceeded';

/** The 429 for a limit that binds, with retry-after until it gives capacity again. */
export function limitExceeded(
  code: LimitCode,
  message: string,
  resetAt: number,
  state: LimitState,
  now: number,
): GatewayError {
  const waitMs = Math.max(1, resetAt - now);
  return new GatewayError(code, message, {
    retryAfterMs: waitMs,
    headers: rateLimitHeaders(state, now),
  });
}

/** "in 12s", "in 3h 5m": a wait a person reads at a glance. */
export function humanWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
