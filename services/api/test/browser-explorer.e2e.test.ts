import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { listenApp } from './support/app.js';
import { hasChromium, launchChromium } from './support/browser.js';
import { graphqlFixtureCatalog, SEED } from './support/fixtures.js';

if (!hasChromium) console.warn('browser-explorer.e2e.test.ts skipped: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run installs it)');

describe.skipIf(!hasChromium)('the explorer in headless Chromium, offline', () => {
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ app, base } = await listenApp({ catalog: graphqlFixtureCatalog() }));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A page on which every request to a host other than 127.0.0.1 is aborted and recorded. */
  async function offlinePage(): Promise<{ page: Page; offHost: string[]; problems: string[] }> {
    const context = await browser.newContext();
    const offHost: string[] = [];
    const problems: string[] = [];
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
      offHost.push(url.href);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('requestfailed', (request) => {
      if (new URL(request.url()).hostname === '127.0.0.1') problems.push(`failed: ${request.url()}`);
    });
    return { page, offHost, problems };
  }

  const resultText = (page: Page): Promise<string> => page.locator('.graphiql-response').innerText();

  it('runs the default query from the run button and shows the seed title', async () => {
    const { page, offHost, problems } = await offlinePage();
    const response = await page.goto(`${base}/graphiql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.locator('.graphiql-execute-button').click({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('Batch vs Stream Processing'), null, { timeout: 30_000 });
    expect(await resultText(page)).toContain('"title": "Batch vs Stream Processing"');
    expect(offHost).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('pre-fills the editor from ?query= and runs what is typed', async () => {
    const { page, offHost, problems } = await offlinePage();
    const prefilled = `{ path(slug: "${SEED}") { slug resourceCount } }`;
    await page.goto(`${base}/graphiql?query=${encodeURIComponent(prefilled)}`);
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.waitFor({ timeout: 30_000 });
    expect(await page.locator('.graphiql-query-editor').innerText()).toContain('resourceCount');

    // Replace the query by typing, then run it with the keyboard shortcut.
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(`{ path(slug: "${SEED}") { title totalMinutes } }`);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('totalMinutes'), null, { timeout: 30_000 });
    const text = await resultText(page);
    expect(text).toContain('"title": "Batch vs Stream Processing"');
    expect(text).toContain('"totalMinutes": 235');
    expect(offHost).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);
});
