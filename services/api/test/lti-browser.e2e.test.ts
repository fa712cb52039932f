import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './support/browser.js';
import { SEED } from './support/fixtures.js';
import { startReplica, type DatabaseReplica } from './support/lti-database-tool.js';
import { LtiPlatformEmulator, type LaunchSetup } from './support/lti-platform.js';
import { dropSchema, freshSchema, postgresUnavailableReason, testDatabaseUrl } from '@learnpath/store/testing';

// One browser for the file; each launch gets a context of its own.
let browser: Browser;
beforeAll(async () => {
  if (hasChromium) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!hasChromium)('the LTI tool in Chromium, from a platform', () => {
  let platform: LtiPlatformEmulator;
  let tool: DatabaseReplica;

  beforeAll(async () => {
    platform = await LtiPlatformEmulator.start({ redirectUris: [] });
    tool = await startReplica(platform, { dataDir: null });
    platform.registerTool(tool.base);
  });
  afterAll(async () => {
    await tool?.close();
    await platform?.close();
  });

  /** The platform starts a launch: the browser goes to the tool's login, the platform's auth endpoint, and posts the id_token to the tool. */
  async function launchIn(setup: LaunchSetup): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const params = new URLSearchParams(platform.prepareLaunch(setup));
    await page.goto(`${tool.base}/lti/login?${params}`);
    return page;
  }

  it('a learner launch lands on the path page; "Mark as done" sends the score to the platform', async () => {
    const page = await launchIn({ message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'browser-learner', lineItem: 'li-browser' });
    await page.waitForURL(`${tool.base}/learn/${SEED}`);
    await page.waitForSelector('html[data-learn-ready="true"]');
    expect(await page.locator('[data-storage-note]').innerText()).toBe('Your marks are saved to your account.');
    const score = platform.waitFor('score', (s) => s.score.userId === 'browser-learner');
    await page.getByRole('button', { name: /^Mark as done/ }).first().click();
    const [arrived] = await score;
    expect(arrived.lineItem).toContain('li-browser');
    expect(arrived.score).toMatchObject({ userId: 'browser-learner', scoreMaximum: 100, activityProgress: 'InProgress', gradingProgress: 'Pending' });
    expect(arrived.score.scoreGiven).toBeGreaterThan(0);
    await page.context().close();
  });

  it('while the score endpoint is down the learner goes on marking; once it is back the last score arrives', async () => {
    const page = await launchIn({ message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'browser-offline', lineItem: 'li-offline' });
    await page.waitForURL(`${tool.base}/learn/${SEED}`);
    await page.waitForSelector('html[data-learn-ready="true"]');
    platform.scoreMode = 'down';
    const refused = platform.waitFor('score-refused', (why) => why === 'down');
    const marks = page.getByRole('button', { name: /^Mark as done/ });
    await marks.nth(0).click();
    await expect.poll(() => marks.nth(0).getAttribute('aria-pressed')).toBe('true');
    await marks.nth(1).click();
    await expect.poll(() => marks.nth(1).getAttribute('aria-pressed')).toBe('true');
    await refused;
    const percent = Number((await page.locator('[data-progress-percent]').innerText()).replace('%', ''));
    const last = platform.waitFor('score', (s) => s.score.userId === 'browser-offline' && s.score.scoreGiven === percent);
    platform.scoreMode = 'ok';
    await last;
    const given = platform.scores.filter((s) => s.score.userId === 'browser-offline').map((s) => s.score.scoreGiven);
    expect(given.at(-1)).toBe(percent);
    expect(given).toEqual([...given].sort((x, y) => x - y));
    await page.context().close();
  });

  it('deep linking: the teacher picks a path and "Add to course" returns a response the platform verifies', async () => {
    const page = await launchIn({ message: 'LtiDeepLinkingRequest', targetLinkUri: `${tool.base}/lti/launch`, role: 'instructor' });
    await page.waitForSelector('text=Add learning paths to the course');
    const returned = platform.waitFor('deep-link');
    await page.locator(`input[name="path"][value="${SEED}"]`).check();
    await page.getByRole('button', { name: 'Add to course' }).click();
    const [response] = await returned;
    expect(response.items).toEqual([expect.objectContaining({ type: 'ltiResourceLink', url: `${tool.base}/learn/${SEED}`, custom: { path: SEED }, lineItem: expect.objectContaining({ scoreMaximum: 100, resourceId: SEED }) })]);
    await page.context().close();
  });

  it('platform storage: in the course frame, a launch whose state cookie did not come back reads the state from the platform and lands on the path', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      // As a browser that keeps no cookie of a framed tool: the state cookie is gone by the time
      // the platform posts the launch (the login has kept the secret in the platform storage).
      let authenticated = 0;
      await context.route(`${platform.authUrl}**`, async (route) => {
        authenticated++;
        await context.clearCookies();
        await route.continue();
      });
      const setup = { message: 'LtiResourceLinkRequest' as const, targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'browser-storage', lineItem: 'li-storage' };
      const login = `${tool.base}/lti/login?${new URLSearchParams({ ...platform.prepareLaunch(setup), lti_storage_target: 'lti-storage' })}`;
      await page.goto(`${platform.issuer}/course?login=${encodeURIComponent(login)}`);
      const toolFrame = (await (await page.waitForSelector('iframe#tool')).contentFrame())!;
      await toolFrame.waitForURL(`${tool.base}/learn/${SEED}`);
      await toolFrame.waitForSelector('html[data-learn-ready="true"]');
      expect(authenticated).toBe(1);
      const log = await page.frame({ name: 'lti-storage' })!.evaluate(() => (window as unknown as { storageLog: { origin: string; subject: string; key: string }[] }).storageLog);
      expect(log.map((entry) => entry.subject)).toEqual(['lti.put_data', 'lti.get_data']);
      expect(log.every((entry) => entry.origin === tool.base && /^lti_state_[\w-]+$/.test(entry.key) && entry.key === log[0]!.key)).toBe(true);
      // Signed in through the storage: the marks go to the account, and the score to the platform.
      expect(await toolFrame.locator('[data-storage-note]').innerText()).toBe('Your marks are saved to your account.');
      const score = platform.waitFor('score', (s) => s.score.userId === 'browser-storage');
      await toolFrame.getByRole('button', { name: /^Mark as done/ }).first().click();
      expect((await score)[0].lineItem).toContain('li-storage');
    } finally {
      await context.close();
    }
  });

  it("an instructor lands on the learner page with the class's progress; a learner's page in the same course never has it", async () => {
    const page = await launchIn({ message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'browser-teacher', role: 'instructor' });
    await page.waitForURL(`${tool.base}/learn/${SEED}`);
    await page.waitForSelector('html[data-learn-ready="true"]');
    expect(await page.getByRole('heading', { name: 'Class progress: Data Engineering 101' }).isVisible()).toBe(true);
    // Every learner who opened the path from the course has a row; the instructor is not one of them.
    const course = await tool.store.lti.listCourseLearners({ issuer: platform.issuer, clientId: platform.clientId, contextId: 'course-1', slug: SEED });
    expect(course.length).toBeGreaterThan(0);
    expect(await page.locator('[data-summary="learners"]').innerText()).toBe(String(course.length));
    const table = page.getByRole('table', { name: "Each learner's progress on this path" });
    expect(await table.locator('tbody tr').count()).toBe(course.length);
    expect(await table.locator('tbody th').first().innerText()).toMatch(/^Learner /);
    // The instructor's own marks still work on the same page.
    expect(await page.locator('[data-storage-note]').innerText()).toBe('Your marks are saved to your account.');
    await page.context().close();

    const learner = await launchIn({ message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'browser-classmate', lineItem: 'li-browser' });
    await learner.waitForURL(`${tool.base}/learn/${SEED}`);
    await learner.waitForSelector('html[data-learn-ready="true"]');
    expect(await learner.getByRole('heading', { name: 'Your progress' }).isVisible()).toBe(true);
    expect(await learner.locator('[data-class-progress]').count()).toBe(0);
    expect(await learner.getByText('Class progress').count()).toBe(0);
    await learner.context().close();
  });
});

/** One origin in front of two replicas: the login goes to the first, everything else to the second. */
async function splitProxy(first: DatabaseReplica, second: DatabaseReplica): Promise<{ base: string; served: string[]; close: () => Promise<void> }> {
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    const toFirst = (req.url ?? '').startsWith('/lti/login');
    const target = toFirst ? first : second;
    served.push(`${toFirst ? 'first' : 'second'} ${(req.url ?? '').split('?')[0]}`);
    const upstream = httpRequest({ host: '127.0.0.1', port: Number(new URL(target.base).port), method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const noPostgres = await postgresUnavailableReason('the LTI replica test in Chromium');
describe.skipIf(!hasChromium || noPostgres !== null)('two replicas on one PostgreSQL in Chromium', () => {
  it('a login through one replica is launched through the other, and the mark reaches the platform', async () => {
    const schema = freshSchema();
    const platform = await LtiPlatformEmulator.start({ redirectUris: [] });
    const options = { databaseUrl: testDatabaseUrl!, schema };
    const first = await startReplica(platform, options);
    const second = await startReplica(platform, options);
    const proxy = await splitProxy(first, second);
    const context = await browser.newContext();
    try {
      platform.registerTool(proxy.base);
      const page = await context.newPage();
      const params = new URLSearchParams(platform.prepareLaunch({ message: 'LtiResourceLinkRequest', targetLinkUri: `${proxy.base}/learn/${SEED}`, user: 'replicated', lineItem: 'li-replicas' }));
      await page.goto(`${proxy.base}/lti/login?${params}`);
      await page.waitForURL(`${proxy.base}/learn/${SEED}`);
      await page.waitForSelector('html[data-learn-ready="true"]');
      expect(proxy.served).toContain('first /lti/login');
      expect(proxy.served).toContain('second /lti/launch');
      const score = platform.waitFor('score', (s) => s.score.userId === 'replicated');
      await page.getByRole('button', { name: /^Mark as done/ }).first().click();
      expect((await score)[0].lineItem).toContain('li-replicas');
    } finally {
      await context.close();
      await proxy.close();
      await first.close();
      await second.close();
      await platform.close();
      await dropSchema(schema);
    }
  });
});
