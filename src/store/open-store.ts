import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import { migrationProvider } from './migrations.js';
import type { Database } from './tables.js';

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  /**
   * A number that changes whenever another process commits to the database (SQLite's
   * `data_version`), so caches can drop what a CLI command changed. Undefined on PostgreSQL.
   */
  externalChanges: (() => number) | undefined;
}

export interface StoreOptions {
  /** A `postgres://` URL; without one the store is SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

/** Opens the database named by the options and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? { db: await openPostgres(options.databaseUrl), externalChanges: undefined }
    : openSqlite(options.dataDir);
  await migrate(store.db);
  return store;
}

export async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({
    db,
    provider: migrationProvider,
  }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

function openSqlite(dataDir = './data'): Store {
  const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, 'jasys.sqlite');
  if (file !== ':memory:') mkdirSync(dataDir, { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers run beside the one writer; NORMAL sync is durable across a process crash.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const dataVersion = database.prepare('PRAGMA data_version').pluck();
  return {
    db: new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(database) }),
    }),
    externalChanges: () => dataVersion.get() as number,
  };
}

/** Most statements SQLite keeps prepared; the gateway runs a few dozen distinct ones. */
const maxCachedStatements = 256;

/**
 * Kysely prepares every query anew; preparing is a good part of a small query's cost in
 * better-sqlite3. The same SQL text gets the same prepared statement here instead.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= maxCachedStatements) cache.clear();
        statement = database.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

/** `pg` is loaded only when asked for: the embedded default never needs it. */
async function openPostgres(url: string): Promise<Db> {
  const { default: pg } = await import('pg');
  // bigint columns hold epoch milliseconds, well inside a double's exact range.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
