import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { build, buildShared } from './support/app.js';
import { graphqlFixtureCatalog, SEED } from './support/fixtures.js';

const app = buildShared({ catalog: graphqlFixtureCatalog() });

describe('/graphiql', () => {
  it('is a page under a strict Content-Security-Policy that loads only this service', async () => {
    const page = await app.inject({ url: '/graphiql' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(page.body).not.toMatch(/<script>/);
    // The default query shows off the seed.
    expect(page.body).toContain(`path(slug: &quot;${SEED}&quot;)`);
    const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(6);
    for (const source of sources) {
      const asset = await app.inject({ url: source });
      expect(asset.statusCode, source).toBe(200);
      expect(asset.headers['content-type'], source).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      expect(asset.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves GraphiQL and React from the installed packages, compressed once, with ETags', async () => {
    const plain = await app.inject({ url: '/graphiql/assets/graphiql.min.js' });
    expect(plain.body).toContain('createFetcher');
    const gzip = await app.inject({ url: '/graphiql/assets/graphiql.min.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    const again = await app.inject({ url: '/graphiql/assets/graphiql.min.js', headers: { 'if-none-match': String(plain.headers['etag']) } });
    expect(again.statusCode).toBe(304);
    const react = await app.inject({ url: '/graphiql/assets/react.production.min.js' });
    expect(react.body).toContain('react.production.min.js');
  });

  it('answers 404 for anything else under /graphiql/assets', async () => {
    for (const url of ['/graphiql/assets/nope.js', '/graphiql/assets/..%2Fpackage.json', '/graphiql/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  it('can be turned off', async () => {
    const quiet = await build({ catalog: graphqlFixtureCatalog(), graphql: { graphiql: false } });
    expect((await quiet.inject({ url: '/graphiql' })).statusCode).toBe(404);
    expect((await quiet.inject({ method: 'POST', url: '/graphql', payload: { query: '{ paths { totalCount } }' } })).json()).toEqual({ data: { paths: { totalCount: 3 } } });
  });
});
