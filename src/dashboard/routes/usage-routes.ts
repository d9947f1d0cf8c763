import type { Context } from 'hono';
import { Hono } from 'hono';
import { tierAllows } from '../../config/catalog.js';
import { tierSchema } from '../../config/schema.js';
import { usageReport } from '../../usage/usage-report.js';
import { userStats } from '../../usage/user-stats.js';
import type { DashboardEnv, SignedIn } from '../dashboard-env.js';
import { signedIn } from '../session-middleware.js';
import { usageSeries } from '../usage-series.js';
import { usagePage } from '../views/usage-view.js';

const windowDays = 30;

/** The usage page. */
export const usagePageRoutes = new Hono<DashboardEnv>();

usagePageRoutes.get('/', async (c) => {
  const user = signedIn(c);
  const { db, catalog, now } = c.var.services;
  const at = now();
  const tier = tierOf(user);
  const [stats, rows] = await Promise.all([
    statsOf(c, user),
    usageReport(db, user.account.id, windowDays, at),
  ]);
  const models = catalog.models.map((model) => ({ model, allowed: tierAllows(tier, model.tier) }));
  return c.html(usagePage({ user, stats, rows, models, now: at }));
});

/** The usage chart's data, as JSON for the page's script. */
export const usageApiRoutes = new Hono<DashboardEnv>();

usageApiRoutes.get('/', async (c) => {
  const user = signedIn(c);
  const { db, now } = c.var.services;
  const at = now();
  const [stats, rows] = await Promise.all([
    statsOf(c, user),
    usageReport(db, user.account.id, windowDays, at),
  ]);
  return c.json({ today: stats, series: usageSeries(rows, windowDays, at) });
});

function statsOf(c: Context<DashboardEnv>, user: SignedIn) {
  const { db, limiter, config, now } = c.var.services;
  const tier = tierOf(user);
  const principal = {
    accountId: user.account.id,
    keyId: '',
    email: user.account.email,
    tier,
    role: user.account.role,
  };
  return userStats(db, limiter, principal, config.tiers[tier], now());
}

function tierOf(user: SignedIn) {
  const parsed = tierSchema.safeParse(user.account.tier);
  return parsed.success ? parsed.data : 'free';
}
