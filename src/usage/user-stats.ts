import type { Principal } from '../accounts/authenticate.js';
import type { TierLimits } from '../config/schema.js';
import type { Limiter } from '../limits/limiter.js';
import { utcDay } from '../limits/utc-day.js';
import type { Db } from '../store/open-store.js';

/** The body of `GET /api/user/stats`. */
export interface UserStats {
  tier: string;
  total_requests: number;
  total_tokens: number;
  daily_requests: number;
  daily_tokens: number;
  remaining_requests: number;
  remaining_tokens: number;
  limits: { requests_per_minute: number; requests_per_day: number; tokens_per_day: number };
  remaining_requests_this_minute: number;
  /** ISO times when each limit next gains capacity. */
  reset: { requests_per_minute: string; requests_per_day: string; tokens_per_day: string };
}

/**
 * Usage of an account: today's counts from the limiter (admitted requests, settled tokens),
 * earlier days from the store. Remaining values never go below zero.
 */
export async function userStats(
  db: Db,
  limiter: Limiter,
  principal: Principal,
  limits: TierLimits,
  now: number,
): Promise<UserStats> {
  const state = await limiter.peek(principal.accountId, limits, now);
  const earlier = await db
    .selectFrom('daily_usage')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('requests'), eb.lit(0)).as('requests'),
      eb.fn.coalesce(eb.fn.sum<number>('tokens'), eb.lit(0)).as('tokens'),
    ])
    .where('account_id', '=', principal.accountId)
    .where('day', '<', utcDay(now))
    .executeTakeFirstOrThrow();
  const daily = state.requestsPerDay;
  return {
    tier: principal.tier,
    total_requests: Number(earlier.requests) + daily.used,
    total_tokens: Number(earlier.tokens) + state.tokens.used,
    daily_requests: daily.used,
    daily_tokens: state.tokens.used,
    remaining_requests: daily.remaining,
    remaining_tokens: state.tokens.remaining,
    limits: {
      requests_per_minute: limits.requestsPerMinute,
      requests_per_day: limits.requestsPerDay,
      tokens_per_day: limits.tokensPerDay,
    },
    remaining_requests_this_minute: state.requestsPerMinute.remaining,
    reset: {
      requests_per_minute: new Date(state.requestsPerMinute.resetAt).toISOString(),
      requests_per_day: new Date(daily.resetAt).toISOString(),
      tokens_per_day: new Date(state.tokens.resetAt).toISOString(),
    },
  };
}
