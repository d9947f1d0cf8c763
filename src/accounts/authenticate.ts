import { tierSchema, type TierName } from '../config/schema.js';
import { GatewayError } from '../errors.js';
import type { Db } from '../store/open-store.js';
import { hashKey, keyPrefix } from './api-keys.js';

/** Who is calling: the key's account, resolved from the Bearer key. */
export interface Principal {
  accountId: string;
  keyId: string;
  email: string;
  tier: TierName;
  role: string;
}

interface CacheEntry {
  principal: Principal | undefined;
  expiresAt: number;
}

export interface AuthenticatorOptions {
  /** How long a verified key is trusted before it is looked up again. */
  ttlMs?: number;
  now?: () => number;
  /** Changes when another process writes to the store; the cache is dropped when it does. */
  externalChanges?: (() => number) | undefined;
}

/** Largest number of cached keys; past it the cache starts over. */
const maxCacheEntries = 50_000;
/**
 * How often to ask the store whether another process wrote to it: 1.5% of a request's CPU when
 * asked every time, and a CLI command takes far longer than this to start, write and exit.
 */
const externalCheckIntervalMs = 20;
/** `last_used_at` is written at most this often per key. */
const lastUsedIntervalMs = 60_000;

/**
 * Turns an `Authorization` header into a Principal. Keys are looked up by their SHA-256, so no
 * key is ever compared in the clear. Results are cached for `ttlMs` (one second by default).
 * A revoked key, a disabled account or a new tier applies on the next request when it was
 * changed in this process (`forget`) or, on SQLite, by another one such as the CLI
 * (`externalChanges`); from other gateway processes on PostgreSQL, within `ttlMs`.
 */
export class KeyAuthenticator {
  readonly #db: Db;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #lastUsedWritten = new Map<string, number>();
  readonly #externalChanges: (() => number) | undefined;
  #seenChanges: number | undefined;
  #changesCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(db: Db, options: AuthenticatorOptions = {}) {
    this.#db = db;
    this.#ttlMs = options.ttlMs ?? 1_000;
    this.#now = options.now ?? Date.now;
    this.#externalChanges = options.externalChanges;
    this.#seenChanges = this.#externalChanges?.();
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const key = bearerKey(authorization);
    const hash = hashKey(key);
    const now = this.#now();
    if (this.#externalChanges && now - this.#changesCheckedAt >= externalCheckIntervalMs) {
      this.#changesCheckedAt = now;
      const changes = this.#externalChanges();
      if (changes !== this.#seenChanges) {
        this.#seenChanges = changes;
        this.#cache.clear();
      }
    }
    let entry = this.#cache.get(hash);
    if (!entry || entry.expiresAt <= now) {
      entry = { principal: await this.#lookup(hash), expiresAt: now + this.#ttlMs };
      if (this.#cache.size >= maxCacheEntries) this.#cache.clear();
      this.#cache.set(hash, entry);
    }
    if (!entry.principal) throw invalidKey();
    this.#touch(entry.principal.keyId, now);
    return entry.principal;
  }

  /** Drops every cached result, so changes made in this process apply to the next request. */
  forget(): void {
    this.#cache.clear();
  }

  async #lookup(hash: string): Promise<Principal | undefined> {
    const row = await this.#db
      .selectFrom('api_keys')
      .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
      .select([
        'api_keys.id as keyId',
        'api_keys.revoked_at as revokedAt',
        'accounts.id as accountId',
        'accounts.email as email',
        'accounts.tier as tier',
        'accounts.role as role',
        'accounts.disabled as disabled',
      ])
      .where('api_keys.key_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.revokedAt !== null || row.disabled) return undefined;
    const tier = tierSchema.safeParse(row.tier);
    if (!tier.success) return undefined;
    return {
      accountId: row.accountId,
      keyId: row.keyId,
      email: row.email,
      tier: tier.data,
      role: row.role,
    };
  }

  #touch(keyId: string, now: number): void {
    const last = this.#lastUsedWritten.get(keyId) ?? 0;
    if (now - last < lastUsedIntervalMs) return;
    this.#lastUsedWritten.set(keyId, now);
    void this.#db
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', keyId)
      .execute()
      .catch(() => this.#lastUsedWritten.delete(keyId));
  }
}

function bearerKey(authorization: string | undefined): string {
  if (!authorization) {
    throw new GatewayError(
      'invalid_api_key',
      'You did not provide an API key. Send it as "Authorization: Bearer sk-jasys-...".',
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1] || !match[1].startsWith(keyPrefix)) throw invalidKey();
  return match[1];
}

function invalidKey(): GatewayError {
  return new GatewayError('invalid_api_key', 'Incorrect API key provided.');
}
