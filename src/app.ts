import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyAuthenticator } from './accounts/authenticate.js';
import { Catalog } from './config/catalog.js';
import { loadConfig } from './config/load-config.js';
import type { GatewayConfig } from './config/schema.js';
import { createDashboard } from './dashboard/dashboard.js';
import { Accounting } from './gateway/accounting.js';
import { ChatPipeline } from './gateway/chat-pipeline.js';
import { UpstreamClient } from './gateway/upstream-client.js';
import { createRequestListener } from './http/routes.js';
import type { Limiter } from './limits/limiter.js';
import { MemoryLimiter } from './limits/memory-limiter.js';
import { createLogger, type Logger } from './logger.js';
import { providers } from './providers/registry.js';
import { openStore, type Db, type Store } from './store/open-store.js';
import { loadDailyCounts, UsageRecorder } from './usage/usage-recorder.js';
import { userStats } from './usage/user-stats.js';

export interface GatewayOptions {
  env?: NodeJS.ProcessEnv;
  /** Defaults to `loadConfig(env)`. */
  config?: GatewayConfig;
  logger?: Logger;
  /** The clock, injectable so tests can cross midnight. */
  now?: () => number;
  /** Defaults to the in-process limiter. */
  limiter?: Limiter;
}

/** The composition root: config, store, providers and HTTP, wired once. */
export class Gateway {
  readonly config: GatewayConfig;
  readonly catalog: Catalog;
  readonly db: Db;
  readonly auth: KeyAuthenticator;
  readonly limiter: Limiter;
  readonly usage: UsageRecorder;
  readonly now: () => number;
  readonly logger: Logger;
  readonly listener: RequestListener;
  readonly #upstream: UpstreamClient;
  #server: Server | undefined;

  private constructor(store: Store, options: GatewayOptions) {
    const db = store.db;
    const env = options.env ?? process.env;
    this.db = db;
    this.config = options.config ?? loadConfig(env);
    this.catalog = new Catalog(this.config, env);
    this.logger = options.logger ?? createLogger();
    const now = options.now ?? Date.now;
    this.now = now;
    this.auth = new KeyAuthenticator(db, { now, externalChanges: store.externalChanges });
    this.limiter =
      options.limiter ?? new MemoryLimiter({ load: (a, d) => loadDailyCounts(db, a, d) });
    this.usage = new UsageRecorder(db, (error) =>
      this.logger.error({ err: String(error) }, 'could not count an admitted request'),
    );
    this.#upstream = new UpstreamClient();
    const pipeline = new ChatPipeline({
      catalog: this.catalog,
      auth: this.auth,
      accounting: new Accounting(this.config, this.limiter, this.usage),
      upstream: this.#upstream,
      providers,
      now,
    });
    this.listener = createRequestListener({
      config: this.config,
      catalog: this.catalog,
      auth: this.auth,
      pipeline,
      logger: this.logger,
      stats: (principal) =>
        userStats(db, this.limiter, principal, this.config.tiers[principal.tier], now()),
      fallback: createDashboard(this, { trustProxy: env.JASYS_TRUST_PROXY === '1' }),
    });
  }

  /** Opens the store named by the environment (JASYS_DATA_DIR or DATABASE_URL). */
  static async create(options: GatewayOptions = {}): Promise<Gateway> {
    const env = options.env ?? process.env;
    const store = await openStore({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.JASYS_DATA_DIR ?? './data',
    });
    return new Gateway(store, options);
  }

  async listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    const server = createServer({ keepAliveTimeout: 65_000 }, this.listener);
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    return server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.#upstream.close();
    await this.usage.drain();
    await this.db.destroy();
  }
}
