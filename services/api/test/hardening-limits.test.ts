import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '@learnpath/content';
import { compilePath } from '@learnpath/schema';
import { viewOf } from '../src/index.js';
import { RESPONSE_CACHE_BYTES } from '../src/catalog/view.js';
import { DEFAULT_BODY_LIMIT, REQUEST_LIMITS } from '../src/http/request-limits.js';
import { build, buildShared } from './support/app.js';
import { SEED } from './support/fixtures.js';
import { expectNoLeak, expectProblem } from './support/problems.js';

// Request limits, from the side of someone sending what the API does not expect.

const app = buildShared({ rateLimit: false, publicBaseUrl: 'https://learn.example.org' });

const PROGRESS = `/v1/paths/${SEED}/progress`;
const json = { 'content-type': 'application/json' };

/** Every GET route of the REST API, with valid parameters. */
const GET_ROUTES = [
  '/v1/paths',
  '/v1/resources',
  `/v1/paths/${SEED}`,
  `/v1/paths/${SEED}/graph`,
  `/v1/paths/${SEED}/phases/foundations`,
  `/v1/paths/${SEED}/resources/batch-processing`,
  `/v1/paths/${SEED}/export/jsonld`,
];

describe('request bodies', () => {
  it('accepts a JSON body of exactly the body limit and refuses one byte more with 413 problem+json', async () => {
    const base = '{"completed":[]}';
    const exact = base + ' '.repeat(DEFAULT_BODY_LIMIT - base.length);
    expect(Buffer.byteLength(exact)).toBe(DEFAULT_BODY_LIMIT);
    expect((await app.inject({ method: 'POST', url: PROGRESS, headers: json, payload: exact })).statusCode).toBe(200);
    const over = await app.inject({ method: 'POST', url: PROGRESS, headers: json, payload: `${exact} ` });
    expectProblem(over, 413);
  });

  it('refuses an oversized body sent without Content-Length (chunked) with 413', async () => {
    let sent = 0;
    const chunks = new Readable({
      read() {
        sent += 16 * 1024;
        this.push(sent === 16 * 1024 ? '{"completed":[' : sent > 1024 * 1024 ? null : `${'"a",'.repeat(4096)}`);
      },
    });
    const response = await app.inject({ method: 'POST', url: PROGRESS, headers: { ...json, 'transfer-encoding': 'chunked' }, payload: chunks });
    expectProblem(response, 413);
  });

  it('refuses a Content-Length that announces more than the limit before reading it', async () => {
    const response = await app.inject({ method: 'POST', url: PROGRESS, headers: { ...json, 'content-length': String(10 * 1024 * 1024) }, payload: '{"completed":[]}' });
    expect([400, 413]).toContain(response.statusCode);
    expectProblem(response, response.statusCode);
  });

  it('413 on /graphql too, beyond its body limit', async () => {
    const query = `{ path(slug: "${SEED}") { title } }${' '.repeat(DEFAULT_BODY_LIMIT)}`;
    const response = await app.inject({ method: 'POST', url: '/graphql', headers: json, payload: JSON.stringify({ query }) });
    expect(response.statusCode).toBe(413);
  });

  it('reads a progress request with the most ids of the longest slugs over REST and GraphQL: the limits agree with the body limit', async () => {
    const slug = (i: number): string => `${'x'.repeat(110)}-${String(i).padStart(9, '0')}`;
    const completed = Array.from({ length: REQUEST_LIMITS.completedIds }, (_, i) => slug(i));
    const completedPaths = Array.from({ length: REQUEST_LIMITS.completedPaths }, (_, i) => slug(i));
    expect(slug(0)).toHaveLength(120);
    // Read whole, then refused for what the ids say (none names a resource), not for their size.
    const rest = expectProblem(await app.inject({ method: 'POST', url: PROGRESS, headers: json, payload: { completed, completedPaths } }), 400);
    expect(rest.type).toBe('urn:learnpath:problem:unknown-resource-ids');
    const graphql = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: json,
      payload: { query: `query ($c: [ID!]!, $p: [ID!]) { progress(path: "${SEED}", completed: $c, completedPaths: $p) { percent } }`, variables: { c: completed, p: completedPaths } },
    });
    expect(graphql.json().errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'completed' });
    // One id more is refused by both, as a limit on the list.
    const tooMany = [...completed, slug(REQUEST_LIMITS.completedIds)];
    expectProblem(await app.inject({ method: 'POST', url: PROGRESS, headers: json, payload: { completed: tooMany } }), 400);
    const graphqlTooMany = await app.inject({ method: 'POST', url: '/graphql', headers: json, payload: { query: `query ($c: [ID!]!) { progress(path: "${SEED}", completed: $c) { percent } }`, variables: { c: tooMany } } });
    expect(graphqlTooMany.json().errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', max: REQUEST_LIMITS.completedIds });
  });

  it.each([
    ['__proto__ at the top', '{"completed":[],"__proto__":{"polluted":true}}'],
    ['__proto__ nested', '{"completed":[],"completedPaths":[],"x":{"__proto__":{"polluted":true}}}'],
    ['constructor.prototype', '{"completed":[],"constructor":{"prototype":{"polluted":true}}}'],
    ['constructor.prototype nested', '{"completed":[],"a":[{"constructor":{"prototype":{"polluted":true}}}]}'],
    ['escaped __proto__ key', '{"completed":[],"\\u005f_proto__":{"polluted":true}}'],
  ])('refuses prototype poisoning (%s) with 400 and pollutes nothing', async (_name, payload) => {
    const response = await app.inject({ method: 'POST', url: PROGRESS, headers: json, payload });
    expectProblem(response, 400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['an unknown top-level field', { completed: [], admin: true }],
    ['a misspelt field', { complete: ['batch-processing'] }],
    ['an unknown field next to valid ones', { completed: ['batch-processing'], completedPaths: [], extra: 1 }],
  ])('refuses %s with 400 naming it, never dropping it silently', async (_name, body) => {
    const response = await app.inject({ method: 'POST', url: PROGRESS, headers: json, payload: JSON.stringify(body) });
    const problem = expectProblem(response, 400) as { errors?: { in: string; message: string }[] };
    expect(problem.errors?.[0]?.in).toBe('body');
    expect(JSON.stringify(problem.errors)).toMatch(/admin|complete|extra|Unrecognized/);
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"completed"'],
    ['a number', '1e999'],
    ['ids of the wrong type', '{"completed":[1,2,3]}'],
    ['ids that are not slugs', '{"completed":["../../etc/passwd","<script>"]}'],
    ['too many ids', JSON.stringify({ completed: Array.from({ length: 10_001 }, () => 'a') })],
    ['deeply nested arrays', `{"completed":[],"x":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['deeply nested ids', `{"completed":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['a duplicated key', '{"completed":[],"completed":[]}'],
  ])('refuses %s with a 4xx problem, never a 5xx', async (_name, payload) => {
    const response = await app.inject({ method: 'POST', url: PROGRESS, headers: json, payload });
    if (response.statusCode === 200) {
      // A duplicated key is valid JSON (the last one wins); anything else must be refused.
      expect(_name).toBe('a duplicated key');
      return;
    }
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expectProblem(response, response.statusCode);
    expectNoLeak(response.body);
  });
});

describe('media types', () => {
  it.each([
    ['text/plain', 'completed=batch-processing'],
    ['application/x-www-form-urlencoded', 'completed=batch-processing'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="completed"\r\n\r\na\r\n--x--'],
    ['application/xml', '<completed/>'],
    ['application/json-patch+json', '[]'],
    ['text/json', '{"completed":[]}'],
  ])('415 problem+json for a body sent as %s', async (contentType, payload) => {
    const response = await app.inject({ method: 'POST', url: PROGRESS, headers: { 'content-type': contentType }, payload });
    expectProblem(response, 415);
  });

  it('415 for a body with no Content-Type at all', async () => {
    expectProblem(await app.inject({ method: 'POST', url: PROGRESS, payload: '{"completed":[]}' }), 415);
  });

  it.each(GET_ROUTES)('406 problem+json on %s when Accept rules out what it produces', async (url) => {
    expectProblem(await app.inject({ url, headers: { accept: 'image/png' } }), 406);
  });

  it('406 on progress when Accept rules out JSON', async () => {
    expectProblem(await app.inject({ method: 'POST', url: PROGRESS, headers: { ...json, accept: 'text/html' }, payload: '{"completed":[]}' }), 406);
  });
});

describe('URL and parameter lengths', () => {
  it.each([
    ['a 10 KB slug', `/v1/paths/${'a'.repeat(10_000)}`],
    ['a 10 KB phase id', `/v1/paths/${SEED}/phases/${'b'.repeat(10_000)}`],
    ['a 10 KB resource id', `/v1/paths/${SEED}/resources/${'c'.repeat(10_000)}`],
    ['a 10 KB slug on the graph', `/v1/paths/${'a'.repeat(10_000)}/graph`],
    ['a 10 KB export format', `/v1/paths/${SEED}/export/${'d'.repeat(10_000)}`],
    ['a 10 KB slug on progress', `/v1/paths/${'a'.repeat(10_000)}/progress`],
  ])('%s gets a 4xx problem, not a 500', async (_name, url) => {
    const method = url.endsWith('/progress') ? 'POST' : 'GET';
    const response = await app.inject({ method, url, headers: json, payload: method === 'POST' ? '{"completed":[]}' : undefined });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expectProblem(response, response.statusCode);
    // The problem repeats the address it is about, but not a 10 KB one in full.
    expect(response.body.length).toBeLessThan(4096);
  });

  it.each([
    ['a 100 KB value', `/v1/paths?q=${'x'.repeat(100_000)}`],
    ['a 10 KB bad value', `/v1/paths?level=${'k'.repeat(10_000)}`],
    ['a 10 KB unknown key in a body', null],
  ])('%s in a request gets a short 4xx problem', async (_name, url) => {
    const response =
      url === null
        ? await app.inject({ method: 'POST', url: PROGRESS, headers: json, payload: `{"completed":[],"${'k'.repeat(10_000)}":1}` })
        : await app.inject(url);
    expectProblem(response, 400);
    expect(response.body.length).toBeLessThan(4096);
  });

  it.each([
    ['path traversal', `/v1/paths/..%2F..%2Fetc%2Fpasswd`],
    ['a NUL byte', `/v1/paths/%00`],
    ['upper case', `/v1/paths/BATCH-VS-STREAM-PROCESSING`],
    ['a quote and CRLF', `/v1/paths/a%22%0D%0ASet-Cookie:%20x=1`],
    ['a malformed escape', `/v1/paths/%E0%A4%A`],
    ['a traversal in the export format', `/v1/paths/${SEED}/export/..%2F..%2Fpackage.json`],
  ])('%s in a parameter is a 4xx problem', async (_name, url) => {
    const response = await app.inject(url);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expectProblem(response, response.statusCode);
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});

describe('query strings', () => {
  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=NaN', 'limit'],
    ['limit=Infinity', 'limit'],
    ['limit=1e308', 'limit'],
    ['limit=99999999999999999999999', 'limit'],
    ['limit=0x10', 'limit'],
    ['limit=1e1', 'limit'],
    ['limit=%2010', 'limit'],
    ['limit=', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['sort=newest', 'sort'],
    ['sort=title&sort=-title', 'sort'],
    ['sort=TITLE', 'sort'],
    ['sort=', 'sort'],
    ['maxMinutes=-5', 'maxMinutes'],
    ['maxMinutes=NaN', 'maxMinutes'],
    ['maxMinutes=1e400', 'maxMinutes'],
    ['maxMinutes=0x1F', 'maxMinutes'],
    ['level=expert', 'level'],
    ['kind=lecture', 'kind'],
    ['tag=Not%20A%20Slug', 'tag'],
    ['cursor=', 'cursor'],
  ])('GET /v1/paths?%s is a 400 naming %s', async (query, name) => {
    const response = await app.inject(`/v1/paths?${query}`);
    const problem = expectProblem(response, 400);
    expect(JSON.stringify(problem)).toContain(name.replace(/\[\]$/, ''));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  // Unknown parameters are ignored (cache-busters, campaign tags); hostile keys pollute nothing.
  it.each(['limit[]=1', 'q=', '__proto__=1', '__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'unknown=1', '_=1733000000000', 'utm_source=x'])(
    'GET /v1/paths?%s is ignored',
    async (query) => {
      const response = await app.inject(`/v1/paths?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).toBe((await app.inject('/v1/paths')).body);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );

  it.each(['limit=1', 'limit=100', 'limit=050', 'sort=-totalMinutes', 'maxMinutes=0', 'maxMinutes=12.5', 'q=%20kafka%20'])('GET /v1/paths?%s is fine', async (query) => {
    expect((await app.inject(`/v1/paths?${query}`)).statusCode).toBe(200);
  });

  it('a cursor that is not one of ours is a 400, whatever it holds', async () => {
    for (const cursor of ['x', 'eyJfX3Byb3RvX18iOnt9fQ', '%FF%FE', 'a'.repeat(1000), '{"offset":-1}']) {
      const response = await app.inject(`/v1/paths?cursor=${encodeURIComponent(cursor)}`);
      expectProblem(response, 400);
    }
  });

  it('a thousand unknown parameters are ignored: the answer is that of the bare listing', async () => {
    const response = await app.inject(`/v1/resources?${Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&')}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual((await app.inject('/v1/resources')).json());
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'kind=lecture', 'maxMinutes=-1', 'path=NOT_A_SLUG'])('GET /v1/resources?%s is a 400', async (query) => {
    expectProblem(await app.inject(`/v1/resources?${query}`), 400);
  });

  it.each(['format=svg', 'format=json&format=mermaid'])('GET /v1/paths/{slug}/graph?%s is a 400', async (query) => {
    expectProblem(await app.inject(`/v1/paths/${SEED}/graph?${query}`), 400);
  });
});

describe('the public base URL of exports', () => {
  it('a forged Host header does not end up in an export when a public base URL is set', async () => {
    const response = await app.inject({ url: `/v1/paths/${SEED}/export/jsonld`, headers: { host: 'evil.example' } });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('evil.example');
    expect(response.body).toContain('https://learn.example.org');
  });
});

describe('memory under many distinct queries', () => {
  it('the serialised responses of one content version stay within their byte budget', async () => {
    // One path of 100 resources with long focus texts: a page of 100 resources is ~250 KB.
    const focus = 'Read closely. '.repeat(140);
    const path = compilePath({
      slug: 'big',
      title: 'Big',
      phases: [{ title: 'All', resources: Array.from({ length: 100 }, (_, i) => ({ title: `Resource ${i}`, kind: 'article' as const, durationMinutes: i, focus })) }],
    });
    const catalog = createCatalog([path]);
    const big = await build({ catalog, rateLimit: false });
    // Spellings of the same page and near-identical queries, each a cache key of its own.
    let pageBytes = 0;
    for (let i = 0; i < 200; i++) {
      const response = await big.inject(`/v1/resources?limit=${'0'.repeat(i % 10)}100&q=${'read'.slice(0, 1 + (i % 4))}${i >= 40 ? `&maxMinutes=${1000 + i}` : ''}`);
      expect(response.statusCode).toBe(200);
      pageBytes = Math.max(pageBytes, response.rawPayload.length);
    }
    expect(pageBytes).toBeGreaterThan(200_000);
    expect(viewOf(catalog).responses.bytes).toBeLessThanOrEqual(RESPONSE_CACHE_BYTES);
    expect(viewOf(catalog).responses.size).toBeGreaterThan(0);
  });
});
