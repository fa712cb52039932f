import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchSetup } from './support/lti-platform.js';
import { LtiPlatformEmulator, readAutoPostForm } from './support/lti-platform.js';
import { startReplica, type DatabaseReplica } from './support/lti-database-tool.js';
import { SEED } from './support/fixtures.js';
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

const sessionOf = (setCookie: string | string[] | undefined): string | undefined =>
  [setCookie ?? []].flat().map((c) => new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(c)?.[1]).find((v) => v !== undefined);

describe('launches on a learner store (PGlite)', () => {
  let platform: LtiPlatformEmulator;
  let tool: DatabaseReplica;
  beforeAll(async () => {
    platform = await LtiPlatformEmulator.start({ redirectUris: [] });
    tool = await startReplica(platform, { dataDir: null });
    platform.redirectUris = [`${tool.base}/lti/launch`];
    platform.toolJwksUrl = `${tool.base}/lti/jwks`;
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

  it('shows an instructor the path and the class progress of their course', async () => {
    const response = await launchThrough(platform, { message: 'LtiResourceLinkRequest', targetLinkUri: `${tool.base}/learn/${SEED}`, user: 'prof', role: 'instructor' }, tool);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('(instructor)');
    expect(response.body).toContain(`href="/learn/${SEED}"`);
    expect(response.body).toContain('Class progress');
    // ada (0 %), grace (100 %) and the instructor (0 %) launched the path from course-1.
    expect(response.body).toMatch(/data-summary="learners">3</);
    expect(response.body).toMatch(/data-summary="completed">1</);
    expect(sessionOf(response.headers['set-cookie'])).toBeDefined();
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
      expect(await tool.store.lti.findPlatforms(other.issuer)).toEqual([expect.objectContaining({ issuer: other.issuer, clientId, deploymentIds: ['deployment-registered'] })]);
      const refused = await tool.app.inject({ method: 'GET', url: '/lti/register', headers: { host: tool.host, accept: 'application/json' } });
      expect(refused.statusCode).toBe(400);
    } finally {
      await other.close();
    }
  });
});
