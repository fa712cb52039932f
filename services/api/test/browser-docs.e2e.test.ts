import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.js';
import { fixtureCatalog } from './support/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing, but CI requires the browser test`);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

// The API docs and the landing page as a person sees them, under their Content-Security-Policy.
describe.skipIf(!hasChromium)('the docs and the landing page in headless Chromium', () => {
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    app = await buildApp({ catalog: fixtureCatalog(), rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A page whose console errors (CSP violations among them) are recorded. */
  async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    return { page, problems };
  }

  it('/docs shows the project name and the document at /openapi.json, with no CSP violation', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${base}/docs/`);
    await page
      .locator('.opblock')
      .first()
      .waitFor({ timeout: 45_000 })
      .catch((error: Error) => {
        throw new Error(`${error.message}\n${problems.join('\n')}`);
      });
    expect(await page.title()).toBe('Learnpath API docs');
    expect(await page.locator('.info .title').innerText()).toContain('Learnpath API');
    expect(await page.locator('.topbar select option:checked').innerText()).toBe('Learnpath API (OpenAPI 3.1)');
    expect(await page.locator('.info a[href$="/openapi.json"]').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('the landing page links the docs, with no CSP violation', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${base}/`);
    expect(await page.title()).toBe('Learnpath API');
    await page.getByRole('link', { name: 'Interactive API docs' }).click();
    await page.waitForURL(/\/docs/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
