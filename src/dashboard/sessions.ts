import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/open-store.js';
import type { SessionRow } from '../store/tables.js';

/** How long a session lasts after sign-in; a new sign-in starts a new one. */
export const sessionTtlMs = 7 * 24 * 3_600_000;

export interface NewSession {
  /** The opaque id for the cookie: 256 random bits, never stored. */
  id: string;
  row: SessionRow;
}

/** Sessions are looked up by the SHA-256 of their id, so a leaked table opens nothing. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Dashboard sessions stored server-side, hashed, with an expiry that lookups enforce. */
export class SessionStore {
  readonly #db: Db;
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(db: Db, now: () => number, ttlMs = sessionTtlMs) {
    this.#db = db;
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  async create(accountId: string): Promise<NewSession> {
    const id = randomBytes(32).toString('base64url');
    const now = this.#now();
    const row: SessionRow = {
      id_hash: hashSessionId(id),
      account_id: accountId,
      csrf_token: randomBytes(32).toString('base64url'),
      created_at: now,
      expires_at: now + this.#ttlMs,
    };
    await this.#db.insertInto('sessions').values(row).execute();
    await this.#sweep(now);
    return { id, row };
  }

  /** The live session with this id, or undefined (unknown, expired or ended). */
  async find(id: string | undefined): Promise<SessionRow | undefined> {
    if (!id || id.length > 100) return undefined;
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', hashSessionId(id))
      .executeTakeFirst();
    if (!row || Number(row.expires_at) <= this.#now()) return undefined;
    return row;
  }

  /** Ends one session (log out). */
  async destroy(id: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id_hash', '=', hashSessionId(id)).execute();
  }

  /** Ends every session of an account (it was disabled). */
  async destroyAll(accountId: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
  }

  /** Expired rows are useless; drop them when a session starts, so the table stays small. */
  async #sweep(now: number): Promise<void> {
    await this.#db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }
}
