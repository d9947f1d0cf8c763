import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { createAccount } from '../../src/accounts/accounts.js';
import { createKey } from '../../src/accounts/api-keys.js';
import { Gateway, type GatewayOptions } from '../../src/app.js';
import { mergeConfig } from '../../src/config/load-config.js';
import type { ConfigFile } from '../../src/config/schema.js';
import type { TierName } from '../../src/config/schema.js';
import { createLogger } from '../../src/logger.js';

export interface TestGatewayOptions extends Omit<GatewayOptions, 'config' | 'env'> {
  /** Provider variables (base URLs, keys); JASYS_DATA_DIR is set to a fresh folder. */
  env?: Record<string, string>;
  config?: ConfigFile;
  /** Reuse a data folder (to test a restart); a fresh one otherwise. */
  dataDir?: string;
  /** A PostgreSQL database to use instead of SQLite. */
  databaseUrl?: string;
}

/** A gateway on 127.0.0.1 with its own SQLite folder, removed by `stop`. */
export class TestGateway {
  readonly gateway: Gateway;
  readonly url: string;
  readonly dataDir: string;
  #accounts = 0;

  private constructor(gateway: Gateway, url: string, dataDir: string) {
    this.gateway = gateway;
    this.url = url;
    this.dataDir = dataDir;
  }

  static async start(options: TestGatewayOptions = {}): Promise<TestGateway> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'jasys-test-'));
    const env: NodeJS.ProcessEnv = {
      JASYS_DATA_DIR: dataDir,
      ...(options.databaseUrl && { DATABASE_URL: options.databaseUrl }),
      ...options.env,
    };
    const { dataDir: _dir, config: _config, env: _env, databaseUrl: _url, ...rest } = options;
    const gateway = await Gateway.create({
      ...rest,
      env,
      config: mergeConfig(options.config ?? {}),
      logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    });
    const address = await gateway.listen(0);
    return new TestGateway(gateway, `http://127.0.0.1:${address.port}`, dataDir);
  }

  /** A new account on `tier` and a key for it. */
  async account(
    tier: TierName = 'enterprise',
  ): Promise<{ accountId: string; key: string; email: string }> {
    const email = `user${++this.#accounts}-${Date.now()}@example.com`;
    const account = await createAccount(this.gateway.db, {
      email,
      password: 'correct horse battery',
      tier,
    });
    const { key } = await createKey(this.gateway.db, account.id, 'test');
    return { accountId: account.id, key, email };
  }

  /** The official SDK pointed at this gateway, with retries off unless asked. */
  client(apiKey: string, options: { maxRetries?: number } = {}): OpenAI {
    return new OpenAI({ apiKey, baseURL: `${this.url}/v1`, maxRetries: options.maxRetries ?? 0 });
  }

  /** Stops the gateway and removes its data, unless `keepData` (for a restart). */
  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await this.gateway.close();
    if (!options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
