import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '@learnpath/api';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import { createLearnpathClient, LearnpathProblemError, paginateLearner, unwrap, type LearnpathClient } from '../src/index.js';
import { createLargeCatalog } from './catalog-fixture.js';

// The learner routes through the client, against the service listening on a real socket with
// an embedded learner database: typed calls, an API key, paging, and problems as errors.
const writer = createApiKey('client-writer', ['progress:read', 'progress:write', 'learners:delete']);
const reader = createApiKey('client-reader', ['progress:read']);

describe('@learnpath/client on the learner routes', () => {
  let store: Store;
  let app: App;
  let client: LearnpathClient;
  let readOnly: LearnpathClient;
  let anonymous: LearnpathClient;
  let slug = '';
  let resourceIds: string[] = [];
  // Every path of the catalog with its first resource.
  let firsts: { slug: string; resourceId: string }[] = [];

  beforeAll(async () => {
    const catalog = createLargeCatalog(3);
    const path = [...catalog.paths.values()][0]!;
    slug = path.slug;
    resourceIds = path.phases.flatMap((phase) => phase.resources.map((r) => r.id));
    firsts = [...catalog.paths.values()].map((p) => ({ slug: p.slug, resourceId: p.phases[0]!.resources[0]!.id }));
    store = await openStore({ dataDir: null });
    app = await buildApp({ catalog, learnerStore: store, apiKeys: [writer, reader], rateLimit: false });
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    client = createLearnpathClient({ baseUrl, apiKey: writer.secret });
    readOnly = createLearnpathClient({ baseUrl, apiKey: reader.secret });
    anonymous = createLearnpathClient({ baseUrl });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('marks resources done and not done and reads the stored progress', async () => {
    const params = { path: { learnerId: 'c1', slug, resourceId: resourceIds[0]! } };
    const done = unwrap(await client.PUT('/v1/learners/{learnerId}/paths/{slug}/completions/{resourceId}', { params, body: { completedAt: '2026-05-01T12:00:00Z' } }));
    expect(done).toMatchObject({ slug, completedCount: 1, totalCount: resourceIds.length });
    expect(done.updatedAt).toEqual(expect.any(String));
    const read = await readOnly.GET('/v1/learners/{learnerId}/paths/{slug}/progress', { params: { path: { learnerId: 'c1', slug } } });
    expect(unwrap(read).completedCount).toBe(1);
    expect(read.response.headers.get('etag')).toMatch(/^".+"$/);
    const undone = unwrap(await client.DELETE('/v1/learners/{learnerId}/paths/{slug}/completions/{resourceId}', { params }));
    expect(undone.completedCount).toBe(0);
  });

  it('pages through the started paths and the event log', async () => {
    for (const first of firsts) {
      unwrap(await client.PUT('/v1/learners/{learnerId}/paths/{slug}/completions/{resourceId}', { params: { path: { learnerId: 'c2', ...first } } }));
    }
    const started = [];
    for await (const item of paginateLearner(readOnly, '/v1/learners/{learnerId}/paths', 'c2', { limit: 1 })) started.push(item);
    // Most recently changed first.
    expect(started.map((p) => [p.slug, p.completedCount, p.percent])).toEqual([...firsts].reverse().map((f) => [f.slug, 1, 100]));
    const events = [];
    for await (const event of paginateLearner(readOnly, '/v1/learners/{learnerId}/events', 'c2', { limit: 2 })) events.push(event);
    expect(events.map((e) => [e.type, e.slug, e.resourceId, e.source])).toEqual([...firsts].reverse().map((f) => ['completed', f.slug, f.resourceId, 'api']));
  });

  it('erases a learner', async () => {
    unwrap(await client.PUT('/v1/learners/{learnerId}/paths/{slug}/completions/{resourceId}', { params: { path: { learnerId: 'c3', slug, resourceId: resourceIds[0]! } } }));
    const erased = await client.DELETE('/v1/learners/{learnerId}', { params: { path: { learnerId: 'c3' } } });
    expect(erased.response.status).toBe(204);
    const left = [];
    for await (const event of paginateLearner(readOnly, '/v1/learners/{learnerId}/events', 'c3')) left.push(event);
    expect(left).toEqual([]);
  });

  it('turns a missing key, a missing scope and an unknown resource into problems', async () => {
    const params = { path: { learnerId: 'c4', slug, resourceId: resourceIds[0]! } };
    const missing = await anonymous.GET('/v1/learners/{learnerId}/paths/{slug}/progress', { params: { path: { learnerId: 'c4', slug } } });
    expect(() => unwrap(missing)).toThrow(LearnpathProblemError);
    expect(missing.error?.status).toBe(401);
    const forbidden = await readOnly.PUT('/v1/learners/{learnerId}/paths/{slug}/completions/{resourceId}', { params });
    expect(forbidden.error?.status).toBe(403);
    const unknown = await client.PUT('/v1/learners/{learnerId}/paths/{slug}/completions/{resourceId}', { params: { path: { ...params.path, resourceId: 'no-such-resource' } } });
    expect(unknown.error?.status).toBe(404);
    let problem: LearnpathProblemError | null = null;
    try {
      for await (const event of paginateLearner(anonymous, '/v1/learners/{learnerId}/events', 'c4')) void event;
    } catch (error) {
      if (error instanceof LearnpathProblemError) problem = error;
    }
    expect(problem?.status).toBe(401);
    expect(problem?.problem.type).toBe('urn:learnpath:problem:unauthorized');
  });
});
