import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { DashboardEnv } from './dashboard-env.js';

/** Whether the browser reached us over https: TLS here, or a proxy saying so. */
export function isHttps(c: Context<DashboardEnv>): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',', 1)[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return new URL(c.req.url).protocol === 'https:';
}

/** The client's address, for throttling; X-Forwarded-For only when the proxy is trusted. */
export function clientAddress(c: Context<DashboardEnv>): string {
  if (c.var.services.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',', 1)[0]?.trim();
    if (forwarded) return forwarded;
  }
  return getConnInfo(c).remote.address ?? 'unknown';
}

/** The origin people reach this gateway at, e.g. `https://api.example.com`. */
export function publicOrigin(c: Context<DashboardEnv>): string {
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host') ?? new URL(c.req.url).host;
  return `${isHttps(c) ? 'https' : 'http'}://${host}`;
}
