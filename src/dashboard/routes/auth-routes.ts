import type { Context } from 'hono';
import { Hono } from 'hono';
import { createAccount, findAccountByEmail, normalizeEmail } from '../../accounts/accounts.js';
import { hashPassword, verifyPassword } from '../../accounts/passwords.js';
import { errorHead, GatewayError } from '../../errors.js';
import { credentialsSchema, firstIssue, signupSchema } from '../credentials.js';
import type { DashboardEnv } from '../dashboard-env.js';
import { formFields } from '../form-fields.js';
import { clientAddress } from '../request-info.js';
import { clearSessionCookie, preSessionToken, writeSessionCookie } from '../session-cookie.js';
import { type ThrottleAttempt, throttleRules } from '../throttle.js';
import { loginPage, signupPage } from '../views/auth-views.js';

/** Checked when the email is unknown, so a miss takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;

/** Sign up, log in, log out. */
export const authRoutes = new Hono<DashboardEnv>();

authRoutes.get('/', (c) => c.redirect(c.var.user ? '/app/keys' : '/app/login', 303));

authRoutes.get('/login', (c) => {
  if (c.var.user) return c.redirect('/app/keys', 303);
  const info = c.req.query('bye') === '1' ? 'You have logged out.' : undefined;
  return c.html(loginPage({ csrf: preSessionToken(c), ...(info && { info }) }));
});

authRoutes.get('/signup', (c) => {
  if (c.var.user) return c.redirect('/app/keys', 303);
  return c.html(signupPage({ csrf: preSessionToken(c) }));
});

authRoutes.post('/login', async (c) => {
  const { throttle, db } = c.var.services;
  const fields = await formFields(c);
  const email = normalizeEmail(fields.email ?? '').slice(0, 254);
  const buckets = [`login-ip:${clientAddress(c)}`, `login-email:${email}`] as const;
  const fail = (error: string, status: 400 | 401 | 403 | 429) =>
    c.html(loginPage({ csrf: preSessionToken(c), email, error }), status);
  // Counted before anything slow, in one statement per bucket: at most the rule's attempts
  // reach the password check in a window, however many arrive at once.
  let attempts: ThrottleAttempt[];
  try {
    attempts = await throttle.take(
      [buckets[0], throttleRules.loginAddress],
      [buckets[1], throttleRules.loginAccount],
    );
  } catch (error) {
    return tooMany(c, error, () =>
      fail('Too many attempts. Wait a few minutes and try again.', 429),
    );
  }
  const parsed = credentialsSchema.safeParse(fields);
  if (!parsed.success) {
    await throttle.release(...attempts);
    return fail(firstIssue(parsed.error), 400);
  }
  const account = await findAccountByEmail(db, parsed.data.email);
  dummyHash ??= hashPassword('not a password of anybody');
  const valid = await verifyPassword(
    account?.password_hash ?? (await dummyHash),
    parsed.data.password,
  );
  // A failure stays counted in both buckets; anything else gives its attempt back.
  if (!account || !valid) return fail('Incorrect email or password.', 401);
  if (account.disabled) {
    await throttle.release(...attempts);
    return fail('This account is disabled. Contact the administrator.', 403);
  }
  await throttle.release(attempts[0]!);
  await throttle.clear(buckets[1]);
  await startSession(c, account.id);
  return c.redirect('/app/keys', 303);
});

authRoutes.post('/signup', async (c) => {
  const { throttle, db, now } = c.var.services;
  const fields = await formFields(c);
  const email = normalizeEmail(fields.email ?? '').slice(0, 254);
  const buckets = [`signup-ip:${clientAddress(c)}`, `signup-email:${email}`] as const;
  const fail = (error: string, status: 400 | 409 | 429) =>
    c.html(signupPage({ csrf: preSessionToken(c), email, error }), status);
  // Every sign-up that is not refused counts, taken in one statement per bucket before the
  // password is hashed, so no burst gets past the rule.
  try {
    await throttle.take(
      [buckets[0], throttleRules.signupAddress],
      [buckets[1], throttleRules.signupAccount],
    );
  } catch (error) {
    return tooMany(c, error, () => fail('Too many sign-ups from here. Try again later.', 429));
  }
  const parsed = signupSchema.safeParse(fields);
  if (!parsed.success) return fail(firstIssue(parsed.error), 400);
  try {
    const account = await createAccount(db, { ...parsed.data, tier: 'free' }, now());
    await startSession(c, account.id);
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'conflict') {
      return fail('An account with this email already exists. Log in instead.', 409);
    }
    throw error;
  }
  return c.redirect('/app/keys?welcome=1', 303);
});

authRoutes.post('/logout', async (c) => {
  const user = c.var.user;
  if (user) {
    await c.var.services.sessions.destroy(user.sessionId);
    c.var.services.keyFlash.drop(user.session.id_hash);
  }
  clearSessionCookie(c);
  return c.redirect('/app/login?bye=1', 303);
});

/** A fresh session id at every sign-in, so an id planted before it is worth nothing. */
async function startSession(c: Context<DashboardEnv>, accountId: string): Promise<void> {
  const previous = c.var.user?.sessionId;
  if (previous) await c.var.services.sessions.destroy(previous);
  const { id } = await c.var.services.sessions.create(accountId);
  writeSessionCookie(c, id);
}

function tooMany(
  c: Context<DashboardEnv>,
  error: unknown,
  render: () => Response | Promise<Response>,
) {
  if (!(error instanceof GatewayError) || error.code !== 'too_many_attempts') throw error;
  for (const [name, value] of Object.entries(errorHead(error).headers)) c.header(name, value);
  return render();
}
