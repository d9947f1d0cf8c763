/** A key just created or rotated, waiting for the page that shows it once. */
export interface CreatedKey {
  name: string;
  key: string;
  /** The id of the key it replaced, for a rotation. */
  replaced?: string;
}

/** How long a new key waits for the redirected GET; the browser follows a 303 at once. */
export const keyFlashTtlMs = 60_000;

/** At most this many keys wait per session (a double submit, two tabs); the oldest go first. */
const maxPerSession = 5;

interface Pending {
  keys: CreatedKey[];
  expiresAt: number;
}

/**
 * One-time "flash" of new full keys between the POST that made them and the GET it redirects
 * to (POST-redirect-GET), so a reload re-submits nothing and the key is still shown once.
 *
 * It lives in this process's memory only, keyed by the SHA-256 of the session id: the key never
 * reaches a URL, a cookie, the database or the disk, and only the session that made it can take
 * it. `take` removes it, so the page renders it once; unclaimed entries expire after
 * `keyFlashTtlMs`. The gateway is one process (its limiter and key cache are in-process too), so
 * the GET lands where the POST was served; if the process restarts in between, the key is lost
 * and the owner rotates it, which is the safe way to fail.
 */
export class KeyFlash {
  readonly #pending = new Map<string, Pending>();
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(now: () => number, ttlMs = keyFlashTtlMs) {
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  /** Holds a new key for the session whose id hashes to `sessionIdHash`. */
  put(sessionIdHash: string, created: CreatedKey): void {
    const now = this.#now();
    this.#sweep(now);
    const live = this.#pending.get(sessionIdHash);
    const keys = [...(live?.keys ?? []), created].slice(-maxPerSession);
    this.#pending.set(sessionIdHash, { keys, expiresAt: now + this.#ttlMs });
  }

  /** The session's waiting keys, removed as they are returned; empty when there are none. */
  take(sessionIdHash: string): CreatedKey[] {
    const entry = this.#pending.get(sessionIdHash);
    this.#pending.delete(sessionIdHash);
    if (!entry || entry.expiresAt <= this.#now()) return [];
    return entry.keys;
  }

  /** Forgets the session's waiting keys (it logged out). */
  drop(sessionIdHash: string): void {
    this.#pending.delete(sessionIdHash);
  }

  /** How many sessions have keys waiting (for tests). */
  get size(): number {
    this.#sweep(this.#now());
    return this.#pending.size;
  }

  #sweep(now: number): void {
    for (const [id, entry] of this.#pending) {
      if (entry.expiresAt <= now) this.#pending.delete(id);
    }
  }
}
