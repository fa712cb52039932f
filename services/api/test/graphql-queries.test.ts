import { createCatalog } from '@learnpath/content';
import { compilePath } from '@learnpath/schema';
import { describe, expect, it } from 'vitest';
import { CatalogStore } from '../src/catalog/store.js';
import { buildShared } from './support/app.js';
import { sendGraphql, type GraphqlReply } from './support/graphql.js';
import { graphqlFixtureCatalog, graphqlFixturePaths, quickDocument, SEED } from './support/fixtures.js';

type GraphqlResponse = GraphqlReply<Record<string, any>>;

const store = new CatalogStore(graphqlFixtureCatalog());
const app = buildShared({ store });
const gql = (query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse> => sendGraphql(app, query, variables);

describe('path, phase and resource', () => {
  it('returns a path with its phases, resources and derived totals', async () => {
    const { status, data, errors } = await gql(`{ path(slug: "${SEED}") { slug title totalMinutes resourceCount level tags notes phases { id number title sequential totalMinutes resourceCount resources { id title kind durationMinutes focus url } } } }`);
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    expect(data?.['path']).toMatchObject({ slug: SEED, title: 'Batch vs Stream Processing', totalMinutes: 235, resourceCount: 7, level: null, tags: [] });
    expect(data?.['path'].phases.map((p: { id: string }) => p.id)).toEqual(['foundations', 'core-concepts', 'advanced-topics']);
    expect(data?.['path'].phases[0].resources[0]).toEqual({
      id: 'batch-processing',
      title: 'Batch Processing',
      kind: 'ARTICLE',
      durationMinutes: 35,
      focus: 'Understanding batch processing and its characteristics',
      url: null,
    });
  });

  it('answers null, not an error, for an unknown slug or id', async () => {
    const { status, data, errors } = await gql(`{
      path(slug: "no-such-path") { title }
      phase(path: "${SEED}", id: "no-such-phase") { title }
      resource(path: "${SEED}", id: "no-such-resource") { title }
      otherPhase: phase(path: "no-such-path", id: "foundations") { title }
      progress(path: "no-such-path", completed: []) { percent }
      graph(path: "no-such-path") { order }
    }`);
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ path: null, phase: null, resource: null, otherPhase: null, progress: null, graph: null });
  });

  it('returns one phase and one resource with where they belong', async () => {
    const { data } = await gql(`{
      phase(path: "${SEED}", id: "core-concepts") { number title resourceCount learningPath { slug } }
      resource(path: "${SEED}", id: "use-case-selection") { title phase { id } learningPath { slug } }
    }`);
    expect(data?.['phase']).toEqual({ number: 2, title: 'Core Concepts', resourceCount: 3, learningPath: { slug: SEED } });
    expect(data?.['resource']).toEqual({ title: 'Use Case Selection', phase: { id: 'core-concepts' }, learningPath: { slug: SEED } });
  });

  it('follows dependency references to the phase, resource or path they name', async () => {
    const { data } = await gql(`{
      path(slug: "stream-processing-in-practice") {
        prerequisites { text path learningPath { title } }
        phases {
          dependsOn {
            __typename
            ... on PhaseReference { phase target { title } }
            ... on ResourceReference { resource target { title } }
            ... on PathReference { path target { title } }
          }
          resources { id next { __typename ... on PathReference { path target { slug } } } dependsOn { ... on ResourceReference { resource target { title kind } } } }
        }
      }
    }`);
    const path = data?.['path'];
    expect(path.prerequisites).toEqual([
      { text: 'Finish Batch vs Stream Processing first.', path: SEED, learningPath: { title: 'Batch vs Stream Processing' } },
      { text: 'Comfort with a command line.', path: null, learningPath: null },
    ]);
    expect(path.phases[0].dependsOn).toEqual([{ __typename: 'PathReference', path: SEED, target: { title: 'Batch vs Stream Processing' } }]);
    expect(path.phases[1].dependsOn).toEqual([{ __typename: 'PhaseReference', phase: 'setup', target: { title: 'Setup' } }]);
    expect(path.phases[0].resources[1]).toEqual({
      id: 'windowing-explained',
      next: { __typename: 'PathReference', path: SEED, target: { slug: SEED } },
      dependsOn: [{ resource: 'install-kafka', target: { title: 'Install Kafka', kind: 'TUTORIAL' } }],
    });
  });

  it('serves links, videos, the checklist with its targets, and notes', async () => {
    const { data } = await gql(`{
      path(slug: "stream-processing-in-practice") {
        level tags notes
        additionalResources { title url description }
        supplementaryVideos { title url durationMinutes channel }
        checklist { label checked target { __typename ... on PhaseReference { phase target { id } } ... on SupplementaryMaterial { additionalResources { title } supplementaryVideos { title } } } }
      }
    }`);
    const path = data?.['path'];
    expect(path).toMatchObject({ level: 'INTERMEDIATE', tags: ['streaming', 'data'], notes: 'Keep the broker running between phases.' });
    expect(path.additionalResources).toEqual([{ title: 'Streaming 101', url: 'https://www.oreilly.com/radar/the-world-beyond-batch-streaming-101/', description: 'The classic essay.' }]);
    expect(path.supplementaryVideos).toEqual([{ title: 'Kafka in 100 Seconds', url: null, durationMinutes: 2.5, channel: 'Fireship' }]);
    expect(path.checklist).toEqual([
      { label: 'Setup done', checked: false, target: { __typename: 'PhaseReference', phase: 'setup', target: { id: 'setup' } } },
      { label: 'Extras read', checked: true, target: { __typename: 'SupplementaryMaterial', additionalResources: [{ title: 'Streaming 101' }], supplementaryVideos: [{ title: 'Kafka in 100 Seconds' }] } },
      { label: 'Told a friend', checked: false, target: null },
    ]);
  });
});

describe('paths connection', () => {
  const slugsOf = (data: GraphqlResponse['data']): string[] => data?.['paths'].edges.map((e: { node: { slug: string } }) => e.node.slug);

  it('sorts by title by default and by every PathSort', async () => {
    const orders: Record<string, string[]> = {};
    for (const sort of ['TITLE', 'TITLE_DESC', 'TOTAL_MINUTES', 'TOTAL_MINUTES_DESC']) {
      orders[sort] = slugsOf((await gql(`{ paths(sort: ${sort}) { edges { node { slug } } } }`)).data);
    }
    expect(slugsOf((await gql('{ paths { edges { node { slug } } } }')).data)).toEqual(orders['TITLE']);
    expect(orders['TITLE']).toEqual(['a-quick-tour', SEED, 'stream-processing-in-practice']);
    expect(orders['TITLE_DESC']).toEqual(['stream-processing-in-practice', SEED, 'a-quick-tour']);
    expect(orders['TOTAL_MINUTES']).toEqual(['a-quick-tour', 'stream-processing-in-practice', SEED]);
    expect(orders['TOTAL_MINUTES_DESC']).toEqual([SEED, 'stream-processing-in-practice', 'a-quick-tour']);
  });

  it('pages with cursors to the end and back to an empty page', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const pages: { hasNextPage: boolean; hasPreviousPage: boolean }[] = [];
    for (let i = 0; i < 5; i++) {
      const { data, errors } = await gql('query Page($after: String) { paths(first: 2, after: $after) { totalCount edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }', { after });
      expect(errors).toBeUndefined();
      const connection = data?.['paths'];
      expect(connection.totalCount).toBe(3);
      seen.push(...connection.edges.map((e: { node: { slug: string } }) => e.node.slug));
      pages.push({ hasNextPage: connection.pageInfo.hasNextPage, hasPreviousPage: connection.pageInfo.hasPreviousPage });
      if (connection.edges.length > 0) {
        expect(connection.pageInfo.startCursor).toBe(connection.edges[0].cursor);
        expect(connection.pageInfo.endCursor).toBe(connection.edges[connection.edges.length - 1].cursor);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(['a-quick-tour', SEED, 'stream-processing-in-practice']);
    expect(pages).toEqual([
      { hasNextPage: true, hasPreviousPage: false },
      { hasNextPage: false, hasPreviousPage: true },
    ]);
    const last = (await gql('{ paths(sort: TITLE) { pageInfo { endCursor } } }')).data?.['paths'].pageInfo.endCursor;
    const empty = await gql('query ($after: String) { paths(after: $after) { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }', { after: last });
    expect(empty.data?.['paths']).toEqual({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
  });

  it('accepts first = 1 and first = 100, and refuses 0, 101 and foreign cursors with BAD_USER_INPUT', async () => {
    expect(slugsOf((await gql('{ paths(first: 1) { edges { node { slug } } } }')).data)).toEqual(['a-quick-tour']);
    expect(slugsOf((await gql('{ paths(first: 100) { edges { node { slug } } } }')).data)).toHaveLength(3);
    for (const first of [0, 101, -1]) {
      const { status, errors } = await gql('query ($first: Int) { paths(first: $first) { totalCount } }', { first });
      expect(status).toBe(400);
      expect(errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
    const byMinutes = (await gql('{ paths(sort: TOTAL_MINUTES, first: 1) { pageInfo { endCursor } } }')).data?.['paths'].pageInfo.endCursor;
    for (const after of ['not-a-cursor', byMinutes, Buffer.from('["TITLE",{}]').toString('base64url')]) {
      const { status, errors } = await gql('query ($after: String) { paths(sort: TITLE, after: $after) { totalCount } }', { after });
      expect(status).toBe(400);
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });

  it('filters by q, tag, level, kind and maxMinutes, all together', async () => {
    const slugs = async (filter: string) => slugsOf((await gql(`{ paths(filter: ${filter}) { totalCount edges { node { slug } } } }`)).data);
    expect(await slugs('{ q: "WINDOWING" }')).toEqual(['stream-processing-in-practice']);
    expect(await slugs('{ q: "Approaches" }')).toEqual([SEED]);
    expect(await slugs('{ tag: "data" }')).toEqual(['a-quick-tour', 'stream-processing-in-practice']);
    expect(await slugs('{ level: BEGINNER }')).toEqual(['a-quick-tour']);
    expect(await slugs('{ kind: PROJECT }')).toEqual(['stream-processing-in-practice']);
    expect(await slugs('{ maxMinutes: 100 }')).toEqual(['a-quick-tour', 'stream-processing-in-practice']);
    expect(await slugs('{ tag: "data", level: INTERMEDIATE, maxMinutes: 100 }')).toEqual(['stream-processing-in-practice']);
    expect(await slugs('{ tag: "nothing" }')).toEqual([]);
    expect((await gql('{ paths(filter: { tag: "data" }) { totalCount } }')).data?.['paths'].totalCount).toBe(2);
  });
});

describe('resources connection', () => {
  it('lists resources across paths by path slug, then document order, with filters and paging', async () => {
    const all = await gql('{ resources(first: 100) { totalCount edges { node { id learningPath { slug } } } } }');
    expect(all.data?.['resources'].totalCount).toBe(12);
    const ids = all.data?.['resources'].edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids.slice(0, 3)).toEqual(['podcast-episode', 'batch-processing', 'stream-processing']);
    const filtered = async (filter: string) =>
      (await gql(`{ resources(filter: ${filter}) { edges { node { id } } } }`)).data?.['resources'].edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await filtered('{ kind: VIDEO }')).toEqual(['windowing-explained']);
    expect(await filtered('{ q: "latency" }')).toEqual(['podcast-episode']);
    expect(await filtered(`{ path: "${SEED}", maxMinutes: 30 }`)).toEqual(['processing-comparison', 'use-case-selection', 'processing-optimization']);
    expect(await filtered('{ maxMinutes: 13 }')).toEqual(['windowing-explained']);
    expect(await filtered('{ tag: "streaming", level: INTERMEDIATE }')).toEqual(['install-kafka', 'windowing-explained', 'exactly-once', 'pipeline-project']);

    const first = await gql('{ resources(first: 5) { edges { node { id } } pageInfo { endCursor hasNextPage } } }');
    const second = await gql('query ($after: String) { resources(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } }', {
      after: first.data?.['resources'].pageInfo.endCursor,
    });
    const paged = [...first.data?.['resources'].edges, ...second.data?.['resources'].edges].map((e: { node: { id: string } }) => e.node.id);
    expect(paged).toEqual(ids);
    expect(second.data?.['resources'].pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
  });
});

describe('progress and graph', () => {
  it('reports progress the way evaluateProgress does', async () => {
    const { data } = await gql(`{ progress(path: "${SEED}", completed: ["batch-processing", "stream-processing"]) {
      slug percent completedCount totalCount completedMinutes remainingMinutes
      next { id title phaseId }
      resources { id phaseId state }
      phases { id percent state remainingMinutes }
      checklist { label checked }
    } }`);
    const report = data?.['progress'];
    expect(report).toMatchObject({ slug: SEED, percent: 28, completedCount: 2, totalCount: 7, completedMinutes: 75, remainingMinutes: 160 });
    expect(report.next).toEqual({ id: 'processing-comparison', title: 'Processing Comparison', phaseId: 'core-concepts' });
    expect(report.phases[0]).toEqual({ id: 'foundations', percent: 100, state: 'COMPLETED', remainingMinutes: 0 });
    expect(report.resources[2]).toEqual({ id: 'processing-comparison', phaseId: 'core-concepts', state: 'AVAILABLE' });
    expect(report.checklist[0]).toEqual({ label: 'Phase 1 completed', checked: true });
  });

  it('enforces dependencies on other paths only when completedPaths is given', async () => {
    const states = async (extra: string) =>
      (await gql(`{ progress(path: "stream-processing-in-practice", completed: [] ${extra}) { resources { id state } } }`)).data?.['progress'].resources[0].state;
    expect(await states('')).toBe('AVAILABLE');
    expect(await states('completedPaths: []')).toBe('LOCKED');
    expect(await states(`completedPaths: ["${SEED}"]`)).toBe('AVAILABLE');
  });

  it('refuses unknown resource ids with BAD_USER_INPUT naming them', async () => {
    const { status, data, errors } = await gql(`{ progress(path: "${SEED}", completed: ["batch-processing", "nope", "nada"]) { percent } }`);
    expect(status).toBe(200);
    expect(data).toEqual({ progress: null });
    expect(errors?.[0]).toMatchObject({ path: ['progress'], extensions: { code: 'BAD_USER_INPUT', unknownIds: ['nope', 'nada'] } });
  });

  it('serves the dependency graph with typed edges that can be followed', async () => {
    const { data } = await gql(`{ graph(path: "stream-processing-in-practice") {
      slug order longestChain { minutes resourceIds }
      phases { id number resourceIds }
      nodes { id kind phaseId durationMinutes next { __typename ... on ResourceReference { resource } ... on PhaseReference { phase } ... on PathReference { path } } }
      edges { type from { __typename ... on PathReference { path } ... on ResourceReference { resource } ... on PhaseReference { phase } } to { __typename ... on ResourceReference { resource target { title } } ... on PhaseReference { phase target { title } } } }
    } }`);
    const graph = data?.['graph'];
    expect(graph.order).toEqual(['install-kafka', 'windowing-explained', 'exactly-once', 'pipeline-project']);
    expect(graph.longestChain).toEqual({ minutes: 77.5, resourceIds: ['install-kafka', 'windowing-explained', 'exactly-once'] });
    expect(graph.nodes[0].next).toEqual({ __typename: 'ResourceReference', resource: 'windowing-explained' });
    expect(graph.edges).toContainEqual({ type: 'SEQUENCE', from: { __typename: 'ResourceReference', resource: 'exactly-once' }, to: { __typename: 'ResourceReference', resource: 'pipeline-project', target: { title: 'Pipeline Project' } } });
    expect(graph.edges).toContainEqual({ type: 'DEPENDENCY', from: { __typename: 'PathReference', path: SEED }, to: { __typename: 'PhaseReference', phase: 'setup', target: { title: 'Setup' } } });
  });
});

describe('transport', () => {
  it('answers GET /graphql with the query in the URL (with a CSRF preflight header)', async () => {
    const query = encodeURIComponent(`query One($slug: ID!) { path(slug: $slug) { title } }`);
    const variables = encodeURIComponent(JSON.stringify({ slug: SEED }));
    const response = await app.inject({ method: 'GET', url: `/graphql?query=${query}&variables=${variables}&operationName=One`, headers: { 'x-mercurius-operation-name': 'One' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { path: { title: 'Batch vs Stream Processing' } } });
  });

  it('answers application/graphql bodies', async () => {
    const response = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/graphql' }, payload: `{ path(slug: "${SEED}") { slug } }` });
    expect(response.json()).toEqual({ data: { path: { slug: SEED } } });
  });

  it('gives every error an extensions.code', async () => {
    for (const payload of [{ query: '{ path(slug: ' }, { query: '{ nope }' }, { query: '{ path { title } }' }, { query: 'query ($s: ID!) { path(slug: $s) { title } }', variables: {} }, { variables: {} }]) {
      const response = await app.inject({ method: 'POST', url: '/graphql', headers: { accept: 'application/graphql-response+json' }, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const errors = (response.json() as GraphqlResponse).errors ?? [];
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(typeof error.extensions?.['code']).toBe('string');
    }
  });

  it('answers from the result cache only for the same query, variables and operation', async () => {
    const query = 'query One($slug: ID!) { path(slug: $slug) { slug } } query Two($slug: ID!) { path(slug: $slug) { title } }';
    for (let i = 0; i < 2; i++) {
      const one = await app.inject({ method: 'POST', url: '/graphql', payload: { query, operationName: 'One', variables: { slug: SEED } } });
      expect(one.json()).toEqual({ data: { path: { slug: SEED } } });
      const two = await app.inject({ method: 'POST', url: '/graphql', payload: { query, operationName: 'Two', variables: { slug: SEED } } });
      expect(two.json()).toEqual({ data: { path: { title: 'Batch vs Stream Processing' } } });
      const other = await app.inject({ method: 'POST', url: '/graphql', payload: { query, operationName: 'One', variables: { slug: 'a-quick-tour' } } });
      expect(other.json()).toEqual({ data: { path: { slug: 'a-quick-tour' } } });
      expect(other.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    // An error is never cached: it is computed again, and stays an error.
    for (let i = 0; i < 2; i++) expect((await gql(`{ progress(path: "${SEED}", completed: ["nope"]) { percent } }`)).errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('serves a swapped catalog from the next request on, never a cached answer of the old one', async () => {
    const query = `{ path(slug: "a-quick-tour") { title } }`;
    expect((await gql(query)).data).toEqual({ path: { title: 'A Quick Tour' } });
    expect((await gql(query)).data).toEqual({ path: { title: 'A Quick Tour' } });
    const [seed, streaming] = graphqlFixturePaths();
    store.swap(createCatalog([seed!, streaming!, compilePath({ ...quickDocument, title: 'A Quicker Tour' })]));
    try {
      expect((await gql(query)).data).toEqual({ path: { title: 'A Quicker Tour' } });
    } finally {
      store.swap(graphqlFixtureCatalog());
    }
    expect((await gql(query)).data).toEqual({ path: { title: 'A Quick Tour' } });
  });
});
