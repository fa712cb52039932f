import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
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
function raw(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
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
