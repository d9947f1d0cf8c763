import type { TierLimits } from '../config/schema.js';
import { humanWait, limitExceeded } from './limit-exceeded.js';
import type { Counter, Limiter, LimitState, Reservation, ReserveInput } from './limiter.js';
import { SlidingWindow } from './sliding-window.js';
import { nextUtcMidnight, utcDay } from './utc-day.js';

/** Where a day's counts survive a restart: the store, written as requests settle. */
export interface DailyCountsSource {
  load(accountId: string, day: string): Promise<{ requests: number; tokens: number }>;
}

const minuteMs = 60_000;
/** Past this many tracked accounts, idle ones are dropped (they reload from the store). */
const maxTrackedAccounts = 10_000;
/** How long a client blocked only by other requests' reservations should wait. */
const reservationRetryMs = 1_000;

interface AccountState {
  minute: SlidingWindow;
  day: string;
  /** Requests admitted today, settled or not. */
  requests: number;
  /** Tokens settled today. */
  tokensUsed: number;
  /** Tokens held by requests in flight. */
  tokensReserved: number;
  inFlight: number;
}

/**
 * The limiter of one gateway process. Every check-and-count runs synchronously once the
 * account's day is loaded, so concurrent requests on the event loop can never over-admit.
 * Requests per minute use a sliding 60-second window, in memory only (a restart forgets at
 * most one minute). Daily counts start from the store, so a restart never gives budget back.
 */
export class MemoryLimiter implements Limiter {
  readonly #source: DailyCountsSource;
  readonly #accounts = new Map<string, AccountState>();
  readonly #loading = new Map<string, Promise<void>>();

  constructor(source: DailyCountsSource) {
    this.#source = source;
  }

  async reserve(input: ReserveInput): Promise<Reservation> {
    const { accountId, limits, promptTokens, requestedCap, now } = input;
    const state = await this.#state(accountId, now);
    const current = () => describe(state, limits, now);

    if (state.minute.count(now) >= limits.requestsPerMinute) {
      const resetAt = state.minute.nextExpiry(now);
      throw limitExceeded(
        'requests_per_minute_exceeded',
        `Rate limit reached: ${limits.requestsPerMinute} requests per minute. ` +
          `Try again in ${humanWait(resetAt - now)}.`,
        resetAt,
        current(),
        now,
      );
    }
    if (state.requests >= limits.requestsPerDay) {
      const resetAt = nextUtcMidnight(now);
      throw limitExceeded(
        'requests_per_day_exceeded',
        `Daily limit reached: ${limits.requestsPerDay} requests per day. ` +
          `It resets at 00:00 UTC, in ${humanWait(resetAt - now)}.`,
        resetAt,
        current(),
        now,
      );
    }
    const left = limits.tokensPerDay - state.tokensUsed - state.tokensReserved;
    const cap = requestedCap ?? Math.min(limits.defaultMaxTokens, left - promptTokens);
    if (cap < 1 || promptTokens + cap > left) {
      // Blocked only by requests still in flight: their unused reservations come back soon.
      const settledLeft = limits.tokensPerDay - state.tokensUsed;
      const soon = promptTokens + Math.max(cap, 1) <= settledLeft;
      const resetAt = soon ? now + reservationRetryMs : nextUtcMidnight(now);
      throw limitExceeded(
        'tokens_per_day_exceeded',
        `Daily token limit reached: this request needs about ${promptTokens + Math.max(cap, 1)} ` +
          `tokens (prompt plus max_tokens) and ${Math.max(left, 0)} of today's ` +
          `${limits.tokensPerDay} are left. Try again in ${humanWait(resetAt - now)}` +
          (soon ? ', when requests in flight finish.' : ', after 00:00 UTC.'),
        resetAt,
        current(),
        now,
      );
    }

    state.minute.add(now);
    state.requests += 1;
    state.tokensReserved += promptTokens + cap;
    state.inFlight += 1;
    return {
      accountId,
      day: state.day,
      tokens: promptTokens + cap,
      completionCap: cap,
      state: current(),
    };
  }

  async settle(reservation: Reservation, usedTokens: number): Promise<void> {
    const state = this.#accounts.get(reservation.accountId);
    if (!state || state.day !== reservation.day) return;
    state.tokensReserved -= reservation.tokens;
    state.tokensUsed += usedTokens;
    state.inFlight -= 1;
  }

  async peek(accountId: string, limits: TierLimits, now: number): Promise<LimitState> {
    return describe(await this.#state(accountId, now), limits, now);
  }

  /** The account's counters for the day of `now`, loading them from the store once. */
  async #state(accountId: string, now: number): Promise<AccountState> {
    const day = utcDay(now);
    for (;;) {
      const state = this.#accounts.get(accountId);
      if (state?.day === day) return state;
      const key = `${accountId}\u0000${day}`;
      let loading = this.#loading.get(key);
      if (!loading) {
        loading = this.#load(accountId, day, state, now).finally(() => this.#loading.delete(key));
        this.#loading.set(key, loading);
      }
      await loading;
    }
  }

  async #load(
    accountId: string,
    day: string,
    previous: AccountState | undefined,
    now: number,
  ): Promise<void> {
    const counts = await this.#source.load(accountId, day);
    if (this.#accounts.size >= maxTrackedAccounts) this.#sweep(now);
    this.#accounts.set(accountId, {
      // The minute window carries over midnight: it is not a daily counter.
      minute: previous?.minute ?? new SlidingWindow(minuteMs),
      day,
      requests: counts.requests,
      tokensUsed: counts.tokens,
      tokensReserved: 0,
      inFlight: 0,
    });
  }

  /** Forgets accounts with nothing in flight and nothing in the minute window. */
  #sweep(now: number): void {
    for (const [id, state] of this.#accounts) {
      if (state.inFlight === 0 && state.minute.count(now) === 0) this.#accounts.delete(id);
    }
  }
}

function describe(state: AccountState, limits: TierLimits, now: number): LimitState {
  const perMinute = state.minute.count(now);
  const minute: Counter = {
    limit: limits.requestsPerMinute,
    used: perMinute,
    remaining: Math.max(0, limits.requestsPerMinute - perMinute),
    resetAt: state.minute.nextExpiry(now),
  };
  const midnight = nextUtcMidnight(now);
  const day: Counter = {
    limit: limits.requestsPerDay,
    used: state.requests,
    remaining: Math.max(0, limits.requestsPerDay - state.requests),
    resetAt: midnight,
  };
  return {
    requests: day.remaining < minute.remaining ? day : minute,
    requestsPerMinute: minute,
    requestsPerDay: day,
    tokens: {
      limit: limits.tokensPerDay,
      used: state.tokensUsed,
      remaining: Math.max(0, limits.tokensPerDay - state.tokensUsed - state.tokensReserved),
      resetAt: midnight,
    },
  };
}
