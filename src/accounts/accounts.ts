import { randomUUID } from 'node:crypto';
import type { TierName } from '../config/schema.js';
import { GatewayError } from '../errors.js';
import type { Db } from '../store/open-store.js';
import type { AccountRow } from '../store/tables.js';
import { hashPassword } from './passwords.js';

export type Role = 'user' | 'admin';

export interface NewAccount {
  email: string;
  password: string;
  tier: TierName;
  role?: Role;
}

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createAccount(
  db: Db,
  input: NewAccount,
  now = Date.now(),
): Promise<AccountRow> {
  const email = normalizeEmail(input.email);
  if (await findAccountByEmail(db, email)) {
    throw new GatewayError('conflict', `An account with the email ${email} already exists.`);
  }
  const row: AccountRow = {
    id: randomUUID(),
    email,
    password_hash: await hashPassword(input.password),
    tier: input.tier,
    role: input.role ?? 'user',
    disabled: 0,
    created_at: now,
  };
  await db.insertInto('accounts').values(row).execute();
  return row;
}

export async function findAccountByEmail(db: Db, email: string): Promise<AccountRow | undefined> {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
}

export async function requireAccount(db: Db, email: string): Promise<AccountRow> {
  const account = await findAccountByEmail(db, email);
  if (!account)
    throw new GatewayError('not_found', `No account has the email ${normalizeEmail(email)}.`);
  return account;
}

export async function setAccountTier(db: Db, accountId: string, tier: TierName): Promise<void> {
  await db.updateTable('accounts').set({ tier }).where('id', '=', accountId).execute();
}
