import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { createKey, listKeys, revokeKey } from '../../accounts/api-keys.js';
import { GatewayError } from '../../errors.js';
import type { DashboardEnv, SignedIn } from '../dashboard-env.js';
import { signedIn } from '../session-middleware.js';
import { formFields } from '../form-fields.js';
import { keysPage, type KeysView } from '../views/keys-view.js';

const keyNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the key a name.')
  .max(64, 'Use at most 64 characters.');

/** The keys page: list, create (the key shown once), revoke, rotate. */
export const keyRoutes = new Hono<DashboardEnv>();

keyRoutes.get('/', async (c) => {
  const info =
    c.req.query('welcome') === '1'
      ? 'Welcome! Create your first key below.'
      : c.req.query('revoked') === '1'
        ? 'Key revoked: requests with it now fail.'
        : undefined;
  return render(c, { ...(info && { info }) });
});

keyRoutes.post('/', async (c) => {
  const user = signedIn(c);
  const name = keyNameSchema.safeParse((await formFields(c)).name ?? '');
  if (!name.success) return render(c, { error: name.error.issues[0]?.message ?? 'Bad name.' }, 400);
  const { key } = await createKey(
    c.var.services.db,
    user.account.id,
    name.data,
    c.var.services.now(),
  );
  return render(c, { created: { name: name.data, key } });
});

keyRoutes.post('/:id/revoke', async (c) => {
  const user = signedIn(c);
  await revokeOwnKey(c, user, c.req.param('id'));
  return c.redirect('/app/keys?revoked=1', 303);
});

keyRoutes.post('/:id/rotate', async (c) => {
  const user = signedIn(c);
  const { db, now } = c.var.services;
  const old = (await listKeys(db, user.account.id)).find((k) => k.id === c.req.param('id'));
  if (!old || old.revoked_at !== null) throw new GatewayError('not_found', 'No such active key.');
  const { key } = await createKey(db, user.account.id, old.name, now());
  await revokeOwnKey(c, user, old.id);
  return render(c, { created: { name: old.name, key, replaced: old.id } });
});

async function revokeOwnKey(c: Context<DashboardEnv>, user: SignedIn, keyId: string) {
  const { db, auth, now } = c.var.services;
  if (!(await revokeKey(db, keyId, user.account.id, now()))) {
    throw new GatewayError('not_found', 'No such key.');
  }
  auth.forget();
}

async function render(
  c: Context<DashboardEnv>,
  view: Omit<KeysView, 'user' | 'keys'>,
  status: 200 | 400 = 200,
) {
  const user = signedIn(c);
  const keys = await listKeys(c.var.services.db, user.account.id);
  return c.html(keysPage({ ...view, user, keys }), status);
}
