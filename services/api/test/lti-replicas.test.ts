import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ltiLearnerId, SESSION_COOKIE } from '../src/lti/index.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';
import { startReplica, type DatabaseReplica } from './support/lti-database-tool.js';
import { LtiPlatformEmulator, readAutoPostForm } from './support/lti-platform.js';
import { dropSchema, freshSchema, postgresUnavailableReason, testDatabaseUrl } from '@learnpath/store/testing';

const FORM = 'application/x-www-form-urlencoded';
const skip = await postgresUnavailableReason('the LTI replica tests on PostgreSQL');

describe.skipIf(skip !== null)('two replicas of the tool on one PostgreSQL', () => {
  const schema = freshSchema();
  let platform: LtiPlatformEmulator;
  let a: DatabaseReplica;
  let b: DatabaseReplica;

  beforeAll(async () => {
    platform = await LtiPlatformEmulator.start({ redirectUris: [] });
    const options = { databaseUrl: testDatabaseUrl!, schema };
    a = await startReplica(platform, options);
    b = await startReplica(platform, options);
    platform.registerTool(a.base, b.base);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await platform?.close();
    await dropSchema(schema);
  });

  it('share the signing key, and a login through one is launched through the other; the replay is refused by the first', async () => {
    expect(b.lti.options.keys.jwks()).toEqual(a.lti.options.keys.jwks());
    const login = await a.app.inject({
      method: 'POST',
      url: '/lti/login',
      headers: { host: a.host, 'content-type': FORM },
      payload: new URLSearchParams(platform.prepareLaunch({ message: 'LtiResourceLinkRequest', targetLinkUri: `${a.base}/learn/${SEED}`, user: 'ada', lineItem: 'li-r' })).toString(),
    });
    expect(login.statusCode).toBe(302);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const form = readAutoPostForm(await (await fetch(String(login.headers.location))).text());
    const post = (to: DatabaseReplica) =>
      to.app.inject({ method: 'POST', url: '/lti/launch', headers: { host: to.host, 'content-type': FORM, cookie, accept: 'application/json' }, payload: new URLSearchParams(form.fields).toString() });
    const launched = await post(b);
    expect(launched.statusCode).toBe(303);
    expect(launched.headers.location).toBe(`/learn/${SEED}`);
    const session = [launched.headers['set-cookie'] ?? []].flat().map((c) => new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(c)?.[1]).find(Boolean)!;
    expect(await a.store.getSession(session)).toMatchObject({ learnerId: ltiLearnerId(platform.issuer, 'ada') });
    const replay = await post(a);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ check: 'nonce' });
  });

  it('a key added through one replica is published and used by the other without a restart: after the cache time, or at once when a token names it', async () => {
    let clock = Date.now();
    const c = await startReplica(platform, { databaseUrl: testDatabaseUrl!, schema }, { keyCache: { ttlMs: 60_000, now: () => clock } });
    try {
      platform.redirectUris = [...platform.redirectUris, `${c.base}/lti/launch`];
      const kidsOf = async (replica: DatabaseReplica) => (await replica.app.inject({ url: '/lti/jwks', headers: { host: replica.host } })).json().keys.map((k: { kid: string }) => k.kid);
      const stateKid = async (replica: DatabaseReplica) => {
        const login = await replica.app.inject({
          method: 'POST',
          url: '/lti/login',
          headers: { host: replica.host, 'content-type': FORM },
          payload: new URLSearchParams(platform.prepareLaunch({ message: 'LtiResourceLinkRequest', targetLinkUri: `${replica.base}/learn/${SEED}`, user: 'kid' })).toString(),
        });
        const state = new URL(String(login.headers.location)).searchParams.get('state')!;
        return decodeProtectedHeader(state).kid;
      };
      const before = await kidsOf(c);
      const added = await a.lti.options.keys.rotate(a.lti.keyStore);
      expect(await stateKid(a)).toBe(added.kid);
      // Within the cache time the other replica still serves and signs with what it read.
      expect(await kidsOf(c)).toEqual(before);
      clock += 61_000;
      expect(await kidsOf(c)).toEqual([added.kid, ...before]);
      expect(await stateKid(c)).toBe(added.kid);

      // A second key: a login signed with it through one replica launches through the other at once.
      const second = await a.lti.options.keys.rotate(a.lti.keyStore);
      const login = await a.app.inject({
        method: 'POST',
        url: '/lti/login',
        headers: { host: a.host, 'content-type': FORM },
        payload: new URLSearchParams(platform.prepareLaunch({ message: 'LtiResourceLinkRequest', targetLinkUri: `${a.base}/learn/${SEED}`, user: 'rotated' })).toString(),
      });
      expect(decodeProtectedHeader(new URL(String(login.headers.location)).searchParams.get('state')!).kid).toBe(second.kid);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const form = readAutoPostForm(await (await fetch(String(login.headers.location))).text());
      const launched = await c.app.inject({ method: 'POST', url: '/lti/launch', headers: { host: c.host, 'content-type': FORM, cookie, accept: 'application/json' }, payload: new URLSearchParams(form.fields).toString() });
      expect(launched.statusCode).toBe(303);
      expect(await kidsOf(c)).toContain(second.kid);

      // A retired key leaves the other replica's key set after the cache time.
      await a.lti.keyStore.retireKey(added.kid);
      clock += 61_000;
      expect(await kidsOf(c)).not.toContain(added.kid);
    } finally {
      await c.close();
    }
  });

  it('while the platform is down, scores wait in the database; once it is back the last one arrives, in order, even after the replica that enqueued them stopped', async () => {
    const learnerId = ltiLearnerId(platform.issuer, 'ada');
    const resources = fixtureCatalog().paths.get(SEED)!.phases.flatMap((p) => p.resources.map((r) => r.id));
    platform.scoreMode = 'down';
    const refused = platform.waitFor('score-refused', (why) => why === 'down');
    const grades = a.lti.options.learners!.grades;
    for (const id of resources) {
      await a.store.completeResource({ learnerId, slug: SEED, resourceId: id, source: 'lti' });
      await grades.reportProgress(learnerId, SEED);
    }
    await refused;
    const waiting = await a.store.lti.outbox.listWaiting();
    expect(waiting.map((e) => e.score.scoreGiven).at(-1)).toBe(100);
    expect(waiting.length).toBe(resources.length);

    // The replica that enqueued goes away; the other delivers.
    await a.close();
    const last = platform.waitFor('score', (s) => s.score.userId === 'ada' && s.score.scoreGiven === 100);
    const marked = new Promise<void>((resolve) => {
      b.lti.deliverer.on('delivered', function done(entry) {
        if (entry.score.scoreGiven !== 100) return;
        b.lti.deliverer.off('delivered', done);
        resolve();
      });
    });
    platform.scoreMode = 'ok';
    b.lti.deliverer.wake();
    const [arrived] = await last;
    await marked;
    expect(arrived.score).toMatchObject({ activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
    const given = platform.scores.filter((s) => s.score.userId === 'ada').map((s) => s.score.scoreGiven);
    expect(given).toEqual([...given].sort((x, y) => x - y));
    expect(await b.store.lti.outbox.listWaiting()).toEqual([]);
  });
});
