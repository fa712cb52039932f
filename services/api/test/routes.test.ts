import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPathGraph, evaluateProgress, LearningPathSchema, PathGraphSchema, ProgressReportSchema } from '@learnpath/schema';
import { buildApp, PathListSchema, ResourceListSchema, type App } from '../src/index.js';
import { fixtureCatalog, numberedCatalog, SEED, seedPath } from './support/fixtures.js';

let app: App;
let many: App;

beforeAll(async () => {
  app = await buildApp({ catalog: fixtureCatalog() });
  many = await buildApp({ catalog: numberedCatalog(45) });
});
afterAll(async () => {
  await app.close();
  await many.close();
});

async function getJson(target: App, url: string) {
  const response = await target.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.json();
}
const slugsOf = (body: { items: { slug: string }[] }): string[] => body.items.map((i) => i.slug);

describe('GET /v1/paths', () => {
  it('lists summaries sorted by title, case-insensitively', async () => {
    const body = PathListSchema.parse(await getJson(app, '/v1/paths'));
    expect(slugsOf(body)).toEqual(['alpha-streams', SEED, 'machine-learning-basics', 'zeta-warehouse']);
    expect(body.total).toBe(4);
    expect(body.nextCursor).toBeNull();
    const seed = body.items.find((i) => i.slug === SEED)!;
    expect(seed).toEqual({
      slug: SEED,
      title: 'Batch vs Stream Processing',
      excerpt: 'Batch and stream processing are two different approaches to data processing.',
      level: null,
      tags: [],
      totalMinutes: 235,
      phaseCount: 3,
      resourceCount: 7,
    });
  });

  it('makes the excerpt plain text from the first paragraph, cut at 200 characters', async () => {
    const body = PathListSchema.parse(await getJson(app, '/v1/paths'));
    expect(body.items.find((i) => i.slug === 'alpha-streams')!.excerpt).toBe('A short tour of Kafka streams.');
    const long = body.items.find((i) => i.slug === 'zeta-warehouse')!.excerpt;
    expect(long.length).toBeLessThanOrEqual(201);
    expect(long.endsWith('…')).toBe(true);
  });

  it.each([
    ['q=kafka', ['alpha-streams']],
    ['q=KAFKA%20IN%2010', ['alpha-streams']], // a resource title, any case
    ['q=approaches', [SEED]], // the overview
    ['q=nothing-matches-this', []],
    ['tag=warehouse', ['zeta-warehouse']],
    ['tag=kafka', ['alpha-streams']],
    ['level=intermediate', ['machine-learning-basics']],
    ['kind=book', ['zeta-warehouse']],
    ['kind=article', ['alpha-streams', SEED]],
    ['maxMinutes=100', ['alpha-streams']],
    ['maxMinutes=235', ['alpha-streams', SEED, 'machine-learning-basics']],
    ['level=beginner&kind=video&maxMinutes=60&q=streams', ['alpha-streams']],
    ['level=beginner&kind=book', []],
  ])('filters with %s', async (query, expected) => {
    const body = PathListSchema.parse(await getJson(app, `/v1/paths?${query}`));
    expect(slugsOf(body)).toEqual(expected);
    expect(body.total).toBe(expected.length);
  });

  it.each([
    ['title', ['alpha-streams', SEED, 'machine-learning-basics', 'zeta-warehouse']],
    ['-title', ['zeta-warehouse', 'machine-learning-basics', SEED, 'alpha-streams']],
    ['totalMinutes', ['alpha-streams', 'machine-learning-basics', SEED, 'zeta-warehouse']],
    ['-totalMinutes', ['zeta-warehouse', SEED, 'machine-learning-basics', 'alpha-streams']],
  ])('sorts by %s', async (sort, expected) => {
    expect(slugsOf(await getJson(app, `/v1/paths?sort=${sort}`))).toEqual(expected);
  });

  it('pages with a cursor: default limit 20, first and last page, no item twice', async () => {
    const first = PathListSchema.parse(await getJson(many, '/v1/paths'));
    expect(first.items).toHaveLength(20);
    expect(first.total).toBe(45);
    expect(first.items[0]!.slug).toBe('path-01');
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = PathListSchema.parse(await getJson(many, `/v1/paths?cursor=${first.nextCursor}`));
    expect(second.items.map((i) => i.slug)).toEqual(Array.from({ length: 20 }, (_, i) => `path-${String(i + 21).padStart(2, '0')}`));
    const last = PathListSchema.parse(await getJson(many, `/v1/paths?cursor=${second.nextCursor}`));
    expect(last.items.map((i) => i.slug)).toEqual(['path-41', 'path-42', 'path-43', 'path-44', 'path-45']);
    expect(last.nextCursor).toBeNull();
    expect(last.total).toBe(45);
  });

  it('pages through a filtered, sorted listing with limit', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/paths?sort=-totalMinutes&maxMinutes=20&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page = PathListSchema.parse(await getJson(many, url));
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((i) => `${i.totalMinutes}:${i.slug}`));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    const all = PathListSchema.parse(await getJson(many, '/v1/paths?sort=-totalMinutes&maxMinutes=20&limit=100'));
    expect(seen).toEqual(all.items.map((i) => `${i.totalMinutes}:${i.slug}`));
    expect(new Set(seen).size).toBe(all.total);
    const minutes = all.items.map((i) => i.totalMinutes);
    expect(minutes).toEqual([...minutes].sort((a, b) => b - a));
  });

  it('answers an empty page for a filter that matches nothing', async () => {
    expect(await getJson(many, '/v1/paths?tag=none')).toEqual({ items: [], total: 0, nextCursor: null });
  });

  it('gives a one-item last page at limit=1 and the exact page at limit=100', async () => {
    const page = PathListSchema.parse(await getJson(app, '/v1/paths?limit=3'));
    expect(page.items).toHaveLength(3);
    const rest = PathListSchema.parse(await getJson(app, `/v1/paths?limit=3&cursor=${page.nextCursor}`));
    expect(slugsOf(rest)).toEqual(['zeta-warehouse']);
    expect(rest.nextCursor).toBeNull();
    const exact = PathListSchema.parse(await getJson(app, '/v1/paths?limit=4'));
    expect(exact.nextCursor).toBeNull();
  });

  it('rejects a cursor from another query with 400', async () => {
    const page = PathListSchema.parse(await getJson(many, '/v1/paths?sort=title'));
    for (const other of ['sort=-title', 'tag=x', 'q=path', 'maxMinutes=3']) {
      const response = await many.inject(`/v1/paths?${other}&cursor=${page.nextCursor}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json().type).toBe('urn:learnpath:problem:invalid-cursor');
    }
    // The same query with another limit keeps its cursor.
    expect((await many.inject(`/v1/paths?sort=title&limit=5&cursor=${page.nextCursor}`)).statusCode).toBe(200);
    const resources = await many.inject(`/v1/resources?cursor=${page.nextCursor}`);
    expect(resources.statusCode).toBe(400);
  });

  it('rejects malformed cursors and invalid parameters with 400', async () => {
    for (const query of ['cursor=not-a-cursor', 'cursor=eyJ2IjoyfQ', 'limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'sort=slug', 'level=expert', 'kind=movie', 'maxMinutes=-1', 'tag=Not%20A%20Slug', 'unknown=1', 'q=']) {
      const response = await app.inject(`/v1/paths?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().status).toBe(400);
    }
  });
});

describe('GET /v1/paths/{slug} and its phases and resources', () => {
  it('serves the full path with derived fields', async () => {
    const body = await getJson(app, `/v1/paths/${SEED}`);
    expect(LearningPathSchema.parse(body)).toEqual(seedPath);
    expect(body.totalMinutes).toBe(235);
    expect(body.phases[1].totalMinutes).toBe(95);
  });

  it('serves a phase and a resource with its path and phase', async () => {
    expect(await getJson(app, `/v1/paths/${SEED}/phases/core-concepts`)).toEqual(seedPath.phases[1]);
    expect(await getJson(app, `/v1/paths/${SEED}/resources/use-case-selection`)).toEqual({
      ...seedPath.phases[1]!.resources[1],
      pathSlug: SEED,
      phaseId: 'core-concepts',
    });
  });

  it.each([
    '/v1/paths/unknown-path',
    `/v1/paths/${SEED}/phases/unknown-phase`,
    `/v1/paths/${SEED}/resources/unknown-resource`,
    '/v1/paths/unknown-path/phases/foundations',
    '/v1/paths/unknown-path/graph',
  ])('answers 404 problem+json for %s', async (url) => {
    const response = await app.inject(url);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ status: 404, title: 'Not Found', instance: url });
  });

  it('rejects a slug that is not a slug with 400', async () => {
    const response = await app.inject('/v1/paths/Not_A_Slug');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ in: 'params', pointer: '/slug' });
  });
});

describe('GET /v1/resources', () => {
  it('lists every resource with its path slug and phase id, by path then document order', async () => {
    const body = ResourceListSchema.parse(await getJson(app, '/v1/resources?limit=100'));
    expect(body.total).toBe(13);
    expect(body.items.slice(0, 3).map((r) => [r.pathSlug, r.phaseId, r.id])).toEqual([
      ['alpha-streams', 'basics', 'kafka-in-10-minutes'],
      ['alpha-streams', 'basics', 'topics-and-partitions'],
      [SEED, 'foundations', 'batch-processing'],
    ]);
    expect(body.items.at(-1)).toMatchObject({ pathSlug: 'zeta-warehouse', id: 'build-a-star-schema', durationMinutes: null });
  });

  it.each([
    ['kind=video', ['kafka-in-10-minutes']],
    ['kind=book', ['the-data-warehouse-toolkit']],
    ['q=partition', ['topics-and-partitions']], // the focus
    ['q=HYBRID', ['hybrid-processing']],
    ['maxMinutes=25', ['kafka-in-10-minutes', 'use-case-selection']],
    ['path=alpha-streams', ['kafka-in-10-minutes', 'topics-and-partitions']],
    ['kind=article&maxMinutes=30&path=batch-vs-stream-processing', ['processing-comparison', 'use-case-selection', 'processing-optimization']],
    ['kind=podcast', []],
    ['tag=kafka', ['kafka-in-10-minutes', 'topics-and-partitions']],
    ['level=beginner&q=kafka', ['kafka-in-10-minutes']],
    ['tag=kafka&level=advanced', []],
  ])('filters with %s', async (query, expected) => {
    const body = ResourceListSchema.parse(await getJson(app, `/v1/resources?${query}`));
    expect(body.items.map((r) => r.id)).toEqual(expected);
  });

  it('pages with the same cursor rules', async () => {
    const first = ResourceListSchema.parse(await getJson(many, '/v1/resources'));
    expect(first.items).toHaveLength(20);
    const second = ResourceListSchema.parse(await getJson(many, `/v1/resources?cursor=${first.nextCursor}`));
    const third = ResourceListSchema.parse(await getJson(many, `/v1/resources?cursor=${second.nextCursor}`));
    expect(third.items).toHaveLength(5);
    expect(third.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items, ...third.items].map((r) => r.pathSlug)).size).toBe(45);
    expect((await many.inject(`/v1/resources?kind=video&cursor=${first.nextCursor}`)).statusCode).toBe(400);
  });
});

describe('GET /v1/paths/{slug}/graph', () => {
  it('serves nodes, edges, topological order and the longest chain', async () => {
    const body = PathGraphSchema.parse(await getJson(app, `/v1/paths/${SEED}/graph`));
    expect(body).toEqual(buildPathGraph(seedPath));
    expect(body.order[0]).toBe('batch-processing');
    expect(body.longestChain.minutes).toBe(170);
  });

  it('renders a Mermaid flowchart with one subgraph per phase as text/plain', async () => {
    const response = await app.inject(`/v1/paths/${SEED}/graph?format=mermaid`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const text = response.body;
    expect(text.startsWith('flowchart TD\n')).toBe(true);
    expect(text.match(/^ {2}subgraph /gm)).toHaveLength(3);
    expect(text).toContain('subgraph p_foundations["Phase 1: Foundations"]');
    expect(text).toContain('r_batch_processing["Batch Processing (35 min)"]');
    expect(text).toContain('r_batch_processing --> r_stream_processing');
    expect(text).toContain('p_foundations -.->|requires| r_processing_comparison');
  });

  it('escapes titles and keeps keyword-like ids safe in Mermaid', async () => {
    const text = (await app.inject('/v1/paths/machine-learning-basics/graph?format=mermaid')).body;
    expect(text).toContain('r_intro_ml_and_friends_1["Intro #60;ML#62; #38; #34;Friends#34; #35;1 (90 min)"]');
    expect(text).toContain('subgraph p_course_part_1["Phase 1: Course #34;Part#34; #35;1"]');
    expect(text).toContain('r_end["end (30 min)"]');
    expect(text).toContain('x_alpha_streams[["Path: alpha-streams"]]');
    expect(text).toContain('x_alpha_streams -.->|requires| r_end');
    expect(text).not.toContain('<ML>');
    expect(text).not.toContain('"Friends"');
  });

  it('rejects an unknown format with 400', async () => {
    expect((await app.inject(`/v1/paths/${SEED}/graph?format=dot`)).statusCode).toBe(400);
  });
});

describe('POST /v1/paths/{slug}/progress', () => {
  const url = `/v1/paths/${SEED}/progress`;

  it('evaluates progress like evaluateProgress', async () => {
    const completed = ['batch-processing', 'stream-processing', 'processing-comparison'];
    const response = await app.inject({ method: 'POST', url, payload: { completed } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = ProgressReportSchema.parse(response.json());
    expect(body).toEqual(evaluateProgress(seedPath, completed));
    expect(body.percent).toBe(42);
    expect(body.next).toEqual({ id: 'use-case-selection', title: 'Use Case Selection', phaseId: 'core-concepts' });
    expect(body.phases[0]).toMatchObject({ id: 'foundations', state: 'completed', percent: 100 });
    expect(body.checklist[0]).toMatchObject({ target: { phase: 'foundations' }, checked: true });
  });

  it('answers for nothing completed and for everything completed', async () => {
    const none = (await app.inject({ method: 'POST', url, payload: { completed: [] } })).json();
    expect(none).toMatchObject({ percent: 0, completedMinutes: 0, remainingMinutes: 235, next: { id: 'batch-processing' } });
    const all = seedPath.phases.flatMap((p) => p.resources.map((r) => r.id));
    const done = (await app.inject({ method: 'POST', url, payload: { completed: all } })).json();
    expect(done).toMatchObject({ percent: 100, remainingMinutes: 0, next: null });
  });

  it('enforces dependencies on other paths only when completedPaths is given', async () => {
    const target = '/v1/paths/machine-learning-basics/progress';
    const payload = { completed: ['intro-ml-and-friends-1'] };
    const loose = (await app.inject({ method: 'POST', url: target, payload })).json();
    expect(loose.resources[1]).toMatchObject({ id: 'end', state: 'available' });
    const strict = (await app.inject({ method: 'POST', url: target, payload: { ...payload, completedPaths: [] } })).json();
    expect(strict.resources[1]).toMatchObject({ id: 'end', state: 'locked' });
  });

  it('rejects unknown resource ids with 400 listing them', async () => {
    const response = await app.inject({ method: 'POST', url, payload: { completed: ['batch-processing', 'nope', 'also-nope', 'nope'] } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const problem = response.json();
    expect(problem).toMatchObject({ type: 'urn:learnpath:problem:unknown-resource-ids', status: 400, unknownIds: ['nope', 'also-nope'] });
    expect(problem.errors[0]).toEqual({ in: 'body', pointer: '/completed/1', message: 'no resource "nope" in this path' });
  });

  it.each([
    [{ completed: 'batch-processing' }, '/completed'],
    [{ completed: ['batch-processing'], extra: true }, ''],
    [{}, '/completed'],
    [{ completed: [42] }, '/completed/0'],
  ])('rejects the body %j with 400 pointing at %s', async (payload, pointer) => {
    const response = await app.inject({ method: 'POST', url, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ in: 'body', pointer });
  });

  it('answers 404 for an unknown path', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/paths/unknown/progress', payload: { completed: [] } })).statusCode).toBe(404);
  });
});

describe('GET /healthz', () => {
  it('reports status, paths and the content version', async () => {
    const response = await app.inject('/healthz');
    expect(response.headers['cache-control']).toBe('no-store');
    const catalog = app.catalogStore.catalog;
    expect(response.json()).toEqual({
      status: 'ok',
      reasons: [],
      paths: 4,
      contentVersion: catalog.version,
      loadedAt: app.catalogStore.state.loadedAt.toISOString(),
      stale: false,
      diagnostics: { errors: 0, warnings: 0 },
    });
  });
});

describe('the bundled content (content/, the seed in Markdown)', () => {
  let bundled: App;
  beforeAll(async () => {
    const { loadCatalog } = await import('@learnpath/content');
    const load = await loadCatalog(new URL('../../../content', import.meta.url).pathname);
    expect(load.catalog, load.diagnostics.map((d) => d.message).join('\n')).not.toBeNull();
    bundled = await buildApp({ catalog: load.catalog! });
  });
  afterAll(() => bundled.close());

  it('serves the seed path as parsed from Markdown, its graph and its progress', async () => {
    const path = LearningPathSchema.parse(await getJson(bundled, `/v1/paths/${SEED}`));
    expect(path.title).toBe('Batch vs Stream Processing');
    expect(path.phases.map((p) => p.id)).toEqual(['foundations', 'core-concepts', 'advanced-topics']);
    expect(path.totalMinutes).toBe(235);
    const list = PathListSchema.parse(await getJson(bundled, `/v1/paths?q=${encodeURIComponent('stream processing')}`));
    expect(list.items.map((i) => i.slug)).toContain(SEED);
    const graph = PathGraphSchema.parse(await getJson(bundled, `/v1/paths/${SEED}/graph`));
    expect(graph.order.slice(0, 2)).toEqual(['batch-processing', 'stream-processing']);
    const progress = await bundled.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, payload: { completed: ['batch-processing'] } });
    expect(progress.json().next.id).toBe('stream-processing');
  });
});
