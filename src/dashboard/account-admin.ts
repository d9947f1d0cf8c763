import type { Db } from '../store/open-store.js';

export interface AccountSummary {
  id: string;
  email: string;
  tier: string;
  role: string;
  disabled: number;
  created_at: number;
  activeKeys: number;
}

/** Selected and grouped by: PostgreSQL wants every selected column in the GROUP BY. */
const accountColumns = [
  'accounts.id',
  'accounts.email',
  'accounts.tier',
  'accounts.role',
  'accounts.disabled',
  'accounts.created_at',
] as const;

/** Every account with its number of active keys, newest first. */
export async function listAccounts(db: Db): Promise<AccountSummary[]> {
  const rows = await db
    .selectFrom('accounts')
    .leftJoin('api_keys', (join) =>
      join.onRef('api_keys.account_id', '=', 'accounts.id').on('api_keys.revoked_at', 'is', null),
    )
    .select((eb) => [...accountColumns, eb.fn.count<number>('api_keys.id').as('activeKeys')])
    .groupBy(accountColumns)
    .orderBy('accounts.created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    ...r,
    disabled: Number(r.disabled),
    activeKeys: Number(r.activeKeys),
  }));
}

/** Disables or enables an account; returns false when there is none with this id. */
export async function setAccountDisabled(db: Db, accountId: string, disabled: boolean) {
  const result = await db
    .updateTable('accounts')
    .set({ disabled: disabled ? 1 : 0 })
    .where('id', '=', accountId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
