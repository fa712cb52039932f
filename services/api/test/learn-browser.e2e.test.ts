import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { SEED } from './support/fixtures.js';
import { SCREENSHOTS, screenshotPathPage } from './support/screenshots.js';
import { learnCatalog } from './support/learn-catalogs.js';
import { listenApp } from './support/app.js';
import { hasChromium, launchChromium } from './support/browser.js';

const require = createRequire(import.meta.url);

/** The accessible name of a resource's "Mark as done" button. */
const markName = (title: string): RegExp => new RegExp(`^Mark as done\\s*:\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe.skipIf(!hasChromium)('learner pages in Chromium', () => {
  let app: App;
  let base: string;
  let browser: Browser;
  let axeSource: string;

  beforeAll(async () => {
    ({ app, base } = await listenApp({ catalog: learnCatalog() }));
    browser = await launchChromium();
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A page that records every request off this origin and every error the page reports. */
  async function openPage(options: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<{ context: BrowserContext; page: Page; offOrigin: string[]; problems: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: options.width ?? 1280, height: 900 } });
    const offOrigin: string[] = [];
    const problems: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(base)) return route.continue();
      offOrigin.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    return { context, page, offOrigin, problems };
  }

  const ready = (page: Page) => page.waitForSelector('html[data-learn-ready="true"]');
  const progressOf = async (page: Page) => ({
    percent: await page.locator('[data-progress-percent]').innerText(),
    next: await page.locator('[data-next-link]').innerText(),
  });

  it('keeps anonymous marks across a reload, updates states, percent, next step and graph at once, and undoes', async () => {
    const { context, page, offOrigin, problems } = await openPage();
    await page.goto(`${base}/learn/${SEED}`);
    await ready(page);
    const mark = page.getByRole('button', { name: markName('Batch Processing') });
    await mark.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => mark.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#resource-stream-processing [data-state-label]').innerText()).toBe('Available');
    expect(await page.locator('.graph-node[data-resource="batch-processing"]').getAttribute('class')).toContain('state-completed');
    expect(await page.locator('.graph-node[data-resource="stream-processing"]').getAttribute('class')).toContain('is-next');

    // The page computes what the API computes.
    const api = (await (await fetch(`${base}/v1/paths/${SEED}/progress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ completed: ['batch-processing'] }) })).json()) as { percent: number; next: { title: string } };
    expect(await progressOf(page)).toEqual({ percent: `${api.percent}%`, next: api.next.title });

    await page.getByRole('button', { name: markName('Stream Processing') }).click();
    await expect.poll(() => page.locator('#resource-processing-comparison [data-state-label]').innerText()).toBe('Available');
    expect(await page.locator('#check-0').isChecked()).toBe(true);

    await page.reload();
    await ready(page);
    expect(await page.getByRole('button', { name: markName('Batch Processing') }).getAttribute('aria-pressed')).toBe('true');
    expect(await progressOf(page)).toEqual({ percent: '28%', next: 'Processing Comparison' });

    await page.getByRole('button', { name: markName('Stream Processing') }).click();
    await expect.poll(() => page.locator('#resource-processing-comparison [data-state-label]').innerText()).toBe('Locked');
    expect(await page.locator('#resource-processing-comparison [data-state-reason]').innerText()).toContain('Complete Phase 1 first');
    expect(await progressOf(page)).toEqual({ percent: '14%', next: 'Stream Processing' });
    expect(offOrigin).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('marks on a resource page show on the path page', async () => {
    const { context, page, problems } = await openPage({ width: 375 });
    await page.goto(`${base}/learn/${SEED}/batch-processing`);
    await ready(page);
    await page.getByRole('button', { name: markName('Batch Processing') }).click();
    await expect.poll(() => page.locator('[data-state-label]').innerText()).toBe('Completed');
    await page.goto(`${base}/learn/${SEED}`);
    await ready(page);
    expect(await page.locator('#resource-batch-processing [data-state-label]').innerText()).toBe('Completed');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reads without JavaScript: content, states and graph are there, and no button pretends to work', async () => {
    const { context, page } = await openPage({ javaScriptEnabled: false });
    await page.goto(`${base}/learn/${SEED}`);
    expect(await page.locator('h1').innerText()).toBe('Batch vs Stream Processing');
    expect(await page.locator('#resource-processing-comparison [data-state-reason]').innerText()).toContain('Complete Phase 1 first');
    expect(await page.locator('svg.path-graph .graph-node').count()).toBe(7);
    expect(await page.locator('button[data-mark]:visible').count()).toBe(0);
    await context.close();
  });

  it('shows a hostile title as text and runs no injected script', async () => {
    const { context, page, problems } = await openPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${base}/learn/hostile`);
    await ready(page);
    expect(await page.locator('#resource-img-src-x-onerror-alert-1 .resource-title').innerText()).toBe('<img src=x onerror=alert(1)>');
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('renders a path of 1,000 resources and marks one', async () => {
    const { context, page, problems } = await openPage();
    await page.goto(`${base}/learn/huge`);
    await ready(page);
    await page.getByRole('button', { name: markName('Step 1') }).click();
    await expect.poll(() => page.locator('#resource-step-2 [data-state-label]').innerText()).toBe('Available');
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const [name, path] of [
    ['the catalog', '/learn'],
    ['a path page', `/learn/${SEED}`],
    ['a resource page', `/learn/${SEED}/processing-comparison`],
  ] as const) {
    for (const width of [375, 1280]) {
      it(`axe-core finds no serious or critical violation on ${name} at ${width} px`, async () => {
        const { context, page } = await openPage({ width });
        await page.goto(`${base}${path}`);
        if (path !== '/learn') await ready(page);
        // Evaluated through the DevTools protocol, which the page's CSP does not govern.
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
          const result = await axe.run();
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
        });
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
        await context.close();
      });
    }
  }

  it('takes the 375 px and 1280 px screenshots of a path page that the README shows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learn-shots-'));
    try {
      const files = await screenshotPathPage(browser, base, SEED, dir);
      expect(files.map((f) => f.slice(dir.length + 1))).toEqual(SCREENSHOTS.map((s) => s.file));
      for (const [i, file] of files.entries()) {
        const png = await readFile(file);
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(png.readUInt32BE(16)).toBe(SCREENSHOTS[i]!.width);
        expect(png.readUInt32BE(20)).toBeGreaterThan(800);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
