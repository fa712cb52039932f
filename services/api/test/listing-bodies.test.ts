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

// A listing page is assembled from its items' JSON, each serialised once: the bytes must be
// those of the whole page serialised through its schema, for every query, page and catalog.

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

/** Checks every page of every query of `catalog`. */
function checkPages(catalog: Catalog): void {
        const view = viewOf(catalog);
        for (const raw of PATH_QUERIES) {
          let query = PathListQuerySchema.parse(raw);
          for (let page = 0; page < 20; page++) {
            const whole = createJsonBody(PathListSchema, listPaths(view, query));
            expect(pathsPageBody(view, query).body.toString(), JSON.stringify(query)).toBe(whole.body.toString());
            const { nextCursor } = JSON.parse(whole.body.toString()) as { nextCursor: string | null };
            if (nextCursor === null) break;
            query = { ...query, cursor: nextCursor };
          }
        }
        for (const raw of RESOURCE_QUERIES) {
          let query = ResourceListQuerySchema.parse(raw);
          for (let page = 0; page < 40; page++) {
            const whole = createJsonBody(ResourceListSchema, listResources(view, query));
            expect(resourcesPageBody(view, query).body.toString(), JSON.stringify(query)).toBe(whole.body.toString());
            const { nextCursor } = JSON.parse(whole.body.toString()) as { nextCursor: string | null };
            if (nextCursor === null) break;
            query = { ...query, cursor: nextCursor };
          }
        }
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
