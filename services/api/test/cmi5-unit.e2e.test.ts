import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { cmi5LearnerId } from '../src/learn/index.js';
import { SEED } from './support/fixtures.js';
import { hasChromium, launchChromium } from './support/browser.js';
import { learnCatalog } from './support/learn-catalogs.js';
import { SESSION_ID, startFakeLms, type FakeLms, type RecordedStatement } from './support/fake-lms.js';

const VERB = (name: string): string => `http://adlnet.gov/expapi/verbs/${name}`;
const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_DURATION = /^P(?:\d+D)?T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?$/;

describe.skipIf(!hasChromium)('a resource page as a cmi5 assignable unit, against a fake LMS and LRS', () => {
  let app: App;
  let base: string;
  let lms: FakeLms;
  let browser: Browser;
  let au: { id: string; url: string };
  let learners: Store;
  const reader = createApiKey('dashboard', ['progress:read']);
  const actor = { objectType: 'Agent', name: 'Learner Seven', account: { homePage: 'https://lms.example.org', name: 'learner-7' } };

  beforeAll(async () => {
    learners = await openStore({ dataDir: null });
    lms = await startFakeLms();
    // The deployment keeps learner progress and trusts the fake LRS to confirm completions.
    app = await createTestApp({ catalog: learnCatalog(), rateLimit: false, learnerStore: learners, apiKeys: [reader], cmi5: { lrsOrigins: [lms.base] } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    // The AU as the cmi5 export describes it: the LMS launches what the course structure says.
    const xml = await (await fetch(`${base}/v1/paths/${SEED}/export/cmi5`)).text();
    const match = /<au id="([^"]+)"[^>]*>(?:(?!<\/au>).)*<url>([^<]+)<\/url>/s.exec(xml);
    au = { id: match![1]!, url: match![2]! };
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await lms?.close();
    await app?.close();
    await learners?.close();
  });

  const fromAu = (registration: string): RecordedStatement[] => lms.statements.filter((s) => s.by === 'au' && s.statement.context?.registration === registration);
  const verbs = (registration: string): string[] => fromAu(registration).map((s) => s.statement.verb.id.split('/').pop()!);
  const status = (page: Page, value: string) => page.waitForSelector(`[data-cmi5-status="${value}"]`);

  async function open(query: string): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${au.url}?${query}`);
    return { page, problems, close: () => context.close() };
  }

  it('is launched from the cmi5 export: the AU launches the learner page of its resource', () => {
    expect(au.url).toBe(`${base}/learn/${SEED}/batch-processing`);
    expect(au.id).toBe(`${base}/v1/paths/${SEED}/resources/batch-processing`);
  });

  it('runs the launch sequence, completes once, and terminates on Exit back to the return URL', async () => {
    const registration = randomUUID();
    const launch = lms.launch({ registration, activityId: au.id, actor, launchMode: 'Normal', returnURL: `${lms.base}/return` });
    const { page, problems, close } = await open(launch.query);
    await status(page, 'ready');
    await lms.waitForStatement((s) => s.statement.verb.id === VERB('initialized') && s.statement.context?.registration === registration);

    await page.getByRole('button', { name: /^Mark as done\s*:\s*Batch Processing$/ }).click();
    await status(page, 'completed');
    expect(await page.getByRole('button', { name: /^Mark as done/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Exit and return to the course' }).click();
    await page.waitForURL(`${lms.base}/return`);
    await lms.waitForStatement((s) => s.statement.verb.id === VERB('terminated') && s.statement.context?.registration === registration);

    expect(verbs(registration)).toEqual(['initialized', 'completed', 'terminated']);
    expect(lms.requests.filter((r) => r.path === launch.fetchUrl.slice(lms.base.length))).toHaveLength(1);
    const xapi = lms.requests.filter((r) => r.path.startsWith('/xapi/') && r.authorization === `Basic ${launch.token}`);
    const firstState = xapi.findIndex((r) => r.path === '/xapi/activities/state' && r.query.get('stateId') === 'LMS.LaunchData');
    const firstProfile = xapi.findIndex((r) => r.path === '/xapi/agents/profile' && r.query.get('profileId') === 'cmi5LearnerPreferences');
    const firstStatement = xapi.findIndex((r) => r.path === '/xapi/statements' && r.method === 'POST');
    expect(firstState).toBeGreaterThanOrEqual(0);
    expect(firstProfile).toBeGreaterThan(firstState);
    expect(firstStatement).toBeGreaterThan(firstProfile);
    expect(xapi.every((r) => r.version === '1.0.3')).toBe(true);

    const sessionId = lms.statements.find((s) => s.by === 'lms' && s.statement.context?.registration === registration)!.statement.context!.extensions as Record<string, string>;
    for (const { statement, authorization, version } of fromAu(registration)) {
      expect(authorization).toBe(`Basic ${launch.token}`);
      expect(version).toBe('1.0.3');
      expect(statement.id).toMatch(UUID_V4);
      expect(new Date(statement.timestamp as string).toISOString()).toBe(statement.timestamp);
      expect(statement.actor).toEqual(actor);
      expect(statement.object).toEqual({ objectType: 'Activity', id: au.id });
      const context = statement.context as { registration: string; extensions: Record<string, string>; contextActivities: { category: { id: string }[]; grouping: { id: string }[] } };
      expect(context.registration).toBe(registration);
      expect(context.extensions[SESSION_ID]).toBe(sessionId[SESSION_ID]);
      expect(context.contextActivities.grouping).toEqual([{ objectType: 'Activity', id: 'https://lms.example.org/course/publisher-1' }]);
      expect(context.contextActivities.category.map((c) => c.id)).toContain(CMI5);
    }
    const [, completed, terminated] = fromAu(registration).map((s) => s.statement);
    expect((completed!.context as { contextActivities: { category: { id: string }[] } }).contextActivities.category.map((c) => c.id)).toEqual([CMI5, MOVEON]);
    expect(completed!.result).toMatchObject({ completion: true });
    expect(completed!.result!.duration).toMatch(ISO_DURATION);
    expect(terminated!.result!.duration).toMatch(ISO_DURATION);
    expect(problems).toEqual([]);
    await close();
  });

  it('sends no second completed in a second launch of the same registration, and terminates when the page is left', async () => {
    const registration = randomUUID();
    const first = lms.launch({ registration, activityId: au.id, actor, launchMode: 'Normal' });
    const one = await open(first.query);
    await status(one.page, 'ready');
    await one.page.getByRole('button', { name: /^Mark as done/ }).click();
    await status(one.page, 'completed');
    await one.page.getByRole('button', { name: 'Exit and return to the course' }).click();
    await status(one.page, 'ended');
    await lms.waitForStatement((s) => s.statement.verb.id === VERB('terminated') && s.statement.context?.registration === registration);
    await one.close();

    const second = lms.launch({ registration, activityId: au.id, actor, launchMode: 'Normal' });
    const two = await open(second.query);
    await status(two.page, 'completed');
    expect(await two.page.getByRole('button', { name: /^Mark as done/ }).isDisabled()).toBe(true);
    expect(await two.page.getByRole('button', { name: /^Mark as done/ }).getAttribute('aria-pressed')).toBe('true');
    // Leaving the page (pagehide) ends the session.
    await two.page.goto(`${lms.base}/elsewhere`);
    await lms.waitForStatement((s) => s.statement.verb.id === VERB('terminated') && s.authorization === `Basic ${second.token}`);
    expect(verbs(registration)).toEqual(['initialized', 'completed', 'terminated', 'initialized', 'terminated']);
    expect(two.problems).toEqual([]);

    // Coming back to the ended launch (history) fetches no new token and sends nothing more.
    await two.page.goBack();
    await status(two.page, 'ended');
    expect(lms.requests.filter((r) => r.path === second.fetchUrl.slice(lms.base.length))).toHaveLength(1);
    expect(verbs(registration)).toHaveLength(5);
    await two.close();
  });

  it('sends no completed in Browse mode', async () => {
    const registration = randomUUID();
    const launch = lms.launch({ registration, activityId: au.id, actor, launchMode: 'Browse', returnURL: `${lms.base}/return` });
    const { page, problems, close } = await open(launch.query);
    await status(page, 'browse');
    expect(await page.getByRole('button', { name: /^Mark as done/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Exit and return to the course' }).click();
    await page.waitForURL(`${lms.base}/return`);
    await lms.waitForStatement((s) => s.statement.verb.id === VERB('terminated') && s.statement.context?.registration === registration);
    expect(verbs(registration)).toEqual(['initialized', 'terminated']);
    expect(problems).toEqual([]);
    await close();
  });

  it('tells the learner when the LMS refuses the token, and sends nothing', async () => {
    const registration = randomUUID();
    const launch = lms.launch({ registration, activityId: au.id, actor, launchMode: 'Normal' });
    await fetch(launch.fetchUrl, { method: 'POST' }); // someone used the one-time URL already
    const { page, close } = await open(launch.query);
    await status(page, 'error');
    expect(await page.locator('[data-cmi5-status]').innerText()).toContain('used already');
    expect(verbs(registration)).toEqual([]);
    await close();
  });

  it('saves the completion as the learner’s progress, which the API shows with source cmi5; a forged report is refused', async () => {
    const registration = randomUUID();
    const learner = { objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: `learner-${registration.slice(0, 8)}` } };
    const learnerId = cmi5LearnerId(learner)!;
    // As the cmi5 specification has it: the LMS's own activity id, the AU's id in the grouping.
    const launch = lms.launch({ registration, activityId: `https://lms.example.org/activity/${randomUUID()}`, publisherId: au.id, actor: learner, launchMode: 'Normal' });
    const { page, problems, close } = await open(launch.query);
    const reported = page.waitForResponse((r) => r.url() === `${base}/learn/_cmi5/completions`);
    await status(page, 'ready');
    await page.getByRole('button', { name: /^Mark as done/ }).click();
    await status(page, 'completed');
    expect((await reported).status()).toBe(200);

    const api = { authorization: `Bearer ${reader.secret}` };
    const progress = (await (await fetch(`${base}/v1/learners/${learnerId}/paths/${SEED}/progress`, { headers: api })).json()) as { resources: { id: string; state: string }[] };
    expect(progress.resources.find((r) => r.id === 'batch-processing')?.state).toBe('completed');
    const events = (await (await fetch(`${base}/v1/learners/${learnerId}/events`, { headers: api })).json()) as { items: { type: string; resourceId: string; source: string }[] };
    expect(events.items.map((e) => [e.type, e.resourceId, e.source])).toEqual([['completed', 'batch-processing', 'cmi5']]);

    // Reports made up in the page: a statement the LRS lacks, another actor, an LRS not allowed.
    const completed = lms.statements.find((s) => s.statement.verb.id === VERB('completed') && s.statement.context?.registration === registration)!;
    const genuine = { slug: SEED, resourceId: 'batch-processing', registration, statementId: completed.statement.id, endpoint: lms.endpoint, authToken: launch.token, actor: learner };
    const someoneElse = { objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: 'someone-else' } };
    const forged = [
      { ...genuine, statementId: randomUUID() },
      { ...genuine, actor: someoneElse },
      { ...genuine, endpoint: `http://127.0.0.2:${new URL(lms.base).port}/xapi/` },
    ];
    const statuses = await page.evaluate(async (bodies) => {
      const answers: number[] = [];
      for (const body of bodies) {
        const response = await fetch('/learn/_cmi5/completions', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
        answers.push(response.status);
      }
      return answers;
    }, forged);
    expect(statuses).toEqual([403, 403, 403]);
    expect((await learners.listCompletions(cmi5LearnerId(someoneElse)!))).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });
});
