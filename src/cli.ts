#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { createAccount, requireAccount, setAccountTier } from './accounts/accounts.js';
import { createKey, listKeys, revokeKey } from './accounts/api-keys.js';
import { Gateway } from './app.js';
import { Catalog } from './config/catalog.js';
import { loadConfig } from './config/load-config.js';
import { tierNames, type TierName } from './config/schema.js';
import { openStore, type Db } from './store/open-store.js';
import { usageReport } from './usage/usage-report.js';
import { printTable } from './print-table.js';

const program = new Command()
  .name('jasys')
  .description('JasysAI Gateway: one OpenAI-compatible API in front of many model providers.')
  .showHelpAfterError();

program
  .command('serve')
  .description('start the gateway (PORT, default 8787; data in JASYS_DATA_DIR, default ./data)')
  .action(async () => {
    const started = performance.now();
    const gateway = await Gateway.create();
    const port = parsePort(process.env.PORT ?? '8787');
    const address = await gateway.listen(port, process.env.HOST ?? '127.0.0.1');
    gateway.logger.info(
      {
        port: address.port,
        host: address.address,
        startMs: Math.round(performance.now() - started),
      },
      `JasysAI Gateway listening on http://${address.address}:${address.port}`,
    );
    gateway.logger.flush();
    const stop = () => void gateway.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('migrate')
  .description('create or update the database schema, then exit')
  .action(() => withDb(async () => say('database is up to date')));

const accounts = program.command('accounts').description('manage accounts');
accounts
  .command('create')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .requiredOption('--tier <tier>', tierNames.join(' | '), parseTier)
  .option('--admin', 'give the account the admin role')
  .action((o: { email: string; password: string; tier: TierName; admin?: boolean }) =>
    withDb(async (db) => {
      const row = await createAccount(db, {
        email: o.email,
        password: o.password,
        tier: o.tier,
        role: o.admin ? 'admin' : 'user',
      });
      say(`created account ${row.email} (${row.tier}${o.admin ? ', admin' : ''})`);
    }),
  );
accounts
  .command('set-tier')
  .requiredOption('--email <email>')
  .requiredOption('--tier <tier>', tierNames.join(' | '), parseTier)
  .action((o: { email: string; tier: TierName }) =>
    withDb(async (db) => {
      const account = await requireAccount(db, o.email);
      await setAccountTier(db, account.id, o.tier);
      say(`${account.email} is now on the ${o.tier} tier`);
    }),
  );

const keys = program.command('keys').description('manage API keys');
keys
  .command('create')
  .description('create a key and print it; it is shown this once only')
  .requiredOption('--email <email>')
  .option('--name <name>', 'a name for the key', 'default')
  .action((o: { email: string; name: string }) =>
    withDb(async (db) => {
      const account = await requireAccount(db, o.email);
      const { key } = await createKey(db, account.id, o.name);
      process.stdout.write(`${key}\n`);
    }),
  );
keys
  .command('list')
  .requiredOption('--email <email>')
  .action((o: { email: string }) =>
    withDb(async (db) => {
      const account = await requireAccount(db, o.email);
      const rows = await listKeys(db, account.id);
      printTable(
        rows.map((k) => ({
          id: k.id,
          name: k.name,
          key: `${k.prefix}…`,
          created: new Date(k.created_at).toISOString(),
          lastUsed: k.last_used_at ? new Date(k.last_used_at).toISOString() : '',
          status: k.revoked_at ? 'revoked' : 'active',
        })),
      );
    }),
  );
keys
  .command('revoke')
  .argument('<id>', 'the key id, as keys list shows it')
  .action((id: string) =>
    withDb(async (db) => {
      const result = await revokeKey(db, id);
      if (result === 'not_found') throw new Error(`no key has the id ${id}`);
      say(result === 'revoked' ? `revoked ${id}` : `${id} was already revoked`);
    }),
  );

program
  .command('models')
  .description('print the model catalog')
  .action(() => {
    const catalog = new Catalog(loadConfig());
    printTable(
      catalog.models.map((m) => ({
        model: m.id,
        tier: m.tier,
        aliases: m.aliases.join(', '),
        upstream: m.deployments.map((d) => `${d.host}:${d.model}`).join(', '),
      })),
    );
  });

program
  .command('usage')
  .description("print an account's usage per day and model, from the ledger")
  .requiredOption('--email <email>')
  .option('--days <n>', 'how many days back, today included', parsePositive, 7)
  .action((o: { email: string; days: number }) =>
    withDb(async (db) => {
      const account = await requireAccount(db, o.email);
      const rows = await usageReport(db, account.id, o.days);
      if (rows.length === 0) {
        say(`no usage in the last ${o.days} days`);
        return;
      }
      printTable(
        rows.map((r) => ({
          day: r.day,
          model: r.model,
          requests: r.requests,
          failed: r.failed,
          'prompt tokens': r.promptTokens,
          'completion tokens': r.completionTokens,
          'total tokens': r.promptTokens + r.completionTokens,
        })),
      );
    }),
  );

/** A line of the command's answer on stdout (the CLI talks to a person, not to the log). */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function withDb(work: (db: Db) => Promise<void>): Promise<void> {
  const { db } = await openStore({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: process.env.JASYS_DATA_DIR ?? './data',
  });
  try {
    await work(db);
  } finally {
    await db.destroy();
  }
}

function parseTier(value: string): TierName {
  if (!(tierNames as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`choose one of ${tierNames.join(', ')}`);
  }
  return value as TierName;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number from 1');
  return n;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad PORT ${value}`);
  return port;
}

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`jasys: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
