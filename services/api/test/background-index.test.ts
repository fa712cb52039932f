import { describe, expect, it } from 'vitest';
import { CatalogStore } from '../src/catalog/store.js';
import { build } from './support/app.js';
import { numberedCatalog } from './support/fixtures.js';
import { gql, postGraphql } from './support/graphql.js';

// A new content version is summarised and indexed for search in the background, a slice at a
// time: a listing or a search that arrives meanwhile waits for it and answers as it would
// after, while the routes that need neither (a path, the health check) answer at once.

const COUNT = 1500;
// Large enough that indexing takes several slices of the event loop on a fast machine, so that a
// wait of 1 ms is always outlasted (a build done within the first slice answers at once).
const LARGE = 12_000;

describe('listings and searches during the background build', () => {
  it('answers a path before a search that arrived first, and the search in full', async () => {
    const app = await build({ store: new CatalogStore(numberedCatalog(COUNT)), docs: false, rateLimit: false });
    const done: string[] = [];
    const search = app.inject('/v1/paths?q=path%2001&limit=5').then((r) => (done.push('search'), r));
    const resources = app.inject('/v1/resources?q=resource&limit=2').then((r) => (done.push('resources'), r));
    const path = app.inject('/v1/paths/path-100').then((r) => (done.push('path'), r));
    const [searched, listed, one] = await Promise.all([search, resources, path]);
    expect(done[0]).toBe('path');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ slug: 'path-100', title: 'Path 100' });
    expect(searched.statusCode).toBe(200);
    // Every title has "path"; numbers match exactly or as a prefix, and only "Path 01" has one starting "01".
    expect(searched.json()).toMatchObject({ total: 1, items: [{ slug: 'path-01', title: 'Path 01' }] });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ total: COUNT });
  });

  it('answers a search of paths once the paths are indexed, before the resources are', async () => {
    const app = await build({ store: new CatalogStore(numberedCatalog(LARGE)), docs: false, rateLimit: false });
    const done: string[] = [];
    // The search of resources arrives first; the one of paths needs only the paths' index.
    const resources = app.inject('/v1/resources?q=resource&limit=2').then((r) => (done.push('resources'), r));
    const paths = app.inject('/v1/paths?q=path%2001&limit=2').then((r) => (done.push('paths'), r));
    const connection = postGraphql(app, { query: '{ paths(filter: { q: "path 02" }, first: 2) { totalCount } }' }).then((r) => (done.push('connection'), r));
    const [listed, searched, connected] = await Promise.all([resources, paths, connection]);
    expect(done.indexOf('paths')).toBeLessThan(done.indexOf('resources'));
    expect(done.indexOf('connection')).toBeLessThan(done.indexOf('resources'));
    expect(searched.statusCode).toBe(200);
    expect((searched.json() as { total: number }).total).toBeGreaterThan(0);
    expect(connected.data).toMatchObject({ paths: { totalCount: expect.any(Number) } });
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { total: number }).total).toBeGreaterThan(0);
  });

  it('gives a sorted listing and a GraphQL search the same answers as once the build is done', async () => {
    const app = await build({ store: new CatalogStore(numberedCatalog(COUNT)), docs: false, rateLimit: false });
    const early = await Promise.all([
      app.inject('/v1/paths?sort=-title&limit=3'),
      gql<{ paths: { totalCount: number; edges: { node: { slug: string } }[] } }>(app, '{ paths(filter: { q: "path 149" }, first: 20) { totalCount edges { node { slug } } } }'),
    ]);
    const later = await Promise.all([
      app.inject('/v1/paths?sort=-title&limit=3'),
      gql<{ paths: { totalCount: number; edges: { node: { slug: string } }[] } }>(app, '{ paths(filter: { q: "path 149" }, first: 20) { totalCount edges { node { slug } } } }'),
    ]);
    expect(early[0].json()).toEqual(later[0].json());
    expect((early[0].json() as { items: { slug: string }[] }).items.map((p) => p.slug)).toEqual(['path-1500', 'path-1499', 'path-1498']);
    expect(early[1]).toEqual(later[1]);
    expect(early[1].paths.edges.map((e) => e.node.slug).sort()).toEqual(['path-149', 'path-1490', 'path-1491', 'path-1492', 'path-1493', 'path-1494', 'path-1495', 'path-1496', 'path-1497', 'path-1498', 'path-1499']);
  });
});

describe('a background build that outlasts the wait', () => {
  it('answers a listing 503 with Retry-After, and GraphQL SERVICE_UNAVAILABLE, then answers once it is done', async () => {
    const app = await build({ store: new CatalogStore(numberedCatalog(LARGE)), docs: false, rateLimit: false, indexWaitMs: 1 });
    const [listing, search] = await Promise.all([app.inject('/v1/paths?q=path%2001&limit=2'), app.inject('/v1/resources?q=resource&limit=2')]);
    for (const refused of [listing, search]) {
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ status: 503, detail: expect.stringMatching(/still being indexed/) });
    }
    const other = await build({ store: new CatalogStore(numberedCatalog(LARGE)), docs: false, rateLimit: false, indexWaitMs: 1 });
    const connection = await postGraphql(other, { query: '{ paths(filter: { q: "path 149" }, first: 2) { totalCount } }' });
    expect(connection.errors?.[0]).toMatchObject({ message: expect.stringMatching(/still being indexed/), extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 } });
    // The build goes on in the background: a later request gets the listing.
    let answered = await app.inject('/v1/resources?q=resource&limit=2');
    while (answered.statusCode === 503) {
      await new Promise((resolve) => setImmediate(resolve));
      answered = await app.inject('/v1/resources?q=resource&limit=2');
    }
    expect(answered.statusCode).toBe(200);
    expect((answered.json() as { total: number }).total).toBeGreaterThan(0);
  });
});
