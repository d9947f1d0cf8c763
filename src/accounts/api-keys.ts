import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../store/open-store.js';
import type { ApiKeyRow } from '../store/tables.js';

export const keyPrefix = 'sk-jasys-';

/** 32 random bytes (256 bits) in base64url, after the `sk-jasys-` prefix. */
export function generateKey(): string {
  return keyPrefix + randomBytes(32).toString('base64url');
}

/** Keys are stored and looked up only by this hash. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The part of a key that may be shown again: the prefix and four characters. */
export function displayPrefix(key: string): string {
  return key.slice(0, keyPrefix.length + 4);
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** The full key: shown once, never stored. */
  key: string;
}

export async function createKey(
  db: Db,
  accountId: string,
  name = 'default',
  now = Date.now(),
): Promise<CreatedKey> {
  const key = generateKey();
  const row: ApiKeyRow = {
    id: `key_${randomUUID().replaceAll('-', '')}`,
    account_id: accountId,
    name,
    prefix: displayPrefix(key),
    key_hash: hashKey(key),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { row, key };
}

export function listKeys(db: Db, accountId: string): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'asc')
    .execute();
}

export type RevokeResult = 'revoked' | 'already_revoked' | 'not_found';

/** Revokes a key; with `accountId`, only a key of that account counts as found. */
export async function revokeKey(
  db: Db,
  keyId: string,
  accountId?: string,
  now = Date.now(),
): Promise<RevokeResult> {
  let query = db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null);
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  const result = await query.executeTakeFirst();
  if (result.numUpdatedRows > 0n) return 'revoked';
  const existing = await db
    .selectFrom('api_keys')
    .select('account_id')
    .where('id', '=', keyId)
    .executeTakeFirst();
  const ours =
    existing !== undefined && (accountId === undefined || existing.account_id === accountId);
  return ours ? 'already_revoked' : 'not_found';
}
