import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * Table types, one schema for SQLite and PostgreSQL. Times are epoch milliseconds, flags are
 * 0 or 1, days are UTC `YYYY-MM-DD`: the same values on both databases.
 */
export interface Database {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  ledger: LedgerTable;
  daily_usage: DailyUsageTable;
  sessions: SessionsTable;
  auth_throttle: AuthThrottleTable;
}

export interface AccountsTable {
  id: string;
  email: string;
  password_hash: string;
  tier: string;
  role: string;
  disabled: Generated<number>;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  /** What may be shown of the key: `sk-jasys-` and a few characters. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface LedgerTable {
  /** One row per request: the request id is the key. */
  request_id: string;
  account_id: string;
  key_id: string;
  model: string;
  provider: string;
  deployment: string;
  prompt_tokens: number;
  completion_tokens: number;
  /** ok, upstream_error or client_cancelled. */
  status: string;
  latency_ms: number;
  created_at: number;
  day: string;
}

export interface DailyUsageTable {
  account_id: string;
  day: string;
  requests: number;
  tokens: number;
}

/** A dashboard session. The cookie holds the id; only its SHA-256 is stored. */
export interface SessionsTable {
  id_hash: string;
  account_id: string;
  /** The synchronizer token every state-changing dashboard call must carry. */
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** Sign-in and sign-up attempts per bucket (`login-ip:...`, `login-email:...`) in a window. */
export interface AuthThrottleTable {
  bucket: string;
  attempts: number;
  window_start: number;
}

export type AccountRow = Selectable<AccountsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type LedgerRow = Selectable<LedgerTable>;
export type NewLedgerRow = Insertable<LedgerTable>;
export type SessionRow = Selectable<SessionsTable>;
