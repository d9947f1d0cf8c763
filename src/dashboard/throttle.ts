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

/**
 * Fixed-window attempt counters in the store, so every gateway process sees the same counts
 * (SQLite or PostgreSQL). A bucket names what is counted: `login-ip:1.2.3.4`, `login-email:a@b`.
 */
export class Throttle {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /** Throws 429 too_many_attempts when the bucket has used its window. */
  async check(bucket: string, rule: ThrottleRule): Promise<void> {
    const now = this.#now();
    const row = await this.#db
      .selectFrom('auth_throttle')
      .select(['attempts', 'window_start'])
      .where('bucket', '=', bucket)
      .executeTakeFirst();
    if (!row) return;
    const resetAt = Number(row.window_start) + rule.windowMs;
    if (resetAt <= now || row.attempts < rule.max) return;
    throw new GatewayError('too_many_attempts', 'Too many attempts. Try again later.', {
      retryAfterMs: resetAt - now,
    });
  }

  /** Counts one attempt; a window that has ended starts over at this one. */
  async hit(bucket: string, rule: ThrottleRule): Promise<void> {
    const now = this.#now();
    const windowEnded = now - rule.windowMs;
    await this.#db
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
      .execute();
  }

  /** Forgets a bucket (a successful sign-in clears its account's failures). */
  async clear(bucket: string): Promise<void> {
    await this.#db.deleteFrom('auth_throttle').where('bucket', '=', bucket).execute();
  }
}
