import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccountByEmail } from '../../src/accounts/accounts.js';
import { hashPassword, verifyPassword } from '../../src/accounts/passwords.js';
import { TestGateway } from '../support/gateway.js';
import { DashboardClient } from './dashboard-client.js';

describe('password hashing', () => {
  it('is argon2id with a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('a long enough password');
    const b = await hashPassword('a long enough password');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'a long enough password')).toBe(true);
    expect(await verifyPassword(a, 'a long enough passworD')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });
});

describe('sign-up', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await TestGateway.start();
  });
  afterAll(() => gw.stop());

  it('stores an argon2id hash and starts on the free tier', async () => {
    const client = new DashboardClient(gw.url);
    const res = await client.signUp('  Mixed.Case@Example.com ', 'ten chars!');
    expect(res.location).toBe('/app/keys?welcome=1');
    const account = await findAccountByEmail(gw.gateway.db, 'mixed.case@example.com');
    expect(account?.tier).toBe('free');
    expect(account?.role).toBe('user');
    expect(account?.password_hash).toMatch(/^\$argon2id\$/);
    expect(account?.password_hash).not.toContain('ten chars!');
  });

  it('refuses short passwords, bad emails and taken emails', async () => {
    const client = new DashboardClient(gw.url);
    const short = await client.signUp('short@example.com', 'nine char');
    expect(short.status).toBe(400);
    expect(short.body).toContain('at least 10 characters');
    const bad = await client.signUp('not-an-email', 'long enough pw');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('valid email');
    const taken = await client.signUp('mixed.case@example.com', 'long enough pw');
    expect(taken.status).toBe(409);
    expect(await findAccountByEmail(gw.gateway.db, 'short@example.com')).toBeUndefined();
  });
});
