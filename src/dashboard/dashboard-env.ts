import type { HttpBindings } from '@hono/node-server';
import type { KeyAuthenticator } from '../accounts/authenticate.js';
import type { Catalog } from '../config/catalog.js';
import type { GatewayConfig } from '../config/schema.js';
import type { Limiter } from '../limits/limiter.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/open-store.js';
import type { AccountRow, SessionRow } from '../store/tables.js';
import type { KeyFlash } from './key-flash.js';
import type { SessionStore } from './sessions.js';
import type { Throttle } from './throttle.js';

/** What the dashboard needs from the gateway (the Gateway itself satisfies it). */
export interface DashboardDeps {
  db: Db;
  config: GatewayConfig;
  catalog: Catalog;
  limiter: Limiter;
  /** `forget()` after a revoke, a disable or a tier change, so it applies at once. */
  auth: Pick<KeyAuthenticator, 'forget'>;
  now: () => number;
  /** Unexpected (5xx) failures are logged here, never shown. */
  logger: Logger;
}

export interface DashboardOptions {
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy?: boolean;
}

/** The dashboard's services, built once. */
export interface Services extends DashboardDeps {
  sessions: SessionStore;
  throttle: Throttle;
  /** New full keys between their POST and the GET that shows them once. */
  keyFlash: KeyFlash;
  trustProxy: boolean;
}

/** The signed-in person of a request. */
export interface SignedIn {
  sessionId: string;
  session: SessionRow;
  account: AccountRow;
}

export interface DashboardEnv {
  Bindings: HttpBindings;
  Variables: {
    services: Services;
    /** Set by `loadSession`; undefined when nobody is signed in. */
    user: SignedIn | undefined;
  };
}
