import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';

// GraphQL over HTTP as clients meet it: every answer names its media type; with
// application/graphql-response+json a request that cannot run is a 4xx without `data`; with
// application/json (or no Accept) parse and validation failures are a 200 (the legacy rules).
const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

const deep = `{ path(slug: "${SEED}") { ${'phases { learningPath { '.repeat(5)}title${' } }'.repeat(5)} } }`;
const REQUEST_ERRORS: { name: string; payload: Record<string, unknown>; code: string }[] = [
  { name: 'a syntax error', payload: { query: '{ paths { ' }, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'an unknown field', payload: { query: '{ nope }' }, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a variable of the wrong type', payload: { query: 'query($s: ID!) { path(slug: $s) { title } }', variables: { s: null } }, code: 'BAD_USER_INPUT' },
  { name: 'a query over the depth limit', payload: { query: deep }, code: 'DEPTH_LIMIT_EXCEEDED' },
  { name: 'a query over the alias limit', payload: { query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }` }, code: 'ALIAS_LIMIT_EXCEEDED' },
  { name: 'a subscription (the schema has none)', payload: { query: 'subscription { paths { totalCount } }' }, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a JSON null instead of a document', payload: { query: 'null' }, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'a JSON number instead of a document', payload: { query: '7' }, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'two operations and no operationName', payload: { query: 'query A { __typename } query B { __typename }' }, code: 'OPERATION_RESOLUTION_FAILURE' },
];

let app: App;
beforeAll(async () => {
  app = await createTestApp({ catalog: fixtureCatalog(), rateLimit: false });
});
afterAll(async () => {
  await app.close();
});

function post(payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });
}

describe('GraphQL request errors', () => {
  for (const { name, payload, code } of REQUEST_ERRORS) {
    it(`${name}: 4xx, the media type and no data when application/graphql-response+json is accepted`, async () => {
      const response = await post(payload, { accept: 'application/graphql-response+json, application/json;q=0.9' });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe(GRAPHQL_RESPONSE);
      const body = response.json() as Record<string, unknown>;
      expect(body).not.toHaveProperty('data');
      expect(body).toMatchObject({ errors: [{ extensions: { code } }] });
    });

    it(`${name}: 200 with application/json when only JSON is accepted or Accept is missing`, async () => {
      for (const headers of [{ accept: 'application/json' }, {}, { accept: '*/*' }] as Record<string, string>[]) {
        const response = await post(payload, headers);
        expect(response.statusCode, JSON.stringify(headers)).toBe(200);
        expect(response.headers['content-type']).toBe(JSON_TYPE);
        expect(response.json()).toMatchObject({ errors: [{ extensions: { code } }] });
        expect(response.json()).not.toHaveProperty('data');
      }
    });
  }

  it('a body that is not JSON is a 400 in both media types, with its media type', async () => {
    for (const [accept, type] of [['application/json', JSON_TYPE], ['application/graphql-response+json', GRAPHQL_RESPONSE]] as const) {
      const response = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', accept }, payload: '{ "not' });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe(type);
      expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('refuses extensions that are not an object, over POST and GET', async () => {
    for (const extensions of ['x', 1, [1], true]) {
      const response = await post({ query: '{ __typename }', extensions });
      expect(response.statusCode, JSON.stringify(extensions)).toBe(400);
      expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
    for (const extensions of ['1', '"x"', '[1]', '{bad']) {
      const response = await app.inject({ url: `/graphql?query=${encodeURIComponent('{ __typename }')}&extensions=${encodeURIComponent(extensions)}` });
      expect(response.statusCode, extensions).toBe(400);
    }
    expect((await post({ query: '{ __typename }', extensions: { persistedQuery: null } })).statusCode).toBe(200);
  });

  it('an empty query is a 400 over POST and GET, and a batch holding one is refused whole', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const answers = [await post({ query: '' }, { accept }), await app.inject({ url: '/graphql?query=', headers: { accept } })];
      for (const response of answers) {
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({ errors: [{ message: expect.stringContaining('the query is empty'), extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const batching = await createTestApp({ catalog: fixtureCatalog(), rateLimit: false, graphql: { limits: { batch: 3 } } });
    try {
      const response = await batching.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify([{ query: '{ __typename }' }, { query: '' }]) });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ errors: [{ message: expect.stringContaining('at 1.query: the query is empty'), extensions: { code: 'BAD_REQUEST' } }] });
    } finally {
      await batching.close();
    }
  });

  it('refuses GET variables holding __proto__ or constructor.prototype, as a POST body holding them, every time', async () => {
    const query = encodeURIComponent('query($s: ID!) { path(slug: $s) { title } }');
    for (const variables of ['{"s":"x","__proto__":{"polluted":1}}', '{"s":"x","constructor":{"prototype":{"polluted":1}}}', '{"s":"x","nested":{"__proto__":1}}']) {
      for (let i = 0; i < 3; i++) {
        const response = await app.inject({ url: `/graphql?query=${query}&variables=${encodeURIComponent(variables)}` });
        expect(response.statusCode, variables).toBe(400);
        expect(response.json()).toEqual({ errors: [{ message: expect.stringContaining('forbidden key'), extensions: { code: 'BAD_REQUEST' } }] });
      }
      const body = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: `{"query":"{ __typename }","variables":${variables}}` });
      expect(body.statusCode, variables).toBe(400);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a good query and an unknown slug answer 200 with data', async () => {
    const response = await post({ query: 'query($s: ID!) { path(slug: $s) { title } }', variables: { s: 'no-such-path' } }, { accept: 'application/graphql-response+json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(GRAPHQL_RESPONSE);
    expect(response.json()).toEqual({ data: { path: null } });
  });
});

describe('GET queries and CSRF prevention', () => {
  it('runs a query over GET without any extra header, and refuses a mutation over GET', async () => {
    const query = await app.inject({ url: `/graphql?query=${encodeURIComponent(`{ path(slug: "${SEED}") { title } }`)}` });
    expect(query.statusCode).toBe(200);
    expect(query.json()).toEqual({ data: { path: { title: 'Batch vs Stream Processing' } } });
    const mutation = await app.inject({ url: `/graphql?query=${encodeURIComponent('mutation { __typename }')}`, headers: { accept: 'application/graphql-response+json' } });
    expect(mutation.statusCode).toBe(405);
    expect(mutation.headers['content-type']).toBe(GRAPHQL_RESPONSE);
  });

  it('refuses a POST a form could send (no preflight), before reading its body', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': type }, payload: '{"query":"{ __typename }"}' });
      expect(response.statusCode, type).toBe(400);
      expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'CSRF_PREVENTED' } }] });
    }
  });
});

describe('CORS preflight', () => {
  it('allows the headers GraphQL clients send and exposes Content-Disposition', async () => {
    for (const url of ['/graphql', `/v1/paths/${SEED}`, `/v1/paths/${SEED}/export/imscc`]) {
      const response = await app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,mercurius-require-preflight,authorization,apollographql-client-name,apollographql-client-version',
        },
      });
      expect(response.statusCode, url).toBe(204);
      const allowed = String(response.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['content-type', 'mercurius-require-preflight', 'authorization', 'apollographql-client-name', 'apollographql-client-version']));
    }
    const download = await app.inject({ url: `/v1/paths/${SEED}/export/imscc`, headers: { origin: 'https://app.example' } });
    expect(String(download.headers['access-control-expose-headers'])).toContain('Content-Disposition');
  });
});

describe('compression and CORS, written by /graphql itself', () => {
  const listing = { query: '{ paths(first: 50) { edges { node { slug title overview tags } } } }' };

  it('compresses answers of 1 KiB or more as Accept-Encoding prefers, and leaves smaller ones alone', async () => {
    const plain = await post(listing);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    for (const [acceptEncoding, coding] of [
      ['br, gzip', 'br'],
      ['gzip;q=1, br;q=0.5', 'gzip'],
      ['x-unknown', undefined],
      ['identity', undefined],
    ] as const) {
      const response = await post(listing, { 'accept-encoding': acceptEncoding });
      expect(response.statusCode, acceptEncoding).toBe(200);
      expect(response.headers['content-encoding'], acceptEncoding).toBe(coding);
      expect(response.headers['content-type']).toBe(JSON_TYPE);
      if (coding === undefined) {
        expect(response.rawPayload.equals(plain.rawPayload)).toBe(true);
        continue;
      }
      expect(response.headers['vary']).toBe('accept-encoding');
      expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
      const decoded = coding === 'br' ? brotliDecompressSync(response.rawPayload) : gunzipSync(response.rawPayload);
      expect(decoded.equals(plain.rawPayload), acceptEncoding).toBe(true);
    }
    const small = await post({ query: '{ __typename }' }, { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers every origin under "*", on answers and errors alike', async () => {
    for (const response of [await post(listing, { origin: 'https://app.example' }), await post({ query: '{ nope }' }, { origin: 'https://app.example' })]) {
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-expose-headers']).toContain('ETag');
    }
  });

  it('answers only the listed origins under a list, with Vary: Origin beside Accept-Encoding', async () => {
    const listed = await createTestApp({ catalog: fixtureCatalog(), rateLimit: false, corsOrigins: ['https://app.example'] });
    try {
      const ask = (headers: Record<string, string>, payload: unknown = listing) =>
        listed.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });
      const allowed = await ask({ origin: 'https://app.example', 'accept-encoding': 'gzip' });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(allowed.headers['vary']).toBe('Origin, accept-encoding');
      expect(allowed.headers['content-encoding']).toBe('gzip');
      const other = await ask({ origin: 'https://elsewhere.example' });
      expect(other.statusCode).toBe(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect(other.headers['vary']).toBe('Origin');
      // A refusal before the body is read carries them too, so a page can read why.
      const refused = await listed.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'text/plain', origin: 'https://app.example' }, payload: '{}' });
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['access-control-allow-origin']).toBe('https://app.example');
      const tooLarge = await ask({ origin: 'https://app.example' }, { query: '{ __typename }', pad: 'x'.repeat(3_000_000) });
      expect(tooLarge.statusCode).toBe(413);
      expect(tooLarge.headers['access-control-allow-origin']).toBe('https://app.example');
    } finally {
      await listed.close();
    }
  });
});
