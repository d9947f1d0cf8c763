import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyAuthenticator } from './accounts/authenticate.js';
import { Catalog } from './config/catalog.js';
import { loadConfig } from './config/load-config.js';
import type { GatewayConfig } from './config/schema.js';
import { ChatPipeline } from './gateway/chat-pipeline.js';
import { UpstreamClient } from './gateway/upstream-client.js';
import { createRequestListener } from './http/routes.js';
import { createLogger, type Logger } from './logger.js';
import { providers } from './providers/registry.js';
import { openStore, type Db } from './store/open-store.js';

export interface GatewayOptions {
  env?: NodeJS.ProcessEnv;
  /** Defaults to `loadConfig(env)`. */
  config?: GatewayConfig;
  logger?: Logger;
  now?: () => number;
}

/** The composition root: config, store, providers and HTTP, wired once. */
export class Gateway {
  readonly config: GatewayConfig;
  readonly catalog: Catalog;
  readonly db: Db;
  readonly auth: KeyAuthenticator;
  readonly logger: Logger;
  readonly listener: RequestListener;
  readonly #upstream: UpstreamClient;
  #server: Server | undefined;

  private constructor(db: Db, options: GatewayOptions) {
    const env = options.env ?? process.env;
    this.db = db;
    this.config = options.config ?? loadConfig(env);
    this.catalog = new Catalog(this.config, env);
    this.logger = options.logger ?? createLogger();
    const now = options.now ?? Date.now;
    this.auth = new KeyAuthenticator(db, { now });
    this.#upstream = new UpstreamClient();
    const pipeline = new ChatPipeline({
      config: this.config,
      catalog: this.catalog,
      auth: this.auth,
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
    });
  }

  /** Opens the store named by the environment (JASYS_DATA_DIR or DATABASE_URL). */
  static async create(options: GatewayOptions = {}): Promise<Gateway> {
    const env = options.env ?? process.env;
    const db = await openStore({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.JASYS_DATA_DIR ?? './data',
    });
    return new Gateway(db, options);
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
    await this.db.destroy();
  }
}
