import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody, errorHead, GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DashboardDeps, DashboardEnv, DashboardOptions, Services } from './dashboard-env.js';
import { adminRoutes } from './routes/admin-routes.js';
import { assetRoutes } from './routes/asset-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { keyRoutes } from './routes/key-routes.js';
import { quickstartRoutes } from './routes/quickstart-routes.js';
import { usageApiRoutes, usagePageRoutes } from './routes/usage-routes.js';
import { KeyFlash } from './key-flash.js';
import { securityHeaders } from './security-headers.js';
import {
  isJsonRoute,
  loadSession,
  requireAdmin,
  requireUser,
  verifyCsrf,
} from './session-middleware.js';
import { SessionStore } from './sessions.js';
import { Throttle } from './throttle.js';
import { errorPage } from './views/error-view.js';

const maxFormBytes = 16 * 1024;

function tooLarge(): never {
  throw new GatewayError('body_too_large', `Forms are limited to ${maxFormBytes} bytes.`);
}

/**
 * The dashboard at /app, as the API's fallback listener. Everything outside /app answers the
 * API's JSON 404, so the dashboard adds no surface there.
 */
export function createDashboard(
  deps: DashboardDeps,
  options: DashboardOptions = {},
): RequestListener {
  const services: Services = {
    ...pick(deps),
    sessions: new SessionStore(deps.db, deps.now),
    throttle: new Throttle(deps.db, deps.now),
    keyFlash: new KeyFlash(deps.now),
    trustProxy: options.trustProxy ?? false,
  };
  const app = new Hono<DashboardEnv>({ strict: false });
  app.use('/app/*', securityHeaders, async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.route('/app/assets', assetRoutes);
  // Dashboard forms are a few fields; nothing here needs more than this.
  app.use('/app/*', bodyLimit({ maxSize: maxFormBytes, onError: tooLarge }));
  app.use('/app/*', loadSession, verifyCsrf);
  // `/x/*` matches `/x` too in Hono.
  for (const section of ['keys', 'usage', 'quickstart', 'admin', 'api']) {
    app.use(`/app/${section}/*`, requireUser);
  }
  app.use('/app/admin/*', requireAdmin);
  app.route('/app', authRoutes);
  app.route('/app/keys', keyRoutes);
  app.route('/app/usage', usagePageRoutes);
  app.route('/app/quickstart', quickstartRoutes);
  app.route('/app/admin', adminRoutes);
  app.route('/app/api/usage', usageApiRoutes);
  app.notFound((c) => {
    const error = new GatewayError('not_found', `No route for ${c.req.method} ${c.req.path}.`);
    return answerError(c, error, deps.logger);
  });
  app.onError((error, c) => answerError(c, error, deps.logger));
  return getRequestListener(app.fetch);
}

/** JSON in the API's error shape for /app/api and outside /app; a page for the rest. */
function answerError(
  c: Context<DashboardEnv>,
  error: unknown,
  logger: Logger,
): Response | Promise<Response> {
  const head = errorHead(error);
  for (const [name, value] of Object.entries(head.headers)) c.header(name, value);
  const status = head.status as 400;
  const requestId = `req_${randomUUID().replaceAll('-', '')}`;
  if (status >= 500) logger.error({ requestId, err: describe(error) }, 'dashboard failed');
  const body = errorBody(error, requestId);
  if (!c.req.path.startsWith('/app') || isJsonRoute(c)) return c.json(body, status);
  return c.html(errorPage(c.var.user, status, body.error.message), status);
}

function pick(deps: DashboardDeps): DashboardDeps {
  const { db, config, catalog, limiter, auth, now, logger } = deps;
  return { db, config, catalog, limiter, auth, now, logger };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
