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

/** The keys page: list, create (the key shown once, on the GET after the POST), revoke, rotate. */
export const keyRoutes = new Hono<DashboardEnv>();

keyRoutes.get('/', async (c) => {
  const user = signedIn(c);
  const info =
    c.req.query('welcome') === '1'
      ? 'Welcome! Create your first key below.'
      : c.req.query('revoked') === '1'
        ? 'Key revoked: requests with it now fail.'
        : undefined;
  const keys = await listKeys(c.var.services.db, user.account.id);
  // Taken last, once nothing can fail before the page is written: this is its only showing.
  const created = takesFlash(c) ? c.var.services.keyFlash.take(user.session.id_hash) : [];
  // Never cached, so neither Back nor a cache can bring the new key back.
  c.header('cache-control', 'no-store');
  return c.html(keysPage({ user, keys, created, ...(info && { info }) }));
});

/**
 * Creates a key and redirects to the keys page (POST-redirect-GET): a reload there re-submits
 * nothing, and the new key waits in the session's one-time flash for that page alone.
 */
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
  c.var.services.keyFlash.put(user.session.id_hash, { name: name.data, key });
  return c.redirect('/app/keys', 303);
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
  c.var.services.keyFlash.put(user.session.id_hash, { name: old.name, key, replaced: old.id });
  return c.redirect('/app/keys', 303);
});

/**
 * Only a real page load takes the flash: a HEAD (Hono answers it with the GET handler, body
 * dropped) or a speculative prefetch would use it up with nobody to see the key.
 */
function takesFlash(c: Context<DashboardEnv>): boolean {
  if (c.req.method !== 'GET') return false;
  const purpose = `${c.req.header('sec-purpose') ?? ''} ${c.req.header('purpose') ?? ''}`;
  return !/prefetch|prerender/i.test(purpose);
}

async function revokeOwnKey(c: Context<DashboardEnv>, user: SignedIn, keyId: string) {
  const { db, auth, now } = c.var.services;
  if ((await revokeKey(db, keyId, user.account.id, now())) === 'not_found') {
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
