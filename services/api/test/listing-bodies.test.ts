import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCatalog, loadCatalog, loadCatalogFile, serializeCatalog, type Catalog } from '@learnpath/content';
import { compilePath, PathListSchema, ResourceListSchema, type LearningPathDocument } from '@learnpath/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { viewOf } from '../src/catalog/view.js';
import { createJsonBody } from '../src/http/cached-body.js';
import { listPaths, listResources, pathsPageBody, resourcesPageBody } from '../src/rest/listings.js';
import { PathListQuerySchema, ResourceListQuerySchema } from '../src/rest/schemas.js';

// A listing page is assembled from its items' JSON: the bytes must be those of the whole page
// serialised through its schema, for every query, page and catalog.

const TEXT = fc.array(fc.constantFrom('Stream', 'stream', 'Données', '"quoted"', 'back\\slash', 'line\u2028sep', 'emoji 🚀', 'tab\there', 'Kafka', 'SQL', '<b>', '&amp;'), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));

const pathArbitrary = (slug: string) =>
  fc.record({ title: TEXT, overview: TEXT, tags: fc.uniqueArray(fc.constantFrom('data', 'sql', 'streaming'), { maxLength: 2 }), level: fc.constantFrom('beginner', 'intermediate', 'advanced'), resources: fc.array(fc.tuple(TEXT, fc.constantFrom('article', 'video', 'course'), fc.constantFrom(5, 10, 45)), { minLength: 1, maxLength: 4 }) }).map(
    (p): LearningPathDocument => ({
      slug,
      title: p.title,
      overview: p.overview,
      tags: p.tags,
      level: p.level,
      phases: [{ title: 'One', resources: p.resources.map(([title, kind, durationMinutes]) => ({ title, kind, durationMinutes, focus: title })) }],
    }),
  );

const catalogArbitrary = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => pathArbitrary(`path-${i}`)))).map((docs) => createCatalog(docs.map((d) => compilePath(d))));

const PATH_QUERIES = [{}, { q: 'stream' }, { q: 'kafak sql' }, { q: 'donnees', limit: 2 }, { sort: '-totalMinutes', limit: 3 }, { tag: 'sql' }, { level: 'advanced', sort: 'title' }, { kind: 'video', limit: 1 }, { q: 'zzz' }];
const RESOURCE_QUERIES = [{}, { q: 'stream' }, { kind: 'article', limit: 2 }, { q: 'emoji', kind: 'video' }, { maxMinutes: 10, limit: 3 }, { path: 'path-0' }, { q: 'zzz' }];

/**
 * Walks every page of each query (up to `maxPages`, following `nextCursor`) and requires the
 * body assembled from items to be the bytes of the whole page serialised through its schema.
 */
function checkEveryPage<Q extends { cursor?: string | undefined }>(queries: readonly Q[], maxPages: number, whole: (query: Q) => Buffer, assembled: (query: Q) => Buffer): void {
  for (const first of queries) {
    let query = first;
    for (let page = 0; page < maxPages; page++) {
      const expected = whole(query).toString();
      expect(assembled(query).toString(), JSON.stringify(query)).toBe(expected);
      const { nextCursor } = JSON.parse(expected) as { nextCursor: string | null };
      if (nextCursor === null) break;
      query = { ...query, cursor: nextCursor };
    }
  }
}

/** Checks every page of every query of `catalog`. */
function checkPages(catalog: Catalog): void {
  const view = viewOf(catalog);
  checkEveryPage(
    PATH_QUERIES.map((raw) => PathListQuerySchema.parse(raw)),
    20,
    (query) => createJsonBody(PathListSchema, listPaths(view, query)).body,
    (query) => pathsPageBody(view, query).body,
  );
  checkEveryPage(
    RESOURCE_QUERIES.map((raw) => ResourceListQuerySchema.parse(raw)),
    40,
    (query) => createJsonBody(ResourceListSchema, listResources(view, query)).body,
    (query) => resourcesPageBody(view, query).body,
  );
}

describe('listing bodies', () => {
  it('are the bytes of the page serialised whole, on every page of every query', () => {
    fc.assert(fc.property(catalogArbitrary, checkPages), { numRuns: 40 });
  });

  it('are the same for the bundled content, loaded from its documents and from a built catalog file', async () => {
    const load = await loadCatalog(fileURLToPath(new URL('../../../content', import.meta.url)));
    expect(load.catalog).not.toBeNull();
    checkPages(load.catalog!);
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-listing-'));
    try {
      await writeFile(join(dir, 'catalog.json'), serializeCatalog(load.catalog!));
      const built = await loadCatalogFile(join(dir, 'catalog.json'));
      expect(built.catalog).not.toBeNull();
      checkPages(built.catalog!);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
