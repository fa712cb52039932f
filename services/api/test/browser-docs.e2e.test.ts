import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { listenApp } from './support/app.js';
import { hasChromium, launchChromium } from './support/browser.js';

// The API docs and the landing page as a person sees them, under their Content-Security-Policy.
describe.skipIf(!hasChromium)('the docs and the landing page in headless Chromium', () => {
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ app, base } = await listenApp());
    browser = await launchChromium();
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
