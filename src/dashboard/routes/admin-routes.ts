import { Hono } from 'hono';
import { setAccountTier } from '../../accounts/accounts.js';
import { tierSchema } from '../../config/schema.js';
import { GatewayError } from '../../errors.js';
import { listAccounts, setAccountDisabled } from '../account-admin.js';
import type { DashboardEnv } from '../dashboard-env.js';
import { formFields } from '../form-fields.js';
import { signedIn } from '../session-middleware.js';
import { adminPage } from '../views/admin-view.js';

const notices: Record<string, string> = {
  tier: 'Tier changed. It applies to the next request.',
  disabled: 'Account disabled: its keys and sessions stopped working.',
  enabled: 'Account enabled.',
};

/** Admin: every account, its tier, and disabling it. `requireAdmin` guards these. */
export const adminRoutes = new Hono<DashboardEnv>();

adminRoutes.get('/', async (c) => {
  const user = signedIn(c);
  const info = notices[c.req.query('done') ?? ''];
  const accounts = await listAccounts(c.var.services.db);
  return c.html(adminPage({ user, accounts, ...(info && { info }) }));
});

adminRoutes.post('/accounts/:id/tier', async (c) => {
  const { db, auth } = c.var.services;
  const tier = tierSchema.safeParse((await formFields(c)).tier);
  if (!tier.success)
    throw new GatewayError('invalid_parameter', 'Unknown tier.', { param: 'tier' });
  const found = await db
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', c.req.param('id'))
    .executeTakeFirst();
  if (!found) throw new GatewayError('not_found', 'No such account.');
  await setAccountTier(db, found.id, tier.data);
  auth.forget();
  return c.redirect('/app/admin?done=tier', 303);
});

adminRoutes.post('/accounts/:id/status', async (c) => {
  const user = signedIn(c);
  const { db, auth, sessions } = c.var.services;
  const id = c.req.param('id');
  const disable = (await formFields(c)).disabled === '1';
  if (id === user.account.id) throw new GatewayError('conflict', 'You cannot disable yourself.');
  if (!(await setAccountDisabled(db, id, disable))) {
    throw new GatewayError('not_found', 'No such account.');
  }
  if (disable) await sessions.destroyAll(id);
  auth.forget();
  return c.redirect(`/app/admin?done=${disable ? 'disabled' : 'enabled'}`, 303);
});
