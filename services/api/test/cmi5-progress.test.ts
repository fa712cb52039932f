import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { cmi5LearnerId } from '../src/learn/index.js';
import { SEED } from './support/fixtures.js';
import { startFakeLms, type FakeLms } from './support/fake-lms.js';
import { learnCatalog } from './support/learn-catalogs.js';
import { expectProblem } from './support/problems.js';

const JSON_ACCEPT = { accept: 'application/json' };
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const AU_ID = (resourceId: string): string => `https://learn.example.org/v1/paths/${SEED}/resources/${resourceId}`;
const actor = { objectType: 'Agent', name: 'Learner Nine', account: { homePage: 'https://lms.example.org', name: 'learner-9' } };
const otherActor = { objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: 'learner-10' } };

/** An LRS on another port that misbehaves: it never answers, answers too much, or redirects. */
async function startBadLrs(target: string): Promise<{ base: string; close(): Promise<void>; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/slow/')) return; // holds the request until the server closes
    if (req.url?.startsWith('/huge/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ id: 'x', padding: 'x'.repeat(64 * 1024) }));
    }
    if (req.url?.startsWith('/redirect/')) {
      res.writeHead(302, { location: `${target}${req.url.slice('/redirect'.length)}` });
      return res.end();
    }
    res.writeHead(500);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('cmi5 completions saved as learner progress', () => {
  let learners: Store;
  let lms: FakeLms;
  let bad: Awaited<ReturnType<typeof startBadLrs>>;
  let app: App;
  let off: App;
  const reader = createApiKey('dashboard', ['progress:read']);

  beforeAll(async () => {
    learners = await openStore({ dataDir: null });
    lms = await startFakeLms();
    bad = await startBadLrs(lms.base);
    app = await createTestApp({
      catalog: learnCatalog(),
      learnerStore: learners,
      apiKeys: [reader],
      rateLimit: false,
      cmi5: { lrsOrigins: [lms.base, bad.base], limits: { timeoutMs: 500, maxBytes: 16 * 1024 } },
    });
    off = await createTestApp({ catalog: learnCatalog(), learnerStore: learners, rateLimit: false });
    // An in-memory PGlite takes seconds to create, more on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await off?.close();
    await bad?.close();
    await lms?.close();
    await learners?.close();
  });

  /** What an AU does in a launch: take the token, send a statement; returns what the page reports. */
  async function completeInLms(options: { who?: Record<string, unknown>; resourceId?: string; verb?: string; timestamp?: string } = {}) {
    const registration = randomUUID();
    const who = options.who ?? actor;
    const resourceId = options.resourceId ?? 'batch-processing';
    const launch = lms.launch({ registration, activityId: `https://lms.example.org/activity/${randomUUID()}`, publisherId: AU_ID(resourceId), actor: who, launchMode: 'Normal' });
    const token = ((await (await fetch(launch.fetchUrl, { method: 'POST' })).json()) as { 'auth-token': string })['auth-token'];
    const activityId = new URLSearchParams(launch.query).get('activityId')!;
    const statementId = randomUUID();
    const sent = await fetch(`${lms.endpoint}statements`, {
      method: 'POST',
      headers: { authorization: `Basic ${token}`, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
      body: JSON.stringify({
        id: statementId,
        timestamp: options.timestamp ?? '2026-03-04T05:06:07.000Z',
        actor: who,
        verb: { id: options.verb ?? COMPLETED },
        object: { objectType: 'Activity', id: activityId },
        context: { registration, contextActivities: { grouping: [{ objectType: 'Activity', id: AU_ID(resourceId) }] } },
        result: { completion: true, duration: 'PT1M' },
      }),
    });
    expect(sent.status).toBe(200);
    return { slug: SEED, resourceId, registration, statementId, endpoint: lms.endpoint, authToken: token, actor: who };
  }

  const report = (body: unknown, target: App = app) => target.inject({ method: 'POST', url: '/learn/_cmi5/completions', headers: JSON_ACCEPT, payload: body as Record<string, unknown> });
  const learnerId = cmi5LearnerId(actor)!;

  it('derives the learner id from the actor: hashed, within the learner id pattern, account and mbox apart', () => {
    expect(learnerId).toMatch(/^cmi5-[A-Za-z0-9_-]{43}$/);
    expect(cmi5LearnerId({ account: { homePage: 'https://lms.example.org', name: 'learner-9' } })).toBe(learnerId);
    expect(cmi5LearnerId(otherActor)).not.toBe(learnerId);
    expect(cmi5LearnerId({ mbox: 'mailto:Ada@Example.org' })).toBe(cmi5LearnerId({ mbox: 'mailto:ada@example.org' }));
    expect(cmi5LearnerId({})).toBeNull();
  });

  it('saves a completion the LRS confirms, with source cmi5, once per registration', async () => {
    const body = await completeInLms();
    const before = lms.requests.length;
    const first = await report(body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ learnerId, slug: SEED, resourceId: 'batch-processing', changed: true });
    // The service asked the LRS for exactly that statement, with the launch's token.
    const asked = lms.requests.slice(before).filter((r) => r.path === '/xapi/statements' && r.method === 'GET');
    expect(asked.map((r) => [r.query.get('statementId'), r.authorization, r.version])).toEqual([[body.statementId, `Basic ${body.authToken}`, '1.0.3']]);

    const progress = await app.inject({ url: `/v1/learners/${learnerId}/paths/${SEED}/progress`, headers: { authorization: `Bearer ${reader.secret}` } });
    expect(progress.statusCode).toBe(200);
    expect(progress.json().resources.find((r: { id: string }) => r.id === 'batch-processing').state).toBe('completed');
    const again = await report(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ changed: false });
    const events = await app.inject({ url: `/v1/learners/${learnerId}/events`, headers: { authorization: `Bearer ${reader.secret}` } });
    expect(events.json().items.map((e: { type: string; resourceId: string; source: string; completedAt: string }) => [e.type, e.resourceId, e.source, e.completedAt])).toEqual([
      ['completed', 'batch-processing', 'cmi5', '2026-03-04T05:06:07.000Z'],
    ]);
  });

  it('keeps a resource the learner marked not done when an older completion is reported again; a newer one marks it', async () => {
    const who = { account: { homePage: 'https://lms.example.org', name: 'learner-unmarks' } };
    const id = cmi5LearnerId(who)!;
    const writer = createApiKey('writer', ['progress:write', 'progress:read']);
    const keyed = await createTestApp({ catalog: learnCatalog(), learnerStore: learners, apiKeys: [writer], rateLimit: false, cmi5: { lrsOrigins: [lms.base] } });
    try {
      const auth = { authorization: `Bearer ${writer.secret}` };
      const stateOf = async () =>
        ((await keyed.inject({ url: `/v1/learners/${id}/paths/${SEED}/progress`, headers: auth })).json() as { resources: { id: string; state: string }[] }).resources.find((r) => r.id === 'stream-processing')!.state;
      const old = await completeInLms({ who, resourceId: 'stream-processing', timestamp: new Date(Date.now() - 60_000).toISOString() });
      expect((await report(old, keyed)).json()).toMatchObject({ changed: true });
      expect(await stateOf()).toBe('completed');
      const unmark = await keyed.inject({ method: 'DELETE', url: `/v1/learners/${id}/paths/${SEED}/completions/stream-processing`, headers: auth });
      expect(unmark.statusCode, unmark.body).toBeLessThan(300);
      expect(await stateOf()).not.toBe('completed');
      // The page reports the same completion again: the learner's later choice stands.
      expect((await report(old, keyed)).json()).toMatchObject({ changed: false });
      expect(await stateOf()).not.toBe('completed');
      // A completion stated after the un-marking is a new one.
      const later = await completeInLms({ who, resourceId: 'stream-processing', timestamp: new Date(Date.now() + 1000).toISOString() });
      expect((await report(later, keyed)).json()).toMatchObject({ changed: true });
      expect(await stateOf()).toBe('completed');
    } finally {
      await keyed.close();
    }
  });

  it('refuses a report the LRS does not confirm, and saves nothing', async () => {
    const body = await completeInLms({ who: otherActor, resourceId: 'stream-processing' });
    const who = cmi5LearnerId(otherActor)!;
    // A statement the LRS does not have.
    expect(expectProblem(await report({ ...body, statementId: randomUUID() }), 403).title).toBe('No such statement');
    // Another learner's statement, reported under this actor.
    expect(expectProblem(await report({ ...body, actor }), 403).detail).toBe('The statement is about another learner.');
    // Another registration, another resource of the path.
    expect(expectProblem(await report({ ...body, registration: randomUUID() }), 403).detail).toBe('The statement belongs to another registration.');
    expect(expectProblem(await report({ ...body, resourceId: 'batch-processing' }), 403).detail).toBe('The statement is about another activity.');
    // A token the LRS does not know.
    expect(expectProblem(await report({ ...body, authToken: 'bm90LWEtdG9rZW4=' }), 403).title).toBe('The LRS refused the token');
    // A statement that is no completion.
    const initialized = await completeInLms({ who: otherActor, resourceId: 'stream-processing', verb: 'http://adlnet.gov/expapi/verbs/initialized' });
    expect(expectProblem(await report(initialized), 403).detail).toBe('The statement is not a completion.');
    expect((await learners.getPathState(who, SEED)).completions).toEqual([]);
    expect((await learners.getPathState(learnerId, SEED)).completions.map((c) => c.resourceId)).not.toContain('stream-processing');
  });

  it('never asks an LRS whose origin is not allowed', async () => {
    const body = await completeInLms({ who: otherActor });
    const before = lms.requests.length;
    for (const endpoint of [
      'http://127.0.0.2:9/xapi/',
      lms.endpoint.replace('127.0.0.1', 'localhost'),
      `http://user:pass@${lms.endpoint.slice('http://'.length)}`,
      'file:///etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      expect(expectProblem(await report({ ...body, endpoint }), 403).title).toBe('This LRS is not allowed');
    }
    expect(lms.requests.length).toBe(before);
    expect((await learners.getPathState(cmi5LearnerId(otherActor)!, SEED)).completions).toEqual([]);
  });

  it('gives the LRS a time and size limit, and follows no redirect', async () => {
    const body = { slug: SEED, resourceId: 'batch-processing', registration: randomUUID(), statementId: randomUUID(), authToken: 'dG9rZW4=', actor };
    expectProblem(await report({ ...body, endpoint: `${bad.base}/slow/xapi/` }), 504);
    expectProblem(await report({ ...body, endpoint: `${bad.base}/huge/xapi/` }), 502);
    const before = lms.requests.length;
    expectProblem(await report({ ...body, endpoint: `${bad.base}/redirect/xapi/` }), 403);
    expect(lms.requests.length).toBe(before);
    expectProblem(await report({ ...body, endpoint: `${bad.base}/fails/xapi/` }), 502);
  });

  it('answers bad reports with a 4xx', async () => {
    const good = { slug: SEED, resourceId: 'batch-processing', registration: randomUUID(), statementId: randomUUID(), endpoint: lms.endpoint, authToken: 'dG9rZW4=', actor };
    for (const body of [
      {},
      [good],
      { ...good, registration: 'not-a-uuid' },
      { ...good, statementId: 42 },
      { ...good, authToken: 'token\r\nx-injected: 1' },
      { ...good, actor: { name: 'No identifier' } },
      { ...good, actor: { mbox: 'not-an-address' } },
      { ...good, extra: true },
      { ...good, endpoint: 'x'.repeat(5000) },
    ]) {
      const response = await report(body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 100)).toBe(400);
    }
    expectProblem(await report({ ...good, slug: 'no-such-path' }), 404);
    expectProblem(await report({ ...good, resourceId: 'no-such-resource' }), 404);
    const huge = await app.inject({ method: 'POST', url: '/learn/_cmi5/completions', headers: { ...JSON_ACCEPT, 'content-type': 'application/json' }, payload: JSON.stringify({ ...good, padding: 'x'.repeat(32 * 1024) }) });
    expectProblem(huge, 413);
    const broken = await app.inject({ method: 'POST', url: '/learn/_cmi5/completions', headers: { ...JSON_ACCEPT, 'content-type': 'application/json' }, payload: '{"slug": ' });
    expect(broken.statusCode).toBe(400);
    const form = await app.inject({ method: 'POST', url: '/learn/_cmi5/completions', headers: { ...JSON_ACCEPT, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'slug=x' });
    expect(form.statusCode).toBe(415);
  });

  it('is off without allowed LRS origins: 404, and the page of a launch does not report', async () => {
    const body = await completeInLms({ who: otherActor });
    expectProblem(await report(body, off), 404);
    const query = (endpoint: string) =>
      new URLSearchParams({ endpoint, fetch: `${lms.base}/fetch/x`, actor: JSON.stringify(actor), registration: randomUUID(), activityId: 'https://lms.example.org/activity/1' }).toString();
    const on = await app.inject({ url: `/learn/${SEED}/batch-processing?${query(lms.endpoint)}` });
    expect(on.body).toContain('data-cmi5-report="/learn/_cmi5/completions"');
    const elsewhere = await app.inject({ url: `/learn/${SEED}/batch-processing?${query('http://127.0.0.2:9/xapi/')}` });
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.body).not.toContain('data-cmi5-report');
    const offPage = await off.inject({ url: `/learn/${SEED}/batch-processing?${query(lms.endpoint)}` });
    expect(offPage.statusCode).toBe(200);
    expect(offPage.body).not.toContain('data-cmi5-report');
  });
});
