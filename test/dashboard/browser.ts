import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where the journey's screenshots go (git-ignored), for people to look at. */
export const screenshotDir = fileURLToPath(
  new URL('../../test-results/dashboard/', import.meta.url),
);

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's headless Chromium with a fresh profile, removed by `close`. */
export class Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and failed requests: a CSP violation shows up here. */
  readonly problems: string[] = [];
  readonly #profile: string;

  private constructor(context: BrowserContext, page: Page, profile: string) {
    this.context = context;
    this.page = page;
    this.#profile = profile;
    page.on('console', (m) => {
      if (m.type() === 'error') this.problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`));
  }

  static async launch(origin: string): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'jasys-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
      headless: true,
      viewport: { width: 1280, height: 900 },
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    return new Browser(context, page, profile);
  }

  /** A full-page screenshot as test-results/dashboard/<name>.png. */
  async screenshot(name: string): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    await this.page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.#profile, { recursive: true, force: true });
  }
}
