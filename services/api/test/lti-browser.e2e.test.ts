import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './support/browser.js';
import { SEED } from './support/fixtures.js';
import { startReplica, type DatabaseReplica } from './support/lti-database-tool.js';
import { LtiPlatformEmulator, type LaunchSetup } from './support/lti-platform.js';

describe.skipIf(!hasChromium)('the LTI tool in Chromium, from a platform', () => {
  let platform: LtiPlatformEmulator;
  let tool: DatabaseReplica;
  let browser: Browser;

  beforeAll(async () => {
    platform = await LtiPlatformEmulator.start({ redirectUris: [] });
    tool = await startReplica(platform, { dataDir: null });
    platform.redirectUris = [`${tool.base}/lti/launch`];
    platform.toolJwksUrl = `${tool.base}/lti/jwks`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
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

  it('an instructor launch shows the path and the class progress', async () => {
    const page = await launchIn({ message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'browser-teacher', role: 'instructor' });
    await page.waitForSelector('#class-progress');
    expect(await page.locator('h2#class-progress').innerText()).toBe('Class progress');
    // The learner of the first test and the instructor opened the path from the course.
    expect(await page.locator('[data-summary="learners"]').innerText()).toBe('2');
    await page.getByRole('link', { name: 'Open the learning path' }).click();
    await page.waitForURL(`${tool.base}/learn/${SEED}`);
    await page.context().close();
  });
});
