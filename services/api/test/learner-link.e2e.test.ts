import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { hasChromium, launchChromium } from './support/browser.js';
import { SEED } from './support/fixtures.js';
import { learnCatalog } from './support/learn-catalogs.js';

const markName = (title: string): RegExp => new RegExp(`^Mark as done\\s*:\\s*${title}$`);

describe.skipIf(!hasChromium)('a learner link in Chromium', () => {
  let app: App;
  let base: string;
  let browser: Browser;
  let learners: Store;
  // The integrator's back end: it makes links and reads progress with its own keys.
  const writer = createApiKey('lms-backend', ['progress:write']);
  const reader = createApiKey('dashboard', ['progress:read']);

  beforeAll(async () => {
    learners = await openStore({ dataDir: null });
    app = await createTestApp({ catalog: learnCatalog(), learnerStore: learners, apiKeys: [writer, reader], rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    // An in-memory PGlite takes seconds to create, more on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await learners?.close();
  });

  async function openPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Failed requests are recorded with their address below (the console names none).
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`);
    });
    return { context, page, problems };
  }
  const ready = (page: Page) => page.waitForSelector('html[data-learn-ready="true"]');
  const linkFor = async (learnerId: string): Promise<string> => `${base}/learn/link/${(await learners.createLearnerLink({ learnerId, slug: SEED, expiresAt: new Date(Date.now() + 300_000) })).token}`;

  it('opens a session on the clean URL; marks are saved for the learner, survive a new browser context with a new link, and Sign out ends the session', async () => {
    const { context, page, problems } = await openPage();
    const link = await linkFor('e2e-learner-1');
    await page.goto(link);
    await ready(page);
    // The token has left the address bar and the history.
    expect(page.url()).toBe(`${base}/learn/${SEED}`);
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.secure, c.sameSite])).toEqual([['learnpath_session', true, true, 'None']]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.locator('[data-storage-note]').innerText()).toBe('Your marks are saved to your account.');

    await page.getByRole('button', { name: markName('Batch Processing') }).click();
    await expect.poll(async () => (await learners.getPathState('e2e-learner-1', SEED)).completions.map((c) => [c.resourceId, c.source])).toEqual([['batch-processing', 'page']]);
    await expect.poll(() => page.locator('#resource-stream-processing [data-state-label]').innerText()).toBe('Available');
    await page.getByRole('button', { name: markName('Stream Processing') }).click();
    await expect.poll(async () => (await learners.getPathState('e2e-learner-1', SEED)).completions.length).toBe(2);

    // Another browser, a new link for the same learner: the server draws the saved marks (no script needed).
    const other = await browser.newContext({ javaScriptEnabled: false });
    const second = await other.newPage();
    await second.goto(await linkFor('e2e-learner-1'));
    expect(await second.locator('#resource-batch-processing [data-state-label]').innerText()).toBe('Completed');
    expect(await second.locator('[data-progress-percent]').innerText()).toBe('28%');
    await other.close();

    // The reused link: a page that says so, never a session.
    const reused = await (await browser.newContext()).newPage();
    const response = await reused.goto(link);
    expect(response?.status()).toBe(410);
    expect(await reused.locator('h1').innerText()).toBe('This link was used already');
    expect(await reused.context().cookies()).toEqual([]);
    await reused.context().close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/learn`);
    expect(await context.cookies()).toEqual([]);
    await page.goto(`${base}/learn/${SEED}`);
    await ready(page);
    expect(await page.locator('[data-storage-note]').innerText()).toBe('Marks you make are kept in this browser only.');
    expect(await page.locator('#resource-batch-processing [data-state-label]').innerText()).toBe('Available');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offers anonymous marks for import when the learner arrives with a session, imports them on request and clears them here', async () => {
    const { context, page, problems } = await openPage();
    await page.goto(`${base}/learn/${SEED}`);
    await ready(page);
    await page.getByRole('button', { name: markName('Batch Processing') }).click();
    await expect.poll(() => page.evaluate((slug) => localStorage.getItem(`learnpath:progress:v1:${slug}`), SEED)).toContain('batch-processing');

    await page.goto(await linkFor('e2e-learner-2'));
    await ready(page);
    expect(await page.locator('#resource-batch-processing [data-state-label]').innerText()).toBe('Available');
    const panel = page.locator('[data-import-panel]');
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.innerText()).toContain('You marked 1 resource done in this browser before you signed in.');
    expect((await learners.getPathState('e2e-learner-2', SEED)).completions).toEqual([]);
    await page.getByRole('button', { name: 'Import them' }).click();
    await expect.poll(() => panel.isVisible()).toBe(false);
    expect(await page.locator('#resource-batch-processing [data-state-label]').innerText()).toBe('Completed');
    expect((await learners.getPathState('e2e-learner-2', SEED)).completions.map((c) => [c.resourceId, c.source])).toEqual([['batch-processing', 'page']]);
    expect(await page.evaluate((slug) => localStorage.getItem(`learnpath:progress:v1:${slug}`), SEED)).toBeNull();
    await page.reload();
    await ready(page);
    expect(await panel.isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a page whose session has ended says so instead of pretending to save', async () => {
    const { context, page, problems } = await openPage();
    await page.goto(await linkFor('e2e-learner-3'));
    await ready(page);
    const cookie = (await context.cookies())[0]!;
    await learners.endSession(cookie.value);
    await page.getByRole('button', { name: markName('Batch Processing') }).click();
    await expect.poll(() => page.locator('[data-storage-note]').innerText()).toContain('Your session has ended');
    expect((await learners.getPathState('e2e-learner-3', SEED)).completions).toEqual([]);
    // The refused write is the only failure.
    expect(problems).toEqual([`401 ${base}/learn/_session/paths/${SEED}/completions/batch-processing`]);
    await context.close();
  });

  it('a link made through the API, marks in the page, and the API reports them as page marks', async () => {
    const made = await fetch(`${base}/v1/learners/e2e-learner-4/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ path: SEED, expiresIn: 120 }),
    });
    expect(made.status).toBe(201);
    const { url } = (await made.json()) as { url: string; expiresAt: string };
    const { context, page, problems } = await openPage();
    await page.goto(url);
    await ready(page);
    expect(page.url()).toBe(`${base}/learn/${SEED}`);
    const saved = page.waitForResponse((r) => r.url().endsWith('/completions/batch-processing') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: markName('Batch Processing') }).click();
    expect((await saved).status()).toBe(200);

    const api = { authorization: `Bearer ${reader.secret}` };
    const progress = (await (await fetch(`${base}/v1/learners/e2e-learner-4/paths/${SEED}/progress`, { headers: api })).json()) as { completedCount: number; resources: { id: string; state: string }[] };
    expect(progress.completedCount).toBe(1);
    expect(progress.resources.find((r) => r.id === 'batch-processing')?.state).toBe('completed');
    const events = (await (await fetch(`${base}/v1/learners/e2e-learner-4/events`, { headers: api })).json()) as { items: { type: string; resourceId: string; source: string }[] };
    expect(events.items.map((e) => [e.type, e.resourceId, e.source])).toEqual([['completed', 'batch-processing', 'page']]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
