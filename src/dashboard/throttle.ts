import { GatewayError } from '../errors.js';
import type { Db } from '../store/open-store.js';

export interface ThrottleRule {
  /** Attempts allowed in one window. */
  max: number;
  windowMs: number;
}

/** Against guessing: failed sign-ins, and sign-ups, per address and per email. */
export const throttleRules = {
  loginAddress: { max: 20, windowMs: 15 * 60_000 },
  loginAccount: { max: 5, windowMs: 15 * 60_000 },
  signupAddress: { max: 10, windowMs: 60 * 60_000 },
  signupAccount: { max: 3, windowMs: 60 * 60_000 },
} as const satisfies Record<string, ThrottleRule>;

/** One counted attempt: the bucket and the window it was counted in, so it can be given back. */
export interface ThrottleAttempt {
  bucket: string;
  windowStart: number;
}

/**
 * Fixed-window attempt counters in the store, so every gateway process sees the same counts
 * (SQLite or PostgreSQL). A bucket names what is counted: `login-ip:1.2.3.4`, `login-email:a@b`.
 *
 * An attempt is counted before the work it guards, in one statement that increments the
 * window's counter and returns the new count (an upsert with RETURNING). There is no separate
 * check, so however many requests arrive at once, at most `max` of them per window get through.
 */
export class Throttle {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * Counts one attempt in each bucket, in order, and returns them. When a bucket has used its
   * window, gives back what this call counted (a refused attempt does not count) and throws 429
   * too_many_attempts with the time until that window ends.
   */
  async take(
    ...buckets: ReadonlyArray<readonly [bucket: string, rule: ThrottleRule]>
  ): Promise<ThrottleAttempt[]> {
    const taken: ThrottleAttempt[] = [];
    for (const [bucket, rule] of buckets) {
      const now = this.#now();
      const row = await this.#increment(bucket, rule, now);
      const attempt = { bucket, windowStart: Number(row.window_start) };
      if (Number(row.attempts) > rule.max) {
        await this.release(...taken, attempt);
        throw new GatewayError('too_many_attempts', 'Too many attempts. Try again later.', {
          retryAfterMs: Math.max(0, attempt.windowStart + rule.windowMs - now),
        });
      }
      taken.push(attempt);
    }
    return taken;
  }

  /**
   * Gives attempts back (one that did not turn out to be what the bucket counts, such as a
   * successful sign-in on the address). Only within the window they were counted in: a window
   * that has started over since keeps its count.
   */
  async release(...attempts: ThrottleAttempt[]): Promise<void> {
    for (const { bucket, windowStart } of attempts) {
      await this.#db
        .updateTable('auth_throttle')
        .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
        .where('bucket', '=', bucket)
        .where('window_start', '=', windowStart)
        .where('attempts', '>', 0)
        .execute();
    }
  }

  /** Forgets a bucket (a successful sign-in clears its account's failures). */
  async clear(bucket: string): Promise<void> {
    await this.#db.deleteFrom('auth_throttle').where('bucket', '=', bucket).execute();
  }

  /** One atomic statement: +1 in the current window (a window that has ended starts at 1). */
  async #increment(bucket: string, rule: ThrottleRule, now: number) {
    const windowEnded = now - rule.windowMs;
    return this.#db
      .insertInto('auth_throttle')
      .values({ bucket, attempts: 1, window_start: now })
      .onConflict((oc) =>
        oc.column('bucket').doUpdateSet((eb) => ({
          attempts: eb
            .case()
            .when('auth_throttle.window_start', '<=', windowEnded)
            .then(1)
            .else(eb('auth_throttle.attempts', '+', 1))
            .end(),
          window_start: eb
            .case()
            .when('auth_throttle.window_start', '<=', windowEnded)
            .then(now)
            .else(eb.ref('auth_throttle.window_start'))
            .end(),
        })),
      )
      .returning(['attempts', 'window_start'])
      .executeTakeFirstOrThrow();
  }
}
