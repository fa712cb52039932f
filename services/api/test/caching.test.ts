import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '@learnpath/content';
import { compilePath, toDocument } from '@learnpath/schema';
import { CatalogStore } from '../src/index.js';
import { build, buildShared } from './support/app.js';
import { fixturePaths, SEED, seedPath } from './support/fixtures.js';

const store = new CatalogStore(createCatalog(fixturePaths));
const app = buildShared({ store, cacheControl: 'public, max-age=5, stale-while-revalidate=30' });

const cacheable = [
  `/v1/paths`,
  `/v1/paths?tag=kafka`,
  `/v1/paths/${SEED}`,
  `/v1/paths/${SEED}/phases/foundations`,
  `/v1/paths/${SEED}/resources/batch-processing`,
  `/v1/paths/${SEED}/graph`,
  `/v1/paths/${SEED}/graph?format=mermaid`,
  `/v1/resources`,
];

describe('ETag and Cache-Control', () => {
  it.each(cacheable)('%s carries a strong ETag and the configured Cache-Control, and answers 304 to If-None-Match', async (url) => {
    const first = await app.inject(url);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    const again = await app.inject(url);
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe(first.body);

    const notModified = await app.inject({ url, headers: { 'if-none-match': etag } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');

    for (const header of [`W/${etag}`, `"other", ${etag}`, '*']) {
      expect((await app.inject({ url, headers: { 'if-none-match': header } })).statusCode).toBe(304);
    }
    expect((await app.inject({ url, headers: { 'if-none-match': '"0123456789abcdef0123456789abcdef"' } })).statusCode).toBe(200);
  });

  it('gives different representations different ETags', async () => {
    const etags = await Promise.all(cacheable.map(async (url) => (await app.inject(url)).headers.etag));
    expect(new Set(etags).size).toBe(cacheable.length);
  });

  it('serves HEAD with the same headers and no body', async () => {
    const get = await app.inject(`/v1/paths/${SEED}`);
    const head = await app.inject({ method: 'HEAD', url: `/v1/paths/${SEED}` });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('changes the ETag of a changed path, and only of that path, when a new catalog is swapped in', async () => {
    const before = await app.inject(`/v1/paths/${SEED}`);
    const otherBefore = await app.inject('/v1/paths/alpha-streams');
    const edited = compilePath({ ...toDocument(seedPath), title: 'Batch and Stream Processing' });
    store.swap(createCatalog([edited, ...fixturePaths.slice(1)]));
    try {
      const after = await app.inject({ url: `/v1/paths/${SEED}`, headers: { 'if-none-match': before.headers.etag as string } });
      expect(after.statusCode).toBe(200);
      expect(after.json().title).toBe('Batch and Stream Processing');
      expect(after.headers.etag).not.toBe(before.headers.etag);
      const other = await app.inject({ url: '/v1/paths/alpha-streams', headers: { 'if-none-match': otherBefore.headers.etag as string } });
      expect(other.statusCode).toBe(304);
      const list = await app.inject('/v1/paths?q=batch%20and%20stream');
      expect(list.json().total).toBe(1);
    } finally {
      store.swap(createCatalog(fixturePaths));
    }
  });

  it('does not cache progress, health or errors', async () => {
    const progress = await app.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, payload: { completed: [] } });
    expect(progress.headers.etag).toBeUndefined();
    expect(progress.headers['cache-control']).toBe('no-store');
    expect((await app.inject('/healthz')).headers['cache-control']).toBe('no-store');
    const missing = await app.inject('/v1/paths/unknown');
    expect(missing.headers.etag).toBeUndefined();
    expect(missing.headers['cache-control']).toBe('no-store');
  });

  it('defaults Cache-Control to public, max-age=60', async () => {
    const plain = await build();
    expect((await plain.inject(`/v1/paths/${SEED}`)).headers['cache-control']).toBe('public, max-age=60');
  });
});

describe('compression', () => {
  const url = `/v1/paths/${SEED}`;

  it('sends br or gzip only when asked, with its own ETag and Vary', async () => {
    const plain = await app.inject(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');

    const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(br.headers.etag).not.toBe(plain.headers.etag);

    const gzip = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);

    const identity = await app.inject({ url, headers: { 'accept-encoding': 'identity' } });
    expect(identity.headers['content-encoding']).toBeUndefined();
    const refused = await app.inject({ url, headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();

    // The validator of one coding revalidates the others: the content is the same.
    const revalidated = await app.inject({ url, headers: { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag as string } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.headers.etag).toBe(gzip.headers.etag);
  });

  it('leaves small bodies uncompressed', async () => {
    const small = await app.inject({ url: '/v1/paths?tag=kafka', headers: { 'accept-encoding': 'br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('compresses the OpenAPI document too', async () => {
    const doc = await app.inject({ url: '/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(doc.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(doc.rawPayload).toString()).openapi).toBe('3.1.0');
  });
});

describe('CORS', () => {
  it('allows any origin by default, and answers preflights', async () => {
    const response = await app.inject({ url: '/v1/paths', headers: { origin: 'https://lms.example.org' } });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-expose-headers']).toContain('ETag');
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: `/v1/paths/${SEED}/progress`,
      headers: { origin: 'https://lms.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('content-type');
    const getPreflight = await app.inject({
      method: 'OPTIONS',
      url: `/v1/paths/${SEED}`,
      headers: { origin: 'https://lms.example.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    });
    expect(getPreflight.statusCode).toBe(204);
    expect(getPreflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(getPreflight.headers['access-control-allow-headers']).toLowerCase()).toContain('if-none-match');
  });

  it.each(cacheable.concat(['/healthz', `/v1/paths/${SEED}/progress`]))('gives %s the same CORS headers', async (url) => {
    const method = url.endsWith('/progress') ? 'POST' : 'GET';
    const response = await app.inject({ method, url, headers: { origin: 'https://lms.example.org' }, ...(method === 'POST' ? { payload: { completed: [] } } : {}) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-expose-headers']).toBe('ETag, Content-Disposition, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset');
  });

  it('names the methods and request headers a preflight of /graphql allows, and the headers its answers expose', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/graphql',
      headers: { origin: 'https://lms.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, POST');
    expect(preflight.headers['access-control-allow-headers']).toBe(
      'Content-Type, If-None-Match, Authorization, mercurius-require-preflight, x-mercurius-operation-name, apollographql-client-name, apollographql-client-version',
    );
    expect(preflight.headers['access-control-max-age']).toBe('600');
    const answer = await app.inject({ method: 'POST', url: '/graphql', headers: { origin: 'https://lms.example.org' }, payload: { query: `{ path(slug: "${SEED}") { title } }` } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['access-control-expose-headers']).toBe('ETag, Content-Disposition, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset');
  });

  it('allows only the configured origins when given', async () => {
    const strict = await build({ corsOrigins: ['https://lms.example.org'] });
    for (const url of ['/v1/paths', `/v1/paths/${SEED}`, '/healthz']) {
      const allowed = await strict.inject({ url, headers: { origin: 'https://lms.example.org' } });
      expect(allowed.headers['access-control-allow-origin'], url).toBe('https://lms.example.org');
      expect(allowed.headers.vary, url).toContain('Origin');
      const other = await strict.inject({ url, headers: { origin: 'https://evil.example' } });
      expect(other.statusCode).toBe(200);
      expect(other.headers['access-control-allow-origin'], url).toBeUndefined();
      expect(other.headers.vary, url).toContain('Origin');
    }
    const compressible = await strict.inject({ url: `/v1/paths/${SEED}`, headers: { origin: 'https://lms.example.org' } });
    expect(compressible.headers.vary).toBe('Origin, accept-encoding');
  });
});
