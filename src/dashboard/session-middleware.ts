import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { GatewayError } from '../errors.js';
import { csrfField, csrfHeader, csrfTokenMatches, sameOrigin } from './csrf.js';
import type { DashboardEnv, SignedIn } from './dashboard-env.js';
import { clearSessionCookie, readPreSessionCookie, readSessionCookie } from './session-cookie.js';

/**
 * Finds the signed-in person from the session cookie, and nothing else: an API key in an
 * Authorization header means nothing here.
 */
export const loadSession = createMiddleware<DashboardEnv>(async (c, next) => {
  const { sessions, db } = c.var.services;
  const sessionId = readSessionCookie(c);
  const session = await sessions.find(sessionId);
  let user: SignedIn | undefined;
  if (sessionId && session) {
    const account = await db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', session.account_id)
      .executeTakeFirst();
    if (account && !account.disabled) user = { sessionId, session, account };
    else await sessions.destroy(sessionId);
  }
  if (sessionId && !user) clearSessionCookie(c);
  c.set('user', user);
  await next();
});

/** The signed-in person; pages send everyone else to the sign-in page. */
export const requireUser = createMiddleware<DashboardEnv>(async (c, next) => {
  if (c.var.user) return next();
  if (isJsonRoute(c)) throw new GatewayError('invalid_session', 'Sign in to use this call.');
  return c.redirect('/app/login', 303);
});

export const requireAdmin = createMiddleware<DashboardEnv>(async (c, next) => {
  if (c.var.user?.account.role === 'admin') return next();
  throw new GatewayError('not_found', 'No such page.');
});

/**
 * Every state-changing request carries the CSRF token: the session's own once signed in, the
 * pre-session cookie's before (double submit), in the `_csrf` field or `x-csrf-token` header.
 * Browsers' Origin and Sec-Fetch-Site headers must not point to another site either.
 */
export const verifyCsrf = createMiddleware<DashboardEnv>(async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const origin = {
    origin: c.req.header('origin'),
    secFetchSite: c.req.header('sec-fetch-site'),
    host: c.req.header('x-forwarded-host') ?? c.req.header('host'),
  };
  const expected = c.var.user?.session.csrf_token ?? readPreSessionCookie(c);
  if (!sameOrigin(origin) || !csrfTokenMatches(expected, await sentToken(c))) {
    throw new GatewayError('csrf_failed', 'This form has expired. Reload the page and try again.');
  }
  return next();
});

async function sentToken(c: Context<DashboardEnv>): Promise<string | undefined> {
  const header = c.req.header(csrfHeader);
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/')) {
    return undefined;
  }
  const value = (await c.req.parseBody())[csrfField];
  return typeof value === 'string' ? value : undefined;
}

/** Routes under /app/api answer JSON; the rest are pages. */
export function isJsonRoute(c: Context<DashboardEnv>): boolean {
  return c.req.path.startsWith('/app/api/');
}

/** The signed-in person of a route behind `requireUser`. */
export function signedIn(c: Context<DashboardEnv>): SignedIn {
  const user = c.var.user;
  if (!user) throw new GatewayError('invalid_session', 'Sign in first.');
  return user;
}
