import { join } from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * Rows in our gateway's ledger, read beside the running gateway (WAL allows a reader), or
 * undefined when the store has no ledger table yet.
 */
export function countLedgerRows(dataDir: string): number | undefined {
  const db = new SQLite(join(dataDir, 'jasys.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("select name from sqlite_master where type = 'table' and name = 'ledger'")
      .get();
    if (!table) return undefined;
    const row = db.prepare('select count(*) as n from ledger').get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

/** Chat requests the bench upstream has served so far (its GET /stats). */
export async function upstreamServed(upstreamPort: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${upstreamPort}/stats`);
  const stats = (await response.json()) as { requests: number };
  return stats.requests;
}
