import { createCatalog, type Catalog } from '@learnpath/content';
import { compilePath, type LearningPathDocument } from '@learnpath/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { CatalogStore } from '../src/catalog/store.js';
import { build } from './support/app.js';
import { gql } from './support/graphql.js';

// Every listing pages through exactly the list it gives unpaged: each item once, in order,
// whatever the slugs and titles, the order and the page size.

const REST_SORTS = ['title', '-title', 'totalMinutes', '-totalMinutes'] as const;
const GRAPHQL_SORTS = { title: 'TITLE', '-title': 'TITLE_DESC', totalMinutes: 'TOTAL_MINUTES', '-totalMinutes': 'TOTAL_MINUTES_DESC' } as const;

async function restJson(app: App, url: string): Promise<{ items: { slug?: string; pathSlug?: string; id?: string }[]; total: number; nextCursor: string | null }> {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
  return response.json();
}

/** Every page of a REST listing, concatenated, as item keys. */
async function restPages(app: App, url: string, limit: number, keyOf: (item: { slug?: string; pathSlug?: string; id?: string }) => string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const body = await restJson(app, `${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    keys.push(...body.items.map(keyOf));
    cursor = body.nextCursor;
    if (cursor === null) return keys;
    expect(body.items.length, `${url} limit=${limit}: a page before the last is full`).toBe(limit);
  }
  throw new Error(`${url} limit=${limit}: more than 1000 pages`);
}

interface Connection {
  totalCount: number;
  edges: { node: { slug?: string; id?: string; learningPath?: { slug: string } } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every page of a GraphQL connection, concatenated, as item keys. */
async function graphqlPages(app: App, field: 'paths' | 'resources', args: string, first: number): Promise<string[]> {
  const selection = field === 'paths' ? 'slug' : 'id learningPath { slug }';
  const keys: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const data: Record<string, Connection> = await gql(app, `query ($first: Int, $after: String) { ${field}(${args} first: $first, after: $after) { totalCount edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } }`, { first, after });
    const connection = data[field]!;
    keys.push(...connection.edges.map((e) => (field === 'paths' ? e.node.slug! : `${e.node.learningPath!.slug}/${e.node.id}`)));
    if (!connection.pageInfo.hasNextPage) return keys;
    after = connection.pageInfo.endCursor;
  }
  throw new Error(`${field} first=${first}: more than 1000 pages`);
}

const pathKey = (item: { slug?: string }): string => item.slug!;
const resourceKey = (item: { pathSlug?: string; id?: string }): string => `${item.pathSlug}/${item.id}`;

/** Pages through every listing of the catalog in every order and page size, over REST and GraphQL. */
async function checkEveryListing(app: App, store: CatalogStore, catalog: Catalog): Promise<void> {
  store.swap(catalog);
  const pathCount = catalog.paths.size;
  const slugs = [...catalog.paths.keys()];
  for (const sort of REST_SORTS) {
    const unpaged = (await restJson(app, `/v1/paths?sort=${sort}&limit=100`)).items.map(pathKey);
    expect([...unpaged].sort(), 'the unpaged list holds every path once').toEqual([...slugs].sort());
    for (let limit = 1; limit <= pathCount + 1; limit++) {
      expect(await restPages(app, `/v1/paths?sort=${sort}`, limit, pathKey), `REST sort=${sort} limit=${limit}`).toEqual(unpaged);
      expect(await graphqlPages(app, 'paths', `sort: ${GRAPHQL_SORTS[sort]},`, limit), `GraphQL sort=${GRAPHQL_SORTS[sort]} first=${limit}`).toEqual(unpaged);
    }
  }
  // A search ranks by relevance (no sort) or keeps a sort; either way its pages hold the unpaged list.
  for (const q of SEARCHES) {
    const query = `q=${encodeURIComponent(q)}`;
    for (const sort of [null, '-totalMinutes'] as const) {
      const url = `/v1/paths?${query}${sort === null ? '' : `&sort=${sort}`}`;
      const unpaged = (await restJson(app, `${url}&limit=100`)).items.map(pathKey);
      const graphqlArgs = `filter: { q: ${JSON.stringify(q)} },${sort === null ? '' : ` sort: ${GRAPHQL_SORTS[sort]},`}`;
      for (const limit of [1, 3]) {
        expect(await restPages(app, url, limit, pathKey), `REST ${url} limit=${limit}`).toEqual(unpaged);
        expect(await graphqlPages(app, 'paths', graphqlArgs, limit), `GraphQL ${graphqlArgs} first=${limit}`).toEqual(unpaged);
      }
    }
    const ranked = (await restJson(app, `/v1/resources?${query}&limit=100`)).items.map(resourceKey);
    for (const limit of [1, 2]) {
      expect(await restPages(app, `/v1/resources?${query}`, limit, resourceKey), `REST resources ${query} limit=${limit}`).toEqual(ranked);
      expect(await graphqlPages(app, 'resources', `filter: { q: ${JSON.stringify(q)} },`, limit), `GraphQL resources ${query} first=${limit}`).toEqual(ranked);
    }
  }
  const resources = (await restJson(app, '/v1/resources?limit=100')).items.map(resourceKey);
  const every = [...catalog.paths.values()].flatMap((p) => p.phases.flatMap((ph) => ph.resources.map((r) => `${p.slug}/${r.id}`)));
  expect([...resources].sort(), 'the unpaged list holds every resource once').toEqual([...every].sort());
  for (let limit = 1; limit <= resources.length + 1; limit++) {
    expect(await restPages(app, '/v1/resources', limit, resourceKey), `REST resources limit=${limit}`).toEqual(resources);
    expect(await graphqlPages(app, 'resources', '', limit), `GraphQL resources first=${limit}`).toEqual(resources);
  }
}

function pathDocument(slug: string, title: string, minutes: readonly number[]): LearningPathDocument {
  return {
    slug,
    title,
    phases: [{ title: 'Only', resources: minutes.map((m, i) => ({ title: `Step ${i + 1}`, kind: 'article' as const, durationMinutes: m })) }],
  };
}

const SLUG_PARTS = ['sql', 'a', 'b', 'z', '9', '10', '2', '01', '1', 'x9', 'x10'];
const TITLE_PARTS = ['SQL', 'sql', 'Sql', 'é', 'e', 'E', 'Éclair', 'eclair', 'Zebra', 'apple', '9', '10', '010', '2', 'Part 9', 'part 10', 'ß', 'ss'];

// Searches over the generated titles: a word, a prefix that also meets folded accents, a typo, two words.
const SEARCHES = ['sql', 'ecl', 'zebar', 'part 1', 'step 1'];

const catalogArbitrary = fc
  .uniqueArray(fc.array(fc.constantFrom(...SLUG_PARTS), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('-')), { minLength: 1, maxLength: 7 })
  .chain((slugs) =>
    fc.tuple(
      ...slugs.map((slug) =>
        fc.record({
          slug: fc.constant(slug),
          title: fc.array(fc.constantFrom(...TITLE_PARTS), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' ')),
          minutes: fc.array(fc.constantFrom(5, 10, 10, 30), { minLength: 1, maxLength: 3 }),
        }),
      ),
    ),
  )
  .map((paths) => createCatalog(paths.map((p) => compilePath(pathDocument(p.slug, p.title, p.minutes)))));

describe('pagination', () => {
  it('pages through paths whose slugs order differently by code units and by value (sql-9, sql-10)', async () => {
    const catalog = createCatalog([
      compilePath(pathDocument('sql-9', 'Sql 9', [10, 20])),
      compilePath(pathDocument('sql-10', 'Sql 10', [10, 20])),
    ]);
    const store = new CatalogStore(catalog);
    await checkEveryListing(await build({ store, docs: false, rateLimit: false }), store, catalog);
  });

  it('pages through random catalogs in every order and page size, each item exactly once, over REST and GraphQL', { timeout: 120_000 }, async () => {
    // One app; each generated catalog is swapped in, as watch mode does.
    const store = new CatalogStore(createCatalog([]));
    const app = await build({ store, docs: false, rateLimit: false });
    await fc.assert(
      fc.asyncProperty(catalogArbitrary, (catalog) => checkEveryListing(app, store, catalog)),
      { numRuns: 30 },
    );
  });
});
