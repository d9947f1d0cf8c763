import { Hono } from 'hono';
import { tierSchema } from '../../config/schema.js';
import type { DashboardEnv } from '../dashboard-env.js';
import { publicOrigin } from '../request-info.js';
import { signedIn } from '../session-middleware.js';
import { quickstartPage } from '../views/quickstart-view.js';

/** Quick start: this gateway's base URL and snippets to paste. */
export const quickstartRoutes = new Hono<DashboardEnv>();

quickstartRoutes.get('/', (c) => {
  const user = signedIn(c);
  const parsed = tierSchema.safeParse(user.account.tier);
  const allowed = c.var.services.catalog.allowedFor(parsed.success ? parsed.data : 'free');
  const model = allowed[0]?.id ?? 'openai/gpt-3.5-turbo';
  return c.html(quickstartPage({ user, baseUrl: `${publicOrigin(c)}/v1`, model }));
});
