import type { TierLimits } from '../config/schema.js';

/**
 * The limiter: requests per minute, requests per day and tokens per day, per account. One
 * interface, so the in-process limiter and a shared (Redis) one are interchangeable.
 *
 * Counting rule: a request counts once it is admitted here (after auth, validation and the tier
 * check), whatever happens upstream. Tokens are reserved before the call (estimated prompt plus
 * completion cap) and settled after it to what the upstream really used.
 */
export interface Limiter {
  /** Admits a request or throws a 429 GatewayError naming the limit that binds. */
  reserve(input: ReserveInput): Promise<Reservation>;
  /** Records what the request really used and releases the rest of its reservation. */
  settle(reservation: Reservation, usedTokens: number): Promise<void>;
  /** The account's state now, without reserving anything. */
  peek(accountId: string, limits: TierLimits, now: number): Promise<LimitState>;
}

export interface ReserveInput {
  accountId: string;
  limits: TierLimits;
  /** Estimated prompt tokens. */
  promptTokens: number;
  /** The client's completion cap, if it set one: it must fit in what is left of the day. */
  requestedCap: number | undefined;
  now: number;
}

export interface Reservation {
  accountId: string;
  /** UTC day the request counts on. */
  day: string;
  /** Tokens held until settle: prompt estimate plus completion cap. */
  tokens: number;
  /** Completion cap to send upstream: the client's, or the tier default clamped to the day. */
  completionCap: number;
  /** State right after admission, for the rate-limit headers. */
  state: LimitState;
}

/** Remaining capacity of the binding request limit and of the day's tokens. */
export interface LimitState {
  requests: Counter;
  tokens: Counter;
  requestsPerMinute: Counter;
  requestsPerDay: Counter;
}

export interface Counter {
  limit: number;
  /** Counted so far in the window (tokens: settled only). */
  used: number;
  remaining: number;
  /** Epoch milliseconds when the counter next gains capacity. */
  resetAt: number;
}
