import type { LimitState } from './limiter.js';

/**
 * OpenAI's rate-limit headers. `requests` describes whichever request limit (per minute or per
 * day) has less left; `tokens` the day's token budget. Resets are durations, as OpenAI writes
 * them (`1s`, `6m0s`, `2h3m4s`).
 */
export function rateLimitHeaders(state: LimitState, now: number): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(state.requests.limit),
    'x-ratelimit-remaining-requests': String(state.requests.remaining),
    'x-ratelimit-reset-requests': duration(state.requests.resetAt - now),
    'x-ratelimit-limit-tokens': String(state.tokens.limit),
    'x-ratelimit-remaining-tokens': String(state.tokens.remaining),
    'x-ratelimit-reset-tokens': duration(state.tokens.resetAt - now),
  };
}

/** Go-style duration: `0s`, `850ms`, `12s`, `6m0s`, `2h3m4s`. */
export function duration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
