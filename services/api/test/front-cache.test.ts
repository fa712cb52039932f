import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '@learnpath/content';
import { CatalogStore } from '../src/index.js';
import { build, listenApp, type ListeningApp } from './support/app.js';
import { fixturePaths, SEED } from './support/fixtures.js';

// The front cache answers repeated GETs before Fastify routes them. Whatever answers, a client
// must not be able to tell: same status, headers and bytes as the route itself.

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a fresh connection, nothing added or decoded (fetch would add Accept-Encoding and decompress). */
function raw(base: string, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Written by node for every response, whoever answers.
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive']);
function comparable(response: RawResponse): { status: number; headers: Record<string, unknown>; body: string } {
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !PER_CONNECTION.has(name)));
  return { status: response.status, headers, body: response.body.toString('base64') };
}

const urls = [
  `/v1/paths/${SEED}`,
  `/v1/paths/${SEED}/phases/foundations`,
  `/v1/paths/${SEED}/resources/batch-processing`,
  '/v1/paths',
  '/v1/paths?tag=kafka&limit=1',
  '/v1/paths?q=stream',
  '/v1/resources?kind=video',
];

describe('the front cache', () => {
  let served: ListeningApp;
  const store = new CatalogStore(createCatalog(fixturePaths));
  beforeAll(async () => {
    served = await listenApp({ store, corsOrigins: ['https://app.example.org'] });
  });
  afterAll(() => served.app.close());

  it('is on for a listening app without rate limiting or request logging', () => {
    expect(served.app.frontCache).toBeDefined();
  });

  const variants: Record<string, Record<string, string>> = {
    'no headers': {},
    'Accept-Encoding: br': { 'accept-encoding': 'br' },
    'Accept-Encoding: gzip;q=1, br;q=0.5': { 'accept-encoding': 'gzip;q=1, br;q=0.5' },
    'Accept: application/json': { accept: 'application/json' },
    'an allowed Origin': { origin: 'https://app.example.org' },
    'another Origin': { origin: 'https://elsewhere.example.org' },
  };

  it.each(urls)('answers %s again with the bytes and headers the route sent, for every negotiation', async (url) => {
    for (const [name, headers] of Object.entries(variants)) {
      const before = served.app.frontCache!.answered;
      const fromRoute = await served.app.inject({ url, headers });
      expect(fromRoute.statusCode, name).toBe(200);
      // The first request over the socket may reach the route (nothing remembered yet); the
      // second is the front cache's.
      await raw(served.base, url, headers);
      const fromFront = await raw(served.base, url, headers);
      expect(served.app.frontCache!.answered, name).toBeGreaterThan(before);
      expect(comparable(fromFront), name).toEqual(comparable({ status: fromRoute.statusCode, headers: fromRoute.headers as IncomingHttpHeaders, body: fromRoute.rawPayload }));
    }
  });

  it('reads request headers in any case, and a header sent twice as node joins it', async () => {
    const url = `/v1/paths/${SEED}`;
    const port = Number(served.host.split(':')[1]);
    const exchange = (headerLines: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port });
        let text = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => {
          text += chunk;
          const at = text.indexOf('\r\n\r\n');
          // A 304 has no body (and no Content-Length).
          const length = /^HTTP\/1\.1 304/.test(text) ? 0 : Number(/content-length: (\d+)/i.exec(text)?.[1] ?? NaN);
          if (at >= 0 && text.length - at - 4 >= length) {
            socket.destroy();
            resolve(text.slice(0, at).toLowerCase());
          }
        });
        socket.on('error', reject);
        socket.write(`GET ${url} HTTP/1.1\r\nHost: ${served.host}\r\n${headerLines}\r\n`);
      });
    const first = await exchange('');
    const etag = /etag: (\S+)/.exec(first)![1]!;
    const before = served.app.frontCache!.answered;
    expect(await exchange('ACCEPT-ENCODING: gzip\r\n')).toContain('content-encoding: gzip');
    // Joined as "identity, br": br is the one to answer with.
    expect(await exchange('Accept-Encoding: identity\r\naccept-encoding: br\r\n')).toContain('content-encoding: br');
    expect(await exchange(`If-None-Match: "nope"\r\nIF-NONE-MATCH: ${etag}\r\n`)).toMatch(/^http\/1\.1 304/);
    expect(served.app.frontCache!.answered).toBe(before + 3);
  });

  it('answers If-None-Match with 304 and the route headers, and a changed ETag with the body', async () => {
    const url = `/v1/paths/${SEED}`;
    const first = await raw(served.base, url);
    const etag = first.headers.etag as string;
    const before = served.app.frontCache!.answered;
    const notModified = await raw(served.base, url, { 'if-none-match': etag });
    const fromRoute = await served.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(served.app.frontCache!.answered).toBe(before + 1);
    expect(comparable(notModified)).toEqual(comparable({ status: fromRoute.statusCode, headers: fromRoute.headers as IncomingHttpHeaders, body: fromRoute.rawPayload }));
    const changed = await raw(served.base, url, { 'if-none-match': '"0123456789abcdef0123456789abcdef"' });
    expect(changed.status).toBe(200);
    expect(changed.body.equals(first.body)).toBe(true);
  });

  it('leaves a 406, HEAD and a GET with a body to the routes', async () => {
    const url = `/v1/paths/${SEED}`;
    await raw(served.base, url);
    const before = served.app.frontCache!.answered;
    const refused = await raw(served.base, url, { accept: 'text/csv' });
    expect(refused.status).toBe(406);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const head = await raw(served.base, url, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(served.app.frontCache!.answered).toBe(before);
  });

  it('never answers with a content version that is no longer served', async () => {
    const url = `/v1/paths/${SEED}`;
    const before = await raw(served.base, url);
    await raw(served.base, url);
    const [seed, ...rest] = fixturePaths;
    store.swap(createCatalog([{ ...seed!, title: 'Batch and Stream, Revised' }, ...rest]));
    try {
      const after = await raw(served.base, url);
      expect(after.status).toBe(200);
      expect(JSON.parse(after.body.toString()).title).toBe('Batch and Stream, Revised');
      expect(after.headers.etag).not.toBe(before.headers.etag);
      const again = await raw(served.base, url);
      expect(again.body.equals(after.body)).toBe(true);
    } finally {
      store.swap(createCatalog(fixturePaths));
    }
  });

  it('keeps the cached routes free of hooks, so that answering before routing skips nothing', () => {
    const routes = served.app.printRoutes({ includeHooks: true, commonPrefix: false, method: 'GET' });
    const lines = routes.split('\n');
    for (const route of ['paths (GET', ':slug (GET', ':phaseId (GET', ':resourceId (GET', 'resources (GET']) {
      const at = lines.findIndex((line) => line.includes(route));
      expect(at, route).toBeGreaterThanOrEqual(0);
      // printRoutes lists a route's hooks on the lines right below it, marked with "•".
      expect(lines[at + 1] ?? '', route).not.toMatch(/•/);
    }
  });
});

describe('the front cache for GraphQL queries', () => {
  let served: ListeningApp;
  const store = new CatalogStore(createCatalog(fixturePaths));
  beforeAll(async () => {
    served = await listenApp({ store, corsOrigins: ['https://app.example.org'] });
  });
  afterAll(() => served.app.close());

  const query = (slug: string) => JSON.stringify({ query: `query One($slug: ID!) { path(slug: $slug) { title phases { title resources { title kind } } } }`, variables: { slug } });
  const post = (headers: Record<string, string>, body: string) => raw(served.base, '/graphql', { 'content-type': 'application/json', ...headers }, 'POST', body);

  const variants: Record<string, Record<string, string>> = {
    'plain JSON': {},
    'Accept: application/graphql-response+json': { accept: 'application/graphql-response+json' },
    'Accept-Encoding: gzip': { 'accept-encoding': 'gzip' },
    'an allowed Origin': { origin: 'https://app.example.org' },
    'another Origin': { origin: 'https://elsewhere.example.org' },
  };

  it('answers a repeated query again with the status, headers and bytes the route sent', async () => {
    for (const [name, headers] of Object.entries(variants)) {
      const body = query(SEED);
      const fromRoute = await served.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: body });
      expect(fromRoute.statusCode, name).toBe(200);
      // Asked again, the result cache answers and the route marks the answer as one to keep;
      // asked a third time, it is read ahead and kept; from then on the front cache answers.
      await post(headers, body);
      await post(headers, body);
      const before = served.app.frontCache!.answered;
      const fromFront = await post(headers, body);
      expect(served.app.frontCache!.answered, name).toBe(before + 1);
      const expected = comparable({ status: fromRoute.statusCode, headers: fromRoute.headers as IncomingHttpHeaders, body: fromRoute.rawPayload });
      const got = comparable(fromFront);
      // Fastify streams a compressed answer (chunked); the front cache sends it with its length.
      delete expected.headers['transfer-encoding'];
      delete got.headers['content-length'];
      delete expected.headers['content-length'];
      if (fromRoute.headers['content-encoding'] === 'gzip') {
        expect(gunzipSync(fromFront.body).toString(), name).toBe(gunzipSync(fromRoute.rawPayload).toString());
        expected.body = got.body;
      }
      expect(got, name).toEqual(expected);
    }
  });

  it('hands every other request to the route with its body intact', async () => {
    const before = served.app.frontCache!.answered;
    // Errors are never kept: each is answered by the route.
    for (let i = 0; i < 2; i++) {
      const invalid = await post({}, JSON.stringify({ query: '{ path(slug: "nope") { titel } }' }));
      expect(JSON.parse(invalid.body.toString()).errors[0].message).toMatch(/titel/);
    }
    // A query is kept only once the result cache has answered it: distinct queries, each asked
    // once and then a second time, are all answered by the route.
    const distinct = fixturePaths.filter((path) => path.slug !== SEED).map((path) => query(path.slug));
    for (const body of [...distinct, ...distinct]) expect((await post({}, body)).status).toBe(200);
    // Credentials, other media types and large bodies go straight on.
    for (let i = 0; i < 2; i++) {
      const withKey = await post({ authorization: 'Bearer not-a-key' }, query(SEED));
      expect(withKey.status).toBe(200);
      const padded = JSON.stringify({ query: `{ path(slug: "${SEED}") { title } }`, variables: { pad: 'x'.repeat(20_000) } });
      const large = await post({}, padded);
      expect(large.status).toBe(200);
      expect(JSON.parse(large.body.toString()).data.path.title).toBeTruthy();
    }
    expect(served.app.frontCache!.answered).toBe(before);
  });

  it('keeps the answers of different queries of the same length apart', async () => {
    // "title" and "level": two bodies of one length, each with an answer of its own.
    const asking = (field: string) => JSON.stringify({ query: `query Same($slug: ID!) { path(slug: $slug) { ${field} } }`, variables: { slug: SEED, same: 'length' } });
    const [title, level] = [asking('title'), asking('level')];
    expect(title.length).toBe(level.length);
    for (const body of [title, title, title, level, level, level]) expect((await post({}, body)).status).toBe(200);
    const before = served.app.frontCache!.answered;
    const seed = fixturePaths.find((path) => path.slug === SEED)!;
    for (const [body, expected] of [
      [title, { title: seed.title }],
      [level, { level: seed.level }],
      [title, { title: seed.title }],
      [level, { level: seed.level }],
    ] as const) {
      const reply = await post({}, body);
      expect(JSON.parse(reply.body.toString())).toEqual({ data: { path: expected } });
    }
    expect(served.app.frontCache!.answered).toBe(before + 4);
    // The same body with another negotiated header is another answer, given by the route first.
    const gzip = await post({ 'accept-encoding': 'gzip' }, title);
    expect(JSON.parse((gzip.headers['content-encoding'] === 'gzip' ? gunzipSync(gzip.body) : gzip.body).toString())).toEqual({ data: { path: { title: seed.title } } });
    expect(served.app.frontCache!.answered).toBe(before + 4);
  });

  it('stops reading ahead bodies of a length that keeps missing, until the route marks one of that length again', async () => {
    const tagged = (tag: number) => JSON.stringify({ query: `query One($slug: ID!) { path(slug: $slug) { title } }`, variables: { slug: SEED, tag: String(tag).padStart(4, '0') } });
    const popular = tagged(0);
    for (let i = 0; i < 3; i++) expect((await post({}, popular)).status).toBe(200);
    const answered = served.app.frontCache!.answered;
    expect(JSON.parse((await post({}, popular)).body.toString()).data.path.title).toBeTruthy();
    expect(served.app.frontCache!.answered).toBe(answered + 1);
    // One-off queries of the same length: read ahead and missed, then passed on unread.
    const missed = served.app.frontCache!.missed;
    for (let tag = 1; tag <= 100; tag++) {
      const reply = await post({}, tagged(tag));
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body.toString()).data.path.title).toBeTruthy();
    }
    expect(served.app.frontCache!.missed - missed).toBeLessThan(100);
    const unread = served.app.frontCache!.missed;
    for (let tag = 101; tag <= 110; tag++) expect((await post({}, tagged(tag))).status).toBe(200);
    expect(served.app.frontCache!.missed).toBe(unread);
    // The popular query goes to the route, whose result cache marks its length again; the
    // front cache answers it from the next ask on.
    const before = served.app.frontCache!.answered;
    const fromRoute = await post({}, popular);
    expect(served.app.frontCache!.answered).toBe(before);
    const fromFront = await post({}, popular);
    expect(served.app.frontCache!.answered).toBe(before + 1);
    expect(fromFront.body.equals(fromRoute.body)).toBe(true);
  });

  it('reads a body that arrives in pieces, and answers the request that follows it on the connection', async () => {
    const body = query(SEED);
    for (let i = 0; i < 3; i++) await post({}, body);
    const before = served.app.frontCache!.answered;
    const head = `POST /graphql HTTP/1.1\r\nHost: ${served.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const socket = connect({ host: '127.0.0.1', port: Number(served.host.split(':')[1]) });
    let text = '';
    socket.setEncoding('latin1');
    const twoAnswers = new Promise<string>((resolve, reject) => {
      socket.on('data', (chunk: string) => {
        text += chunk;
        const starts = [...text.matchAll(/HTTP\/1\.1 200/g)];
        if (starts.length < 2) return;
        const second = text.slice(starts[1]!.index);
        const length = Number(/content-length: (\d+)/i.exec(second)?.[1] ?? NaN);
        const bodyAt = second.indexOf('\r\n\r\n');
        if (bodyAt >= 0 && second.length - bodyAt - 4 >= length) resolve(text);
      });
      socket.on('error', reject);
    });
    socket.write(head + body.slice(0, 10));
    await new Promise<void>((resolve) => socket.write(body.slice(10, 40), () => resolve()));
    socket.write(body.slice(40) + `GET /v1/paths/${SEED} HTTP/1.1\r\nHost: ${served.host}\r\n\r\n`);
    const answers = await twoAnswers;
    socket.destroy();
    // The query was read ahead, in pieces, and answered from memory.
    expect(served.app.frontCache!.answered).toBeGreaterThan(before);
    expect(answers).toContain('"data":{"path":{"title"');
    expect(answers).toContain(`"slug":"${SEED}"`);
  });

  it('never answers a query with a content version that is no longer served', async () => {
    const body = query(SEED);
    await post({}, body);
    await post({}, body);
    const [seed, ...rest] = fixturePaths;
    store.swap(createCatalog([{ ...seed!, title: 'Batch and Stream, Revised' }, ...rest]));
    try {
      const after = await post({}, body);
      expect(JSON.parse(after.body.toString()).data.path.title).toBe('Batch and Stream, Revised');
      const again = await post({}, body);
      expect(again.body.equals(after.body)).toBe(true);
    } finally {
      store.swap(createCatalog(fixturePaths));
    }
  });
});

describe('without the front cache', () => {
  it('is off with rate limiting, so that every request is counted', async () => {
    const app = await build({ rateLimit: { max: 3, timeWindow: '1 minute' } });
    expect(app.frontCache).toBeUndefined();
  });

  it('is off when the app is built with frontCache: false', async () => {
    const app = await build({ rateLimit: false, frontCache: false });
    expect(app.frontCache).toBeUndefined();
  });

  it('counts every request against the rate limit on a listening server', async () => {
    const { app, base } = await listenApp({ rateLimit: { max: 3, timeWindow: '1 minute' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await raw(base, `/v1/paths/${SEED}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await app.close();
    }
  });
});
