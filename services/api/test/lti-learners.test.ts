import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchSetup } from './support/lti-platform.js';
import { LtiPlatformEmulator, readAutoPostForm } from './support/lti-platform.js';
import { startReplica, type DatabaseReplica } from './support/lti-database-tool.js';
import { SEED } from './support/fixtures.js';
import { createApiKey } from '@learnpath/store';
import { ltiLearnerId, SESSION_COOKIE } from '../src/lti/index.js';

const FORM = 'application/x-www-form-urlencoded';

/** Login through `first`, the platform's auth endpoint, then the launch posted to `second` (the same replica by default). */
async function launchThrough(platform: LtiPlatformEmulator, setup: LaunchSetup, first: DatabaseReplica, second: DatabaseReplica = first) {
  const login = await first.app.inject({ method: 'POST', url: '/lti/login', headers: { host: first.host, 'content-type': FORM }, payload: new URLSearchParams(platform.prepareLaunch(setup)).toString() });
  expect(login.statusCode).toBe(302);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const auth = await fetch(String(login.headers.location));
  expect(auth.status).toBe(200);
  const form = readAutoPostForm(await auth.text());
  return second.app.inject({ method: 'POST', url: '/lti/launch', headers: { host: second.host, 'content-type': FORM, cookie }, payload: new URLSearchParams(form.fields).toString() });
}

/** GET a learner page as a browser with the session cookie (if any). */
const openPage = (replica: DatabaseReplica, session: string | undefined, url = `/learn/${SEED}`) =>
  replica.app.inject({ url, headers: { host: replica.host, accept: 'text/html', ...(session ? { cookie: `${SESSION_COOKIE}=${session}` } : {}) } });

/** The rows of the class progress table: label, whether it is a kept name, percent and count. */
function classRows(html: string): { label: string; named: boolean; percent: string; count: string }[] {
  const rows = [...html.matchAll(/<tr data-class-row="">(.*?)<\/tr>/g)].map((m) => m[1]!);
  return rows.map((row) => ({
    label: /<th scope="row" data-learner-named="(?:true|false)">(.*?)<\/th>/.exec(row)![1]!,
    named: /data-learner-named="true"/.test(row),
    percent: /data-row-percent="">(.*?)</.exec(row)![1]!,
    count: /data-row-count="">(.*?)</.exec(row)![1]!,
  }));
}

const sessionOf = (setCookie: string | string[] | undefined): string | undefined =>
  [setCookie ?? []].flat().map((c) => new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(c)?.[1]).find((v) => v !== undefined);

describe('launches on a learner store (PGlite)', () => {
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

  it('signs a learner in (hashed iss + sub, a stored session) and lands on /learn/{slug}', async () => {
    const response = await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'ada', lineItem: 'li-1' }, tool);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/learn/${SEED}`);
    const sessionId = sessionOf(response.headers['set-cookie']);
    expect(sessionId).toBeDefined();
    const learnerId = ltiLearnerId(platform.issuer, 'ada');
    expect(learnerId).not.toContain('ada');
    expect(await tool.store.getSession(sessionId!)).toMatchObject({ learnerId });
    expect(await tool.store.lti.listLaunches(learnerId, SEED)).toEqual([
      { learnerId, slug: SEED, issuer: platform.issuer, clientId: platform.clientId, contextId: 'course-1', lineItem: platform.lineItemUrl('li-1'), userId: 'ada' },
    ]);
  });

  it("a learner's progress goes to the launch's line item: in progress and pending, then completed and fully graded", async () => {
    await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'grace', lineItem: 'li-2' }, tool);
    const learnerId = ltiLearnerId(platform.issuer, 'grace');
    const path = (await import('./support/fixtures.js')).fixtureCatalog().paths.get(SEED)!;
    const resources = path.phases.flatMap((p) => p.resources.map((r) => r.id));
    const grades = tool.lti.options.learners!.grades;

    const first = platform.waitFor('score', (s) => s.score.userId === 'grace');
    await tool.store.completeResource({ learnerId, slug: SEED, resourceId: resources[0]!, source: 'lti' });
    expect(await grades.reportProgress(learnerId, SEED)).toBe(1);
    const [partial] = await first;
    expect(partial.lineItem).toContain('li-2');
    expect(partial.score).toMatchObject({ userId: 'grace', scoreMaximum: 100, activityProgress: 'InProgress', gradingProgress: 'Pending' });
    expect(partial.score.scoreGiven).toBe(Math.floor(100 / resources.length));

    const done = platform.waitFor('score', (s) => s.score.userId === 'grace' && s.score.scoreGiven === 100);
    for (const id of resources.slice(1)) await tool.store.completeResource({ learnerId, slug: SEED, resourceId: id, source: 'lti' });
    await grades.reportProgress(learnerId, SEED);
    expect((await done)[0].score).toMatchObject({ activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
  });

  it('an instructor lands on the same learner page, which shows their class: a row per learner, anonymised, no names kept by default', async () => {
    const response = await launchThrough(
      platform,
      { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'prof', role: 'instructor', name: 'Prof Ada', email: 'prof@example.org' },
      tool,
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/learn/${SEED}`);
    const session = sessionOf(response.headers['set-cookie'])!;
    const page = await openPage(tool, session);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-class-progress');
    expect(page.body).toContain('Class progress: Data Engineering 101');
    // ada (0 %) and grace (100 %) launched the path from course-1; the instructor is not a learner of the class.
    expect(page.body).toMatch(/data-summary="learners">2</);
    expect(page.body).toMatch(/data-summary="completed">1</);
    expect(page.body).toMatch(/data-summary="average">50%</);
    const rows = classRows(page.body);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ named: false, percent: '100%' });
    expect(rows[0]!.count).toMatch(/^(\d+) of \1$/);
    expect(rows[0]!.label).toMatch(/^Learner [A-Za-z0-9_-]{6}$/);
    expect(rows[1]).toMatchObject({ named: false, percent: '0%' });
    expect(page.body).not.toContain('ada');
    expect(page.body).not.toContain('Prof Ada');
    expect(await tool.store.lti.listPeople([ltiLearnerId(platform.issuer, 'prof')])).toEqual([]);
  });

  it("a learner's session never sees the class progress, on any path", async () => {
    const response = await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'ada', lineItem: 'li-1', name: 'Ada L.' }, tool);
    const session = sessionOf(response.headers['set-cookie'])!;
    const page = await openPage(tool, session);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your progress');
    expect(page.body).not.toContain('data-class-progress');
    expect(page.body).not.toContain('Class progress');
    expect((await openPage(tool, session, '/learn/alpha-streams')).body).not.toContain('data-class-progress');
    // Nor does a visitor without a session, or with a made-up one.
    expect((await openPage(tool, undefined)).body).not.toContain('data-class-progress');
    expect((await openPage(tool, `lps_${'a'.repeat(43)}`)).body).not.toContain('data-class-progress');
    expect(await tool.store.lti.listPeople([ltiLearnerId(platform.issuer, 'ada')])).toEqual([]);
  });

  it('a replayed id_token is refused and stores nothing', async () => {
    const login = await tool.app.inject({ method: 'POST', url: '/lti/login', headers: { host: tool.host, 'content-type': FORM }, payload: new URLSearchParams(platform.prepareLaunch({ message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'replay' })).toString() });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const form = readAutoPostForm(await (await fetch(String(login.headers.location))).text());
    const post = () => tool.app.inject({ method: 'POST', url: '/lti/launch', headers: { host: tool.host, 'content-type': FORM, cookie, accept: 'application/json' }, payload: new URLSearchParams(form.fields).toString() });
    expect((await post()).statusCode).toBe(303);
    const replay = await post();
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ check: 'nonce' });
    expect(sessionOf(replay.headers['set-cookie'])).toBeUndefined();
  });

  it('GET /lti/register stores the platform, closes with org.imsglobal.lti.close', async () => {
    const other = await LtiPlatformEmulator.start({ redirectUris: [`${tool.base}/lti/launch`], clientId: 'ignored', toolJwksUrl: `${tool.base}/lti/jwks` });
    try {
      const registered = other.waitFor('registered');
      const url = `/lti/register?openid_configuration=${encodeURIComponent(other.openidConfigurationUrl)}&registration_token=${other.registrationToken}`;
      const response = await tool.app.inject({ method: 'GET', url, headers: { host: tool.host } });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('org.imsglobal.lti.close');
      const [{ clientId }] = await registered;
      expect(await tool.store.lti.findPlatforms(other.issuer)).toEqual([expect.objectContaining({ issuer: other.issuer, clientId, deploymentIds: ['deployment-registered'], keepPersonalData: false })]);
      const refused = await tool.app.inject({ method: 'GET', url: '/lti/register', headers: { host: tool.host, accept: 'application/json' } });
      expect(refused.statusCode).toBe(400);
    } finally {
      await other.close();
    }
  });
});

describe('names and emails on a platform that may leave them (keepPersonalData)', () => {
  const eraser = createApiKey('eraser', ['learners:delete']);
  let platform: LtiPlatformEmulator;
  let tool: DatabaseReplica;
  beforeAll(async () => {
    platform = await LtiPlatformEmulator.start({ redirectUris: [] });
    tool = await startReplica(platform, { dataDir: null }, { platform: { keepPersonalData: true }, apiKeys: [eraser] });
    platform.registerTool(tool.base);
  });
  afterAll(async () => {
    await tool?.close();
    await platform?.close();
  });

  it('keeps what the platform sent, shows it (escaped) to the instructor, and erases it with the learner', async () => {
    const resource = (await import('./support/fixtures.js')).fixtureCatalog().paths.get(SEED)!.phases[0]!.resources[0]!.id;
    await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'lin', lineItem: 'li-k', name: 'Lin <b>Wu</b>', email: 'lin@example.org' }, tool);
    await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'mo', lineItem: 'li-k', email: 'mo@example.org' }, tool);
    await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'nameless', lineItem: 'li-k' }, tool);
    const lin = ltiLearnerId(platform.issuer, 'lin');
    await tool.store.completeResource({ learnerId: lin, slug: SEED, resourceId: resource, source: 'lti' });
    expect(await tool.store.lti.listPeople([lin])).toEqual([{ learnerId: lin, name: 'Lin <b>Wu</b>', email: 'lin@example.org' }]);

    const teacher = await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'teacher', role: 'instructor' }, tool);
    const session = sessionOf(teacher.headers['set-cookie'])!;
    const page = await openPage(tool, session);
    expect(page.body).not.toContain('<b>Wu</b>');
    const rows = classRows(page.body);
    expect(rows.map((r) => [r.label, r.named])).toEqual([
      ['Lin &lt;b&gt;Wu&lt;/b&gt;', true],
      ['Learner ' + ltiLearnerId(platform.issuer, 'nameless').slice(4, 10), false],
      ['mo@example.org', true],
    ]);
    expect(rows[0]!.percent).not.toBe('0%');
    expect(page.body).toMatch(/<time dateTime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time>/);

    const erased = await tool.app.inject({ method: 'DELETE', url: `/v1/learners/${lin}`, headers: { authorization: `Bearer ${eraser.secret}` } });
    expect(erased.statusCode).toBe(204);
    expect(await tool.store.lti.listPeople([lin])).toEqual([]);
    const after = classRows((await openPage(tool, session)).body);
    expect(after.map((r) => r.label)).not.toContain('Lin &lt;b&gt;Wu&lt;/b&gt;');
    expect(after).toHaveLength(2);
  });

  it('a later launch without them forgets what was kept', async () => {
    await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'pat', name: 'Pat' }, tool);
    const pat = ltiLearnerId(platform.issuer, 'pat');
    expect(await tool.store.lti.listPeople([pat])).toEqual([{ learnerId: pat, name: 'Pat', email: null }]);
    await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'pat' }, tool);
    expect(await tool.store.lti.listPeople([pat])).toEqual([]);
  });
});
