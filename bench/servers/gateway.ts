import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccount } from '../../src/accounts/accounts.js';
import { createKey } from '../../src/accounts/api-keys.js';
import { Gateway } from '../../src/app.js';
import { mergeConfig } from '../../src/config/load-config.js';
import type { ConfigFile } from '../../src/config/schema.js';
import { createLogger } from '../../src/logger.js';
import { exitWithParent } from './ready.js';

/**
 * Our gateway as the harness runs it: the full pipeline on the embedded default store (SQLite in
 * a fresh folder), one enterprise account and key, limits far above what a run can reach.
 * Logs go to stdout at LOG_LEVEL (default info), which the harness discards: the one line per
 * request is part of the real cost. `--upstream=PORT` is the OpenAI-format upstream.
 */
const upstreamArg = process.argv.find((a) => a.startsWith('--upstream='));
if (!upstreamArg) throw new Error('--upstream=PORT is required');
const dataDir = mkdtempSync(join(tmpdir(), 'jasys-bench-'));
const huge = 1_000_000_000_000;
// Only the limit fields; the rest of the tier keeps its defaults whatever the schema adds.
const file = {
  tiers: { enterprise: { requestsPerMinute: huge, requestsPerDay: huge, tokensPerDay: huge } },
} as ConfigFile;

const gateway = await Gateway.create({
  env: {
    JASYS_DATA_DIR: dataDir,
    OPENAI_BASE_URL: `http://127.0.0.1:${upstreamArg.slice('--upstream='.length)}/v1`,
    OPENAI_API_KEY: 'sk-bench-upstream',
  },
  config: mergeConfig(file),
  logger: createLogger(process.env.LOG_LEVEL ?? 'info'),
});
const account = await createAccount(gateway.db, {
  email: 'bench@example.com',
  password: 'bench password, not secret',
  tier: 'enterprise',
});
const { key } = await createKey(gateway.db, account.id, 'bench');
const { port } = await gateway.listen(0, '127.0.0.1');
process.send?.({ type: 'ready', port, extra: { key, dataDir } });
exitWithParent();
