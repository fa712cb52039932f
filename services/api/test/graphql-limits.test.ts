import type { Catalog } from '@learnpath/content';
import { describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { GraphqlLimitsSchema } from '../src/graphql/limits.js';
import { DEFAULT_BODY_LIMIT, REQUEST_LIMITS } from '../src/http/request-limits.js';
import { build, buildShared } from './support/app.js';
import { postGraphql as post } from './support/graphql.js';
import { graphqlFixtureCatalog, SEED } from './support/fixtures.js';

const normal = `{ path(slug: "${SEED}") { title } }`;

async function expectStillServing(target: App): Promise<void> {
  const reply = await post(target, { query: normal });
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({ data: { path: { title: 'Batch vs Stream Processing' } } });
}

/** `path { phases { learningPath { phases { … title } } } }`, `levels` fields deep. */
function deepQuery(levels: number): string {
  const wraps = Array.from({ length: levels - 2 }, (_, i) => (i % 2 === 0 ? 'phases' : 'learningPath'));
  let inner = 'title';
  for (const field of wraps.reverse()) inner = `${field} { ${inner} }`;
  return `{ path(slug: "${SEED}") { ${inner} } }`;
}

const app = buildShared({ catalog: graphqlFixtureCatalog() });

describe('default limits', () => {
  it('are on: depth 10, 15 aliases, 2000 tokens, first ≤ 100, no batches, and the request limits REST has', () => {
    expect(GraphqlLimitsSchema.parse({})).toMatchObject({
      depth: 10,
      aliases: 15,
      tokens: 2000,
      maxFirst: 100,
      batch: 0,
      bodyBytes: DEFAULT_BODY_LIMIT,
      maxCompleted: REQUEST_LIMITS.completedIds,
      maxCompletedPaths: REQUEST_LIMITS.completedPaths,
    });
  });

  it('refuse a query with 300 aliases', async () => {
    const fields = Array.from({ length: 300 }, (_, i) => `a${i}: paths { totalCount }`).join(' ');
    const reply = await post(app, { query: `{ ${fields} }` });
    expect(reply.status).toBe(400);
    expect(reply.body.data ?? null).toBeNull();
    expect(reply.body.errors?.[0]?.extensions).toMatchObject({ code: 'ALIAS_LIMIT_EXCEEDED', limit: 15, aliases: 300 });
    await expectStillServing(app);
  });

  it('count aliases inside fragments every time the fragment is spread', async () => {
    const aliases = Array.from({ length: 8 }, (_, i) => `t${i}: title`).join(' ');
    const ok = await post(app, { query: `{ path(slug: "${SEED}") { ...F } } fragment F on LearningPath { ${aliases} }` });
    expect(ok.status).toBe(200);
    const twice = await post(app, { query: `{ a: path(slug: "${SEED}") { ...F } b: path(slug: "${SEED}") { ...F } } fragment F on LearningPath { ${aliases} }` });
    expect(twice.status).toBe(400);
    expect(twice.body.errors?.[0]?.extensions).toMatchObject({ code: 'ALIAS_LIMIT_EXCEEDED', aliases: 18 });
  });

  it('refuse a query 50 fields deep, and accept one 10 deep', async () => {
    expect((await post(app, { query: deepQuery(10) })).status).toBe(200);
    const eleven = await post(app, { query: deepQuery(11) });
    expect(eleven.status).toBe(400);
    expect(eleven.body.errors?.[0]?.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', limit: 10, depth: 11 });
    const fifty = await post(app, { query: deepQuery(50) });
    expect(fifty.status).toBe(400);
    expect(fifty.body.errors?.[0]?.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', depth: 50 });
    await expectStillServing(app);
  });

  it('measure depth through fragments', async () => {
    const query = `{ path(slug: "${SEED}") { ...A } } fragment A on LearningPath { phases { ...B } } fragment B on Phase { learningPath { phases { learningPath { phases { learningPath { phases { learningPath { phases { title } } } } } } } } }`;
    const reply = await post(app, { query });
    expect(reply.status).toBe(400);
    expect(reply.body.errors?.[0]?.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', depth: 11 });
  });

  it('refuse a 2 MB query with 413 and a GraphQL error', async () => {
    const reply = await post(app, { query: `{ path(slug: "${SEED}") { ${'title '.repeat(350_000)} } }` });
    expect(reply.status).toBe(413);
    expect(reply.body.errors?.[0]?.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expectStillServing(app);
  });

  it('refuse a document of more than 2000 tokens that fits the body limit', async () => {
    const reply = await post(app, { query: `{ path(slug: "${SEED}") { ${'title '.repeat(5000)} } }` });
    expect(reply.status).toBe(400);
    expect(reply.body.errors?.[0]?.extensions).toMatchObject({ code: 'TOKEN_LIMIT_EXCEEDED' });
    await expectStillServing(app);
  });

  it('refuse a batch of 500 operations: batching is off', async () => {
    const reply = await post(app, Array.from({ length: 500 }, () => ({ query: normal })));
    expect(reply.status).toBe(400);
    expect(reply.body.errors?.[0]?.extensions).toMatchObject({ code: 'BATCH_LIMIT_EXCEEDED', limit: 0 });
    await expectStillServing(app);
  });

  it('refuse first above 100 written in the query', async () => {
    const reply = await post(app, { query: '{ paths(first: 1000) { totalCount } }' });
    expect(reply.status).toBe(400);
    expect(reply.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', max: 100 });
  });

  it('prevent CSRF: simple requests without a preflight header are refused', async () => {
    const form = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ query: normal }) });
    expect(form.statusCode).toBe(400);
    expect(form.json().errors[0].extensions.code).toBe('CSRF_PREVENTED');
    const urlencoded = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `query=${encodeURIComponent(normal)}` });
    expect(urlencoded.statusCode).toBe(400);
    expect(urlencoded.json().errors[0].extensions.code).toBe('CSRF_PREVENTED');
    const preflighted = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'text/plain', 'mercurius-require-preflight': 'true' }, payload: JSON.stringify({ query: normal }) });
    expect(preflighted.json().errors[0].extensions.code).not.toBe('CSRF_PREVENTED');
    // A GET only reads: it needs no header, and a mutation over GET is refused.
    const get = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(normal)}` });
    expect(get.statusCode).toBe(200);
    const mutation = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('mutation { __typename }')}` });
    expect(mutation.statusCode).toBe(405);
  });

  it('refuse a request that is not a GraphQL request, and a query given as a JSON AST', async () => {
    for (const payload of [{ query: 42 }, { query: normal, variables: [1] }, 'null', { query: '{"kind":"Document","definitions":[]}' }]) {
      const reply = await post(app, payload);
      expect(reply.status, JSON.stringify(payload)).toBe(400);
      expect(['BAD_REQUEST', 'GRAPHQL_PARSE_FAILED']).toContain(reply.body.errors?.[0]?.extensions?.['code']);
    }
    await expectStillServing(app);
  });
});

describe('configured limits', () => {
  const custom = buildShared({ catalog: graphqlFixtureCatalog(), graphql: { limits: { depth: 4, aliases: 2, batch: 10, maxFirst: 2 } } });

  it('apply the configured depth, aliases and page size', async () => {
    expect((await post(custom, { query: deepQuery(4) })).status).toBe(200);
    expect((await post(custom, { query: deepQuery(5) })).body.errors?.[0]?.extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED', limit: 4 });
    expect((await post(custom, { query: '{ a: paths { totalCount } b: paths { totalCount } }' })).status).toBe(200);
    expect((await post(custom, { query: '{ a: paths { totalCount } b: paths { totalCount } c: paths { totalCount } }' })).status).toBe(400);
    expect((await post(custom, { query: '{ paths(first: 3) { totalCount } }' })).status).toBe(400);
    expect((await post(custom, { query: '{ paths { edges { cursor } } }' })).body).toMatchObject({ data: { paths: { edges: [{}, {}] } } });
  });

  it('answer batches of up to 10 operations and refuse 11', async () => {
    const ten = await post(custom, Array.from({ length: 10 }, () => ({ query: normal })));
    expect(ten.status).toBe(200);
    expect(ten.body).toHaveLength(10);
    expect((ten.body as unknown as unknown[])[9]).toEqual({ data: { path: { title: 'Batch vs Stream Processing' } } });
    const eleven = await post(custom, Array.from({ length: 11 }, () => ({ query: normal })));
    expect(eleven.status).toBe(400);
    expect(eleven.body.errors?.[0]?.extensions).toMatchObject({ code: 'BATCH_LIMIT_EXCEEDED', limit: 10, operations: 11 });
  });

  it('refuse limits out of range when the app is built', async () => {
    await expect(build({ catalog: graphqlFixtureCatalog(), graphql: { limits: { batch: 500 } } })).rejects.toThrow();
  });
});

describe('rate limiting', () => {
  it('answers 429 with a GraphQL error and Retry-After once a client exceeds its share', async () => {
    const limited = await build({ catalog: graphqlFixtureCatalog(), rateLimit: { max: 2, timeWindow: 60_000 } });
    expect((await post(limited, { query: normal })).status).toBe(200);
    expect((await post(limited, { query: normal })).status).toBe(200);
    const response = await limited.inject({ method: 'POST', url: '/graphql', payload: { query: normal } });
    expect(response.statusCode).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.json().errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});

describe('errors leak nothing', () => {
  it('masks an error thrown while resolving, with the request id', async () => {
    const exploding = {
      slug: 'boom',
      phases: [],
      get title(): string {
        throw new Error('ENOENT: /srv/secret/content/boom.md');
      },
    };
    const catalog: Catalog = { paths: new Map([['boom', exploding as never]]), hashes: new Map(), files: new Map(), version: 'boom' };
    const broken = await build({ catalog });
    const reply = await post(broken, { query: '{ path(slug: "boom") { title } }' });
    expect(reply.raw).not.toContain('secret');
    expect(reply.raw).not.toContain('ENOENT');
    expect(reply.body.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(typeof reply.body.errors?.[0]?.extensions?.['requestId']).toBe('string');
  });

  it('hides "did you mean" suggestions in production only', async () => {
    const production = await build({ catalog: graphqlFixtureCatalog(), graphql: { production: true } });
    const typo = { query: '{ pth(slug: "x") { title } }' };
    expect((await post(app, typo)).body.errors?.[0]?.message).toContain('Did you mean');
    const hidden = await post(production, typo);
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors?.[0]?.message).toBe('Cannot query field "pth" on type "Query".');
  });
});
