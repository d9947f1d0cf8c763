import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/accounts.js';
import { readJsonFixture } from '../support/fixtures.js';
import { TestGateway } from '../support/gateway.js';
import { jsonReply, ReplayUpstream } from '../support/replay-upstream.js';
import { Browser } from './browser.js';

const recorded = readJsonFixture<Record<string, unknown>>('openai/llm-nonstream-tool-call-3.json');
const email = 'new.person@example.com';
const password = 'a long enough password';

let upstream: ReplayUpstream;
let gw: TestGateway;
let browser: Browser;

/** The keys of the journey's account, revoked or not. */
async function keyCount(): Promise<number> {
  const rows = await gw.gateway.db
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .select('api_keys.id')
    .where('accounts.email', '=', email)
    .execute();
  return rows.length;
}

beforeAll(async () => {
  upstream = await new ReplayUpstream().start();
  upstream.handler = () => jsonReply(recorded);
  gw = await TestGateway.start({ env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-up' } });
  browser = await Browser.launch(gw.url);
});

afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  await upstream?.stop();
});

describe('the dashboard in a real browser', () => {
  it(
    'signs up, creates and copies a key, uses it, sees the usage, revokes it',
    { timeout: 120_000 },
    async () => {
      const { page } = browser;

      await page.goto(`${gw.url}/app`);
      await expect.poll(() => page.url()).toBe(`${gw.url}/app/login`);
      await browser.screenshot('01-login');

      await page.getByRole('link', { name: 'Sign up' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await browser.screenshot('02-signup');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL(`${gw.url}/app/keys?welcome=1`);
      expect(await page.getByRole('status').first().textContent()).toContain('Welcome');

      await page.getByLabel('Name').fill('laptop');
      const created = page.waitForResponse(
        (r) => r.url() === `${gw.url}/app/keys` && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Create key' }).click();
      expect((await created).status()).toBe(303);
      await page.waitForURL(`${gw.url}/app/keys`);
      const shown = (await page.locator('#new-key').textContent()) ?? '';
      expect(shown).toMatch(/^sk-jasys-[\w-]{43}$/);
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not be');
      await page.getByRole('button', { name: 'Copy key' }).click();
      await expect.poll(() => page.locator('.copy-status').textContent()).toContain('Copied');
      const key = await page.evaluate<string>('navigator.clipboard.readText()');
      expect(key).toBe(shown);
      await browser.screenshot('03-key-created');

      // A reload is a plain GET now: it neither shows the key again nor creates another.
      expect(await keyCount()).toBe(1);
      const reloaded = await page.reload();
      expect(reloaded?.request().method()).toBe('GET');
      expect(page.url()).toBe(`${gw.url}/app/keys`);
      expect(await page.locator('#new-key').count()).toBe(0);
      expect(await page.content()).not.toContain(key);
      expect(await page.locator('tr', { hasText: 'laptop' }).count()).toBe(1);
      expect(await keyCount()).toBe(1);

      const answer = await gw.client(key).chat.completions.create({
        model: 'gpt-3.5-turbo',
        messages: [{ role: 'user', content: 'Is this the dashboard journey?' }],
      });
      expect(answer.choices[0]?.message.content).toBe('YES');

      await page.getByRole('link', { name: 'Usage' }).click();
      await page.waitForURL(`${gw.url}/app/usage`);
      expect(await page.getByText('Requests: 1 of 100').count()).toBe(1);
      expect(await page.getByText('Tokens: 149 of 10,000').count()).toBe(1);
      await page.waitForSelector('body[data-charts-ready="true"]');
      await page.locator('summary').click();
      expect(await page.locator('#usage-table').textContent()).toContain('openai/gpt-3.5-turbo');
      // Free may call 3 of the 9 catalog models; the other 6 show as locked.
      expect(await page.locator('.model.locked').count()).toBe(6);
      await browser.screenshot('04-usage');

      await page.getByRole('link', { name: 'Quick start' }).click();
      expect(await page.locator('#base-url').textContent()).toBe(`${gw.url}/v1`);
      await browser.screenshot('05-quickstart');

      await page.getByRole('link', { name: 'API keys' }).click();
      expect(await page.content()).not.toContain(key);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Revoke key laptop' }).click();
      await page.waitForURL(`${gw.url}/app/keys?revoked=1`);
      expect(await page.locator('tr', { hasText: 'laptop' }).textContent()).toContain('Revoked');
      await browser.screenshot('06-key-revoked');

      const refused = await gw
        .client(key)
        .chat.completions.create({
          model: 'gpt-3.5-turbo',
          messages: [{ role: 'user', content: 'hi' }],
        })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('link', { name: 'Usage' }).click();
      await page.waitForSelector('body[data-charts-ready="true"]');
      const overflow = await page.evaluate<boolean>(
        'document.documentElement.scrollWidth > window.innerWidth',
      );
      expect(overflow).toBe(false);
      await browser.screenshot('07-usage-phone');
      await page.setViewportSize({ width: 1280, height: 900 });

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(`${gw.url}/app/login?bye=1`);
      await page.goto(`${gw.url}/app/keys`);
      expect(page.url()).toBe(`${gw.url}/app/login`);
      expect(browser.problems).toEqual([]);
    },
  );

  it(
    'lets an admin change a tier and disable an account, whose key stops at once',
    { timeout: 60_000 },
    async () => {
      const { page } = browser;
      await createAccount(gw.gateway.db, {
        email: 'admin@example.com',
        password: 'admin password 1',
        tier: 'enterprise',
        role: 'admin',
      });
      const user = await gw.account('free');

      await page.goto(`${gw.url}/app/login`);
      // Keyboard only: the skip link comes first, then the fields in order; Enter submits.
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<string>('document.activeElement.textContent');
      expect(focused).toBe('Skip to content');
      await page.getByLabel('Email').focus();
      await page.keyboard.type('admin@example.com');
      await page.keyboard.press('Tab');
      await page.keyboard.type('admin password 1');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${gw.url}/app/keys`);

      await page.getByRole('link', { name: 'Admin' }).click();
      await page.getByLabel(`Tier of ${user.email}`, { exact: true }).selectOption('premium');
      await page.getByRole('button', { name: `Set the tier of ${user.email}` }).click();
      await page.waitForURL(`${gw.url}/app/admin?done=tier`);
      const models = await gw.client(user.key).models.list();
      expect(models.data.map((m) => m.id)).toContain('openai/gpt-4');

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: `Disable ${user.email}` }).click();
      await page.waitForURL(`${gw.url}/app/admin?done=disabled`);
      expect(await page.locator(`tr[data-account="${user.email}"]`).textContent()).toContain(
        'Disabled',
      );
      await browser.screenshot('08-admin');

      const refused = await gw
        .client(user.key)
        .models.list()
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(browser.problems).toEqual([]);
    },
  );
});
