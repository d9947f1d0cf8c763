import { createMiddleware } from 'hono/factory';
import type { DashboardEnv } from './dashboard-env.js';

/**
 * Scripts, styles and data only from this origin, no framing, no inline code: the pages keep
 * their data in `<script type="application/json">` blocks and their code in /app/assets.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the security headers on every dashboard answer, errors included. */
export const securityHeaders = createMiddleware<DashboardEnv>(async (c, next) => {
  await next();
  c.header('content-security-policy', contentSecurityPolicy);
  c.header('x-content-type-options', 'nosniff');
  // Not no-referrer: with it Chromium sends `Origin: null` on same-origin form posts.
  c.header('referrer-policy', 'same-origin');
  c.header('x-frame-options', 'DENY');
  c.header('cross-origin-opener-policy', 'same-origin');
  c.header('cross-origin-resource-policy', 'same-origin');
  c.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
});
