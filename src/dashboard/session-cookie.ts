import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { DashboardEnv } from './dashboard-env.js';
import { newCsrfToken } from './csrf.js';
import { isHttps } from './request-info.js';
import { sessionTtlMs } from './sessions.js';

export const sessionCookie = 'jasys_session';
/** Double-submit token for the forms shown before sign-in (log in, sign up). */
export const preSessionCookie = 'jasys_csrf';

/** Cookies live only under /app, so the API never even receives them. */
const cookiePath = '/app';

function cookieOptions(c: Context<DashboardEnv>, maxAgeSeconds: number) {
  return {
    path: cookiePath,
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    maxAge: maxAgeSeconds,
  } as const;
}

export function readSessionCookie(c: Context<DashboardEnv>): string | undefined {
  return getCookie(c, sessionCookie);
}

export function writeSessionCookie(c: Context<DashboardEnv>, sessionId: string): void {
  setCookie(c, sessionCookie, sessionId, cookieOptions(c, Math.floor(sessionTtlMs / 1000)));
}

export function clearSessionCookie(c: Context<DashboardEnv>): void {
  deleteCookie(c, sessionCookie, { path: cookiePath, secure: isHttps(c) });
}

/** The pre-session CSRF token, set on first sight. */
export function preSessionToken(c: Context<DashboardEnv>): string {
  const existing = getCookie(c, preSessionCookie);
  if (existing && /^[\w-]{43}$/.test(existing)) return existing;
  const token = newCsrfToken();
  setCookie(c, preSessionCookie, token, cookieOptions(c, 24 * 3600));
  return token;
}

export function readPreSessionCookie(c: Context<DashboardEnv>): string | undefined {
  return getCookie(c, preSessionCookie);
}
