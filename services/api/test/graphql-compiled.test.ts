import { buildGraphqlSchema } from '../src/graphql/schema/build.js';
import { CompiledQueries } from '../src/graphql/compiled-queries.js';
import { depthLimitRule } from '../src/graphql/limits.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { graphqlFixtureCatalog, SEED } from './support/fixtures.js';

// A public query asked for again runs compiled, outside mercurius's request pipeline
// (compiled-queries.ts). Every answer must be mercurius's own: each request here is also sent
// to an app that never compiles (jit: false), and the two answers compared byte for byte.
// Neither app keeps results, so every request runs.

let compiledApp: App;
let plainApp: App;
beforeAll(async () => {
  compiledApp = await createTestApp({ catalog: graphqlFixtureCatalog(), rateLimit: false, graphql: { resultCache: false, limits: { batch: 5 } } });
  plainApp = await createTestApp({ catalog: graphqlFixtureCatalog(), rateLimit: false, graphql: { resultCache: false, jit: false, limits: { batch: 5 } } });
});
afterAll(async () => {
  await Promise.all([compiledApp?.close(), plainApp?.close()]);
});

interface Asked {
  method?: 'GET' | 'POST';
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  headers?: Record<string, string>;
}

async function answer(app: App, { method = 'POST', query, variables, operationName, headers: own = {} }: Asked) {
  // The GraphQL-over-HTTP media type, under which request errors are 4xx.
  const headers = { accept: 'application/graphql-response+json', ...own };
  const response =
    method === 'POST'
      ? await app.inject({ method, url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ query, variables, operationName }) })
      : await app.inject({
          method,
          url: '/graphql',
          headers,
          query: { query, ...(variables ? { variables: JSON.stringify(variables) } : {}), ...(operationName ? { operationName } : {}) },
        });
  return { status: response.statusCode, type: response.headers['content-type'], cache: response.headers['cache-control'], body: response.body };
}

/** Asks both apps, expects the same answer, and returns it. */
async function same(asked: Asked) {
  const compiled = await answer(compiledApp, asked);
  expect(compiled).toEqual(await answer(plainApp, asked));
  return compiled;
}

/** Counts the operations mercurius executes on the compiling app from now on. */
function countExecutions(): { readonly count: number } {
  const counter = { count: 0 };
  compiledApp.graphql.addHook('preExecution', async () => {
    counter.count++;
  });
  return counter;
}

const OUTLINE = 'query Outline($slug: ID!) { path(slug: $slug) { title totalMinutes phases { title resources { title kind durationMinutes dependsOn { ... on PhaseReference { target { title } } ... on ResourceReference { target { title } } } } } } }';
const LISTING = 'query List($first: Int, $after: String) { paths(first: $first, after: $after) { totalCount edges { cursor node { slug title } } pageInfo { hasNextPage endCursor } } }';

describe('GraphQL queries asked again run compiled', () => {
  it('answers as mercurius does, and mercurius runs the text only the first time', async () => {
    const executions = countExecutions();
    const slugs = [SEED, 'a-quick-tour', SEED, 'a-quick-tour', SEED];
    for (const slug of slugs) {
      const reply = await same({ query: OUTLINE, variables: { slug } });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body).data.path.title).toBeTypeOf('string');
    }
    expect(executions.count).toBe(1);
    // Asked with another Accept, the same data under the negotiated media type.
    const negotiated = await same({ query: OUTLINE, variables: { slug: SEED }, headers: { accept: 'application/json' } });
    expect(negotiated.type).toBe('application/json; charset=utf-8');
    expect(executions.count).toBe(1);
  });

  it('answers every kind of query as mercurius does: arguments, input objects, enums, lists, directives, fragments, aliases, unions, introspection', async () => {
    const cases: Asked[] = [
      {
        query: 'query Search($filter: PathFilter, $sort: PathSort) { paths(filter: $filter, sort: $sort, first: 5) { totalCount edges { node { slug title level tags totalMinutes } } } }',
        variables: { filter: { q: 'stream' }, sort: 'TOTAL_MINUTES_DESC' },
      },
      { query: 'query Search($filter: PathFilter) { paths(filter: $filter) { totalCount edges { node { slug } } } }', variables: { filter: { tag: 'data', level: 'BEGINNER' } } },
      {
        query: 'query Kinds($kind: ResourceKind, $max: Float) { resources(filter: { kind: $kind, maxMinutes: $max }, first: 3) { totalCount edges { cursor node { id title kind durationMinutes } } } }',
        variables: { kind: 'ARTICLE', max: 60 },
      },
      {
        query: 'query Done($slug: ID!, $done: [ID!]!) { progress(path: $slug, completed: $done) { slug percent completedCount totalCount completedMinutes } }',
        variables: { slug: SEED, done: ['batch-processing'] },
      },
      { query: 'query Graph($slug: ID!) { graph(path: $slug) { slug order phases { id resourceIds } nodes { id kind } edges { type from { __typename ... on ResourceReference { resource } ... on PhaseReference { phase } } to { __typename ... on ResourceReference { resource } } } longestChain { __typename } } }', variables: { slug: SEED } },
      {
        query:
          'query Shaped($slug: ID!, $withPhases: Boolean!, $skipTags: Boolean = true) { first: path(slug: $slug) { ...Head phases @include(if: $withPhases) { n: number title } tags @skip(if: $skipTags) } again: path(slug: $slug) { __typename slug } } fragment Head on LearningPath { slug title }',
        variables: { slug: SEED, withPhases: true },
      },
      {
        query: 'query Refs($slug: ID!) { path(slug: $slug) { phases { resources { id next { __typename ... on PhaseReference { phase target { title } } ... on ResourceReference { resource target { title } } } } } } }',
        variables: { slug: 'stream-processing-in-practice' },
      },
      { query: 'query Resource($slug: ID!, $id: ID!) { resource(path: $slug, id: $id) { id title phase { id } learningPath { slug } } }', variables: { slug: SEED, id: 'batch-processing' } },
      { query: '{ __schema { queryType { name } types { name kind } } }' },
      { query: 'query Type($name: String!) { __type(name: $name) { name kind enumValues { name } } }', variables: { name: 'ResourceKind' } },
      { query: '{ __typename }' },
    ];
    for (const asked of cases) {
      for (let i = 0; i < 3; i++) {
        const reply = await same(asked);
        expect(reply.status, asked.query).toBe(200);
        expect(JSON.parse(reply.body).errors, asked.query).toBeUndefined();
      }
    }
  });

  it('pages a listing through its cursors as mercurius does', async () => {
    let after: string | undefined;
    const seen: string[] = [];
    for (let page = 0; page < 4; page++) {
      const reply = await same({ query: LISTING, variables: { first: 1, ...(after ? { after } : {}) } });
      const paths = JSON.parse(reply.body).data.paths;
      seen.push(...paths.edges.map((edge: { node: { slug: string } }) => edge.node.slug));
      if (!paths.pageInfo.hasNextPage) break;
      after = paths.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(3);
  });

  it('answers every error as mercurius does, with its status and body: bad variables, a missing path, a bad cursor', async () => {
    for (let i = 0; i < 3; i++) expect((await same({ query: LISTING, variables: { first: 2 } })).status).toBe(200);
    const executions = countExecutions();
    const wrongType = await same({ query: LISTING, variables: { first: 'two' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toContain('first');
    const badCursor = await same({ query: LISTING, variables: { first: 2, after: 'not-a-cursor' } });
    expect(JSON.parse(badCursor.body).errors).toHaveLength(1);
    // Neither ran twice: variables that do not fit are refused before anything runs, and the
    // errors of a compiled run are formatted as they are.
    expect(executions.count).toBe(0);

    const ABOUT = 'query About($slug: ID!) { path(slug: $slug) { title } }';
    for (let i = 0; i < 3; i++) await same({ query: ABOUT, variables: { slug: SEED } });
    const missingVariable = await same({ query: ABOUT, variables: {} });
    expect(missingVariable.status).toBe(400);
    expect(await same({ query: ABOUT, variables: { slug: 'no-such-path' } })).toMatchObject({ status: 200, body: '{"data":{"path":null}}' });
  });

  it('runs the operation a request names, each compiled apart', async () => {
    const document = `query Title { path(slug: "${SEED}") { title } } query Slug { path(slug: "${SEED}") { slug } }`;
    for (let i = 0; i < 3; i++) {
      expect(JSON.parse((await same({ query: document, operationName: 'Title' })).body)).toEqual({ data: { path: { title: expect.any(String) } } });
      expect(JSON.parse((await same({ query: document, operationName: 'Slug' })).body)).toEqual({ data: { path: { slug: SEED } } });
    }
  });

  it('answers GET as mercurius does, and never runs a mutation from a GET', async () => {
    for (let i = 0; i < 3; i++) expect((await same({ method: 'GET', query: OUTLINE, variables: { slug: SEED } })).status).toBe(200);
    const mutation = `mutation { completeResource(learnerId: "k1", slug: "${SEED}", resourceId: "x") { percent } }`;
    for (let i = 0; i < 3; i++) expect((await same({ method: 'GET', query: mutation })).status).toBeGreaterThanOrEqual(400);
  });

  it('refuses an invalid or oversized document every time it is asked', async () => {
    const invalid = `{ path(slug: "${SEED}") { title nosuchfield } }`;
    const deep = `{ path(slug: "${SEED}") { phases { resources { phase { resources { phase { resources { phase { resources { phase { resources { phase { title } } } } } } } } } } } } }`;
    for (const query of [invalid, deep, '{ path(slug: ', '{ "kind": "Document" }']) {
      const first = await same({ query });
      expect(first.status, query).toBeGreaterThanOrEqual(400);
      for (let i = 0; i < 3; i++) expect(await same({ query })).toEqual(first);
    }
  });

  it('keeps learner operations out: refused without a key every time', async () => {
    const query = `query { learner(id: "k1") { id } }`;
    for (let i = 0; i < 3; i++) expect(await same({ query })).toMatchObject({ status: 401, cache: 'private, no-store' });
  });
});

describe('A document without the operation asked for', () => {
  const document = `query Title { path(slug: "${SEED}") { title } } query Slug { path(slug: "${SEED}") { slug } }`;
  const refusal = (message: string) => ({ errors: [{ message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] });

  it('is refused with OPERATION_RESOLUTION_FAILURE (400; 200 under application/json), over POST and GET, every time', async () => {
    const cases: [Omit<Asked, 'method'>, string][] = [
      [{ query: document }, 'Must provide operation name if query contains multiple operations.'],
      [{ query: document, operationName: '' }, 'Must provide operation name if query contains multiple operations.'],
      [{ query: document, operationName: 'Other' }, 'Unknown operation named "Other".'],
      [{ query: `{ path(slug: "${SEED}") { title } }`, operationName: 'Named' }, 'Unknown operation named "Named".'],
    ];
    for (const [asked, message] of cases) {
      for (const method of ['POST', 'GET'] as const) {
        for (let i = 0; i < 3; i++) {
          const reply = await same({ ...asked, method });
          expect({ status: reply.status, body: JSON.parse(reply.body) }, `${method} ${JSON.stringify(asked)}`).toEqual({ status: 400, body: refusal(message) });
          const legacy = await same({ ...asked, method, headers: { accept: 'application/json' } });
          expect({ status: legacy.status, body: JSON.parse(legacy.body) }).toEqual({ status: 200, body: refusal(message) });
        }
      }
    }
  });

  it('names the operation an empty operationName leaves to the document, when it holds one', async () => {
    for (let i = 0; i < 3; i++) expect(JSON.parse((await same({ query: `query Only { path(slug: "${SEED}") { slug } }`, operationName: '' })).body)).toEqual({ data: { path: { slug: SEED } } });
  });

  it('is refused within a batch, next to the operations that run', async () => {
    const batch = [
      { query: document, operationName: 'Title' },
      { query: document },
      { query: document, operationName: 'Slug' },
      { query: document, operationName: 'Other' },
    ];
    for (let i = 0; i < 3; i++) {
      const response = await compiledApp.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(batch) });
      expect(response.statusCode).toBe(200);
      const [title, none, slug, other] = response.json() as { data?: unknown; errors?: { extensions: { code: string } }[] }[];
      expect(title).toEqual({ data: { path: { title: expect.any(String) } } });
      expect(slug).toEqual({ data: { path: { slug: SEED } } });
      expect(none?.errors?.[0]?.extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
      expect(other?.errors?.[0]?.extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    }
  });
});

describe('CompiledQueries', () => {
  const queries = () => new CompiledQueries({ schema: buildGraphqlSchema(), rules: [depthLimitRule(4)], limits: { depth: 4, aliases: 10, tokens: 1000 }, maxEntries: 2 });
  const text = (n: number) => `query Q${n} { path(slug: "x") { title } }`;

  it('compiles a valid query the second time it is asked, and never a document it would refuse', () => {
    const compiled = queries();
    expect(compiled.get(text(1), '')).toBeNull();
    expect(compiled.get(text(1), '')).not.toBeNull();
    for (const refused of ['{ nosuchfield }', 'mutation { completeResource(learnerId: "a", slug: "b", resourceId: "c") { percent } }', '{ path(slug: "x") { phases { resources { phase { resources { title } } } } } }', '{ path(']) {
      for (let i = 0; i < 3; i++) expect(compiled.get(refused, '')).toBeNull();
    }
  });

  it('remembers as many texts as it is given, the longest kept out first', () => {
    const compiled = queries();
    compiled.get(text(1), '');
    compiled.get(text(2), '');
    compiled.get(text(3), '');
    // The first text was forgotten: seen once again, not compiled yet.
    expect(compiled.get(text(1), '')).toBeNull();
    expect(compiled.get(text(1), '')).not.toBeNull();
  });

  it('remembers texts up to a size: a longer one is never compiled, and long ones push older ones out', () => {
    const compiled = new CompiledQueries({ schema: buildGraphqlSchema(), rules: [], limits: { depth: 4, aliases: 10, tokens: 1000 }, maxEntries: 100, maxChars: 100 });
    const long = `${text(1)}${' '.repeat(100)}`;
    for (let i = 0; i < 3; i++) expect(compiled.get(long, '')).toBeNull();
    const padded = (n: number) => `${text(n)}${' '.repeat(60 - text(n).length)}`;
    compiled.get(padded(1), '');
    expect(compiled.get(padded(1), '')).not.toBeNull();
    compiled.get(padded(2), '');
    expect(compiled.get(padded(2), '')).not.toBeNull();
    // Two compiled texts of 60 exceed 100: the first was pushed out, and is seen anew.
    expect(compiled.get(padded(1), '')).toBeNull();
    expect(compiled.get(padded(1), '')).not.toBeNull();
  });

  it('never lets texts asked once push a compiled one out', () => {
    const compiled = queries();
    compiled.get(text(1), '');
    const ready = compiled.get(text(1), '');
    expect(ready).not.toBeNull();
    for (let n = 2; n < 100; n++) compiled.get(text(n), '');
    expect(compiled.get(text(1), '')).toBe(ready);
  });
});
