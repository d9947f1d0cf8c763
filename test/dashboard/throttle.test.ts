import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { Throttle } from '../../src/dashboard/throttle.js';
import { openStore, type Db } from '../../src/store/open-store.js';
import { TestGateway } from '../support/gateway.js';
import { DashboardClient } from './dashboard-client.js';

let db: Db;
let clock = Date.UTC(2026, 11, 3, 12);
const now = () => clock;
const rule = { max: 3, windowMs: 60_000 };

beforeEach(async () => {
  db = (await openStore({ dataDir: ':memory:' })).db;
});
afterEach(() => db.destroy());

describe('throttle', () => {
  it('refuses the attempt after max, with retry-after until the window ends', async () => {
    const throttle = new Throttle(db, now);
    for (let i = 0; i < 3; i++) {
      await throttle.check('b', rule);
      await throttle.hit('b', rule);
    }
    clock += 10_000;
    const error = await throttle.check('b', rule).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('too_many_attempts');
    expect((error as GatewayError).status).toBe(429);
    expect((error as GatewayError).retryAfterMs).toBe(50_000);
    await expect(throttle.check('other', rule)).resolves.toBeUndefined();
  });

  it('starts over when the window has passed, and on clear', async () => {
    const throttle = new Throttle(db, now);
    for (let i = 0; i < 3; i++) await throttle.hit('b', rule);
    clock += 60_000;
    await expect(throttle.check('b', rule)).resolves.toBeUndefined();
    await throttle.hit('b', rule);
    const row = await db.selectFrom('auth_throttle').selectAll().executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(Number(row.window_start)).toBe(clock);
    for (let i = 0; i < 3; i++) await throttle.hit('b', rule);
    await expect(throttle.check('b', rule)).rejects.toThrow(GatewayError);
    await throttle.clear('b');
    await expect(throttle.check('b', rule)).resolves.toBeUndefined();
  });
});

describe('sign-in and sign-up throttling over HTTP', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await TestGateway.start();
  });
  afterEach(() => gw.stop());

  it('locks an account after 5 wrong passwords, even against the right one', async () => {
    await new DashboardClient(gw.url).signUp('target@example.com', 'the right password');
    const guesser = new DashboardClient(gw.url);
    await guesser.get('/app/login');
    for (let i = 0; i < 5; i++) {
      const res = await guesser.post('/app/login', {
        email: 'TARGET@example.com',
        password: `guess ${i}`,
      });
      expect(res.status).toBe(401);
      expect(res.body).toContain('Incorrect email or password.');
    }
    const locked = await guesser.post('/app/login', {
      email: 'target@example.com',
      password: 'the right password',
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body).toContain('Too many attempts');
    expect(guesser.cookies.has('jasys_session')).toBe(false);
  });

  it('limits failed sign-ins per address across many emails', async () => {
    const guesser = new DashboardClient(gw.url);
    await guesser.get('/app/login');
    for (let i = 0; i < 20; i++) {
      const res = await guesser.post('/app/login', {
        email: `nobody${i}@example.com`,
        password: 'wrong password',
      });
      expect(res.status).toBe(401);
    }
    const res = await guesser.post('/app/login', {
      email: 'fresh@example.com',
      password: 'wrong password',
    });
    expect(res.status).toBe(429);
  });

  it('limits sign-ups per address and per email', async () => {
    const client = new DashboardClient(gw.url);
    await client.get('/app/signup');
    for (let i = 0; i < 3; i++) {
      const res = await client.post('/app/signup', {
        email: 'same@example.com',
        password: 'short',
      });
      expect(res.status).toBe(400);
    }
    expect(
      (await client.post('/app/signup', { email: 'same@example.com', password: 'long enough 1' }))
        .status,
    ).toBe(429);
    // Ten attempts an hour per address; the refused one above did not count.
    for (let i = 0; i < 7; i++) {
      await client.post('/app/signup', { email: `n${i}@example.com`, password: 'short' });
    }
    const res = await client.post('/app/signup', {
      email: 'last@example.com',
      password: 'long enough 1',
    });
    expect(res.status).toBe(429);
  });

  it("clears an account's failures after a successful sign-in", async () => {
    const client = new DashboardClient(gw.url);
    await client.signUp('forgetful@example.com', 'the right password');
    await client.post('/app/logout');
    await client.get('/app/login');
    for (let i = 0; i < 4; i++) {
      await client.post('/app/login', { email: 'forgetful@example.com', password: 'wrong' });
    }
    const ok = await client.post('/app/login', {
      email: 'forgetful@example.com',
      password: 'the right password',
    });
    expect(ok.location).toBe('/app/keys');
    const buckets = await gw.gateway.db.selectFrom('auth_throttle').select('bucket').execute();
    expect(buckets.map((b) => b.bucket)).not.toContain('login-email:forgetful@example.com');
  });
});
