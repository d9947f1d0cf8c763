import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { Throttle } from '../../src/dashboard/throttle.js';
import { openStore, type Db } from '../../src/store/open-store.js';
import { TestGateway } from '../support/gateway.js';
import { createTestDatabase, postgresAdminUrl } from '../support/postgres.js';
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
    for (let i = 0; i < 3; i++) await throttle.take(['b', rule]);
    clock += 10_000;
    const error = await throttle.take(['b', rule]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('too_many_attempts');
    expect((error as GatewayError).status).toBe(429);
    expect((error as GatewayError).retryAfterMs).toBe(50_000);
    // The refused attempt was given back: the bucket holds exactly its max.
    expect(await attemptsIn('b')).toBe(3);
    await expect(throttle.take(['other', rule])).resolves.toHaveLength(1);
  });

  it('starts over when the window has passed, and on clear', async () => {
    const throttle = new Throttle(db, now);
    for (let i = 0; i < 3; i++) await throttle.take(['b', rule]);
    clock += 60_000;
    await throttle.take(['b', rule]);
    const row = await db.selectFrom('auth_throttle').selectAll().executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(Number(row.window_start)).toBe(clock);
    for (let i = 0; i < 2; i++) await throttle.take(['b', rule]);
    await expect(throttle.take(['b', rule])).rejects.toThrow(GatewayError);
    await throttle.clear('b');
    await expect(throttle.take(['b', rule])).resolves.toHaveLength(1);
  });

  it('gives back the earlier buckets when a later one refuses', async () => {
    const throttle = new Throttle(db, now);
    for (let i = 0; i < 3; i++) await throttle.take(['account', rule]);
    await expect(throttle.take(['address', rule], ['account', rule])).rejects.toThrow(GatewayError);
    expect(await attemptsIn('address')).toBe(0);
    expect(await attemptsIn('account')).toBe(3);
  });

  it('releases an attempt only within the window it was counted in', async () => {
    const throttle = new Throttle(db, now);
    const [first] = await throttle.take(['b', rule]);
    await throttle.take(['b', rule]);
    await throttle.release(first!);
    expect(await attemptsIn('b')).toBe(1);
    const [old] = await throttle.take(['b', rule]);
    clock += 60_000;
    await throttle.take(['b', rule]);
    await throttle.release(old!);
    expect(await attemptsIn('b')).toBe(1);
  });

  it('lets at most max of many simultaneous attempts through', async () => {
    const throttle = new Throttle(db, now);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => throttle.take(['b', rule])),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(await attemptsIn('b')).toBe(3);
  });
});

async function attemptsIn(bucket: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('auth_throttle')
    .select('attempts')
    .where('bucket', '=', bucket)
    .executeTakeFirst();
  return row?.attempts;
}

/**
 * Fires `count` log-ins at once, each from its own client (its own pre-session CSRF cookie and
 * token), all from the same address; answers their statuses and the 429s' retry-after.
 */
async function loginBurst(
  url: string,
  count: number,
  attempt: (i: number) => { email: string; password: string },
) {
  const clients = Array.from({ length: count }, () => new DashboardClient(url));
  await Promise.all(clients.map((client) => client.get('/app/login')));
  for (const client of clients) expect(client.csrf).not.toBe('');
  const answers = await Promise.all(
    clients.map((client, i) => client.post('/app/login', attempt(i))),
  );
  for (const answer of answers) {
    if (answer.status === 429) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  }
  const count401 = answers.filter((a) => a.status === 401).length;
  const count429 = answers.filter((a) => a.status === 429).length;
  return { count401, count429 };
}

/** Simultaneous log-ins against one gateway: the limits hold however many arrive at once. */
function burstTests(gateway: () => TestGateway) {
  it('lets at most 5 of 60 simultaneous wrong passwords for one account reach the check', async () => {
    const gw = gateway();
    await new DashboardClient(gw.url).signUp('burst@example.com', 'the right password');
    const { count401, count429 } = await loginBurst(gw.url, 60, (i) => ({
      email: 'burst@example.com',
      password: `guess ${i}`,
    }));
    expect(count401).toBeLessThanOrEqual(5);
    expect(count401).toBe(5);
    expect(count429).toBe(60 - count401);
    const locked = await new DashboardClient(gw.url).logIn(
      'burst@example.com',
      'the right password',
    );
    expect(locked.status).toBe(429);
  });

  it('lets at most 20 of 60 simultaneous log-ins from one address through', async () => {
    const gw = gateway();
    const { count401, count429 } = await loginBurst(gw.url, 60, (i) => ({
      email: `spray${i}@example.com`,
      password: 'wrong password',
    }));
    expect(count401).toBeLessThanOrEqual(20);
    expect(count401).toBe(20);
    expect(count429).toBe(60 - count401);
  });
}

describe('sign-in and sign-up throttling over HTTP', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await TestGateway.start();
  });
  afterEach(() => gw.stop());

  burstTests(() => gw);

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

describe.skipIf(!postgresAdminUrl)('simultaneous log-ins on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let gw: TestGateway;
  beforeEach(async () => {
    database = await createTestDatabase();
    gw = await TestGateway.start({ databaseUrl: database.url });
  });
  afterEach(async () => {
    await gw?.stop();
    await database?.drop();
  });

  burstTests(() => gw);
});
