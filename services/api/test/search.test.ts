import { createCatalog } from '@learnpath/content';
import { compilePath, type LearningPathDocument } from '@learnpath/schema';
import { describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { CatalogStore } from '../src/catalog/store.js';
import { buildShared } from './support/app.js';
import { gql } from './support/graphql.js';

// Search as people expect it, the same over REST, GraphQL and the /learn page: words in any
// order, prefixes, accents and case folded, typos forgiven, ranked by where the words are.

const HTML = { accept: 'text/html' };

function pathDocument(slug: string, title: string, overview: string, resources: readonly (readonly [string, string])[]): LearningPathDocument {
  return {
    slug,
    title,
    overview,
    phases: [{ title: 'Only', resources: resources.map(([resourceTitle, focus]) => ({ title: resourceTitle, kind: 'article' as const, durationMinutes: 10, focus })) }],
  };
}

const PATHS = [
  pathDocument('stream-processing', 'Stream Processing', 'Handle events as they arrive.', [['Windows and watermarks', 'Time in event pipelines']]),
  pathDocument('operating-kafka', 'Operating Kafka', 'Brokers and partitions, with a word on stream joins in passing.', [['Broker configuration', 'Settings that matter']]),
  pathDocument('data-warehousing', 'Data Warehousing', 'Batch loads into a warehouse.', [['Stream ingestion', 'Loading events continuously'], ['Star schemas', 'Facts and dimensions']]),
  pathDocument('donnees-ouvertes', 'Données ouvertes', 'Publier des jeux de données.', [['Formats ouverts', 'CSV et JSON']]),
  pathDocument('python-basics', 'Python Basics', 'The language from the start.', [['Types and values', 'Numbers and strings']]),
];

const store = new CatalogStore(createCatalog(PATHS.map((p) => compilePath(p))));
const app: App = buildShared({ store, docs: false, rateLimit: false });

async function restSlugs(query: string): Promise<string[]> {
  const response = await app.inject(`/v1/paths?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: { slug: string }[] }).items.map((p) => p.slug);
}

async function graphqlSlugs(q: string): Promise<string[]> {
  const data = await gql<{ paths: { edges: { node: { slug: string } }[] } }>(app, 'query ($q: String) { paths(filter: { q: $q }) { edges { node { slug } } } }', { q });
  return data.paths.edges.map((e) => e.node.slug);
}

async function learnSlugs(q: string): Promise<string[]> {
  const response = await app.inject({ url: `/learn?q=${encodeURIComponent(q)}`, headers: HTML });
  expect(response.statusCode).toBe(200);
  return [...response.body.matchAll(/<h2[^>]*>\s*<a href="\/learn\/([^"/]+)"/g)].map((m) => m[1]!);
}

describe('search', () => {
  it('ranks a path titled with the word above one whose overview or resources mention it', async () => {
    expect(await restSlugs('q=stream')).toEqual(['stream-processing', 'operating-kafka', 'data-warehousing']);
  });

  it('forgives a typo: "kafak" finds Kafka', async () => {
    expect(await restSlugs('q=kafak')).toEqual(['operating-kafka']);
    expect(await restSlugs('q=pyhton')).toEqual(['python-basics']);
  });

  it('folds accents and case both ways', async () => {
    for (const q of ['données', 'donnees', 'DONNEES', 'Données']) expect(await restSlugs(`q=${encodeURIComponent(q)}`), q).toEqual(['donnees-ouvertes']);
  });

  it('takes words in any order and each word as the start of a longer one', async () => {
    expect(await restSlugs('q=processing%20stream')).toEqual(['stream-processing']);
    expect(await restSlugs('q=stream%20processing')).toEqual(['stream-processing']);
    expect(await restSlugs('q=proc%20stre')).toEqual(['stream-processing']);
    expect(await restSlugs('q=warehous')).toEqual(['data-warehousing']);
    // Every word must match: a second word found nowhere leaves nothing.
    expect(await restSlugs('q=stream%20zebra')).toEqual([]);
  });

  it('sorts by `sort` instead of relevance when it is given', async () => {
    expect(await restSlugs('q=stream&sort=title')).toEqual(['data-warehousing', 'operating-kafka', 'stream-processing']);
    expect(await restSlugs('q=stream&sort=-title')).toEqual(['stream-processing', 'operating-kafka', 'data-warehousing']);
  });

  it('gives the same results in the same order over REST, GraphQL and the /learn page', async () => {
    for (const q of ['stream', 'kafak', 'donnees', 'proc stre', 'a', 'zebra']) {
      const rest = await restSlugs(`q=${encodeURIComponent(q)}`);
      expect(await graphqlSlugs(q), `GraphQL ${q}`).toEqual(rest);
      expect(await learnSlugs(q), `/learn ${q}`).toEqual(rest);
    }
  });

  it('searches resources by title over focus, ranked, with the other filters', async () => {
    const response = await app.inject('/v1/resources?q=events');
    expect(response.statusCode).toBe(200);
    const body = response.json() as { items: { id: string; pathSlug: string }[]; total: number };
    expect(body.items.map((r) => `${r.pathSlug}/${r.id}`)).toEqual(['data-warehousing/stream-ingestion', 'stream-processing/windows-and-watermarks']);
    const byTitle = await app.inject('/v1/resources?q=strem');
    expect((byTitle.json() as { items: { id: string }[] }).items.map((r) => r.id)).toEqual(['stream-ingestion']);
    const narrowed = await app.inject('/v1/resources?q=events&path=stream-processing');
    expect((narrowed.json() as { items: { id: string }[] }).items.map((r) => r.id)).toEqual(['windows-and-watermarks']);
    const data = await gql<{ resources: { edges: { node: { id: string } }[] } }>(app, '{ resources(filter: { q: "strem" }) { edges { node { id } } } }');
    expect(data.resources.edges.map((e) => e.node.id)).toEqual(['stream-ingestion']);
  });
});

describe('paging a ranked search', () => {
  it('pages through the ranked results one at a time, each once, in rank order', async () => {
    const unpaged = await restSlugs('q=stream');
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await app.inject(`/v1/paths?q=stream&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      const body = response.json() as { items: { slug: string }[]; total: number; nextCursor: string | null };
      expect(body.total).toBe(3);
      paged.push(...body.items.map((p) => p.slug));
      cursor = body.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(unpaged);
  });

  it('refuses with 400 a cursor of another search, or of a ranking from before the content changed', async () => {
    const first = (await app.inject('/v1/paths?q=stream&limit=1')).json() as { nextCursor: string };
    const other = await app.inject(`/v1/paths?q=kafka&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(other.statusCode).toBe(400);
    expect(other.json().type).toBe('urn:learnpath:problem:invalid-cursor');
    const sorted = await app.inject(`/v1/paths?q=stream&sort=title&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(sorted.statusCode).toBe(400);

    const before = store.catalog;
    store.swap(createCatalog([...PATHS, pathDocument('streams-again', 'Streams Again', 'More streams.', [['Stream joins', 'Joining streams']])].map((p) => compilePath(p))));
    try {
      const stale = await app.inject(`/v1/paths?q=stream&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`);
      expect(stale.statusCode).toBe(400);
      expect(stale.json().type).toBe('urn:learnpath:problem:invalid-cursor');
    } finally {
      store.swap(before);
    }
  });

  it('refuses in GraphQL a ranked cursor used with another search', async () => {
    const data = await gql<{ paths: { pageInfo: { endCursor: string } } }>(app, '{ paths(filter: { q: "stream" }, first: 1) { pageInfo { endCursor } } }');
    const response = await app.inject({ method: 'POST', url: '/graphql', payload: { query: 'query ($after: String) { paths(filter: { q: "kafka" }, first: 1, after: $after) { totalCount } }', variables: { after: data.paths.pageInfo.endCursor } } });
    const body = response.json() as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('a resource search filtered by kind', () => {
  const KINDS = ['video', 'article', 'book'] as const;
  const kindStore = new CatalogStore(
    createCatalog(
      Array.from({ length: 12 }, (_, i) =>
        compilePath({
          slug: `path-${String(i).padStart(2, '0')}`,
          title: `Path ${i}`,
          overview: 'An overview.',
          level: i % 2 === 0 ? 'advanced' : 'beginner',
          // Titles of different lengths, so that the matches rank differently.
          phases: [{ title: 'Only', resources: KINDS.map((kind, k) => ({ title: `Stream lesson ${'more '.repeat((i + k) % 4)}${i} ${k}`, kind, durationMinutes: 10 })) }],
        }),
      ),
    ),
  );
  const kindApp: App = buildShared({ store: kindStore, docs: false, rateLimit: false });

  interface Listed {
    items: { id: string; pathSlug: string; kind: string }[];
    total: number;
    nextCursor: string | null;
  }
  const key = (r: { id: string; pathSlug: string }): string => `${r.pathSlug}/${r.id}`;

  async function pages(query: string, limit: number): Promise<{ keys: string[]; totals: number[] }> {
    const keys: string[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await kindApp.inject(`/v1/resources?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json() as Listed;
      keys.push(...body.items.map(key));
      totals.push(body.total);
      cursor = body.nextCursor;
    } while (cursor !== null);
    return { keys, totals };
  }

  it('keeps the matches of that kind in rank order, counts them all and pages through each once', async () => {
    const all = (await kindApp.inject('/v1/resources?q=stream&limit=100')).json() as Listed;
    expect(all.total).toBe(36);
    const videos = all.items.filter((r) => r.kind === 'video').map(key);
    expect(videos).toHaveLength(12);
    const first = (await kindApp.inject('/v1/resources?q=stream&kind=video&limit=5')).json() as Listed;
    expect(first.total).toBe(12);
    expect(first.items.every((r) => r.kind === 'video')).toBe(true);
    const paged = await pages('q=stream&kind=video', 5);
    expect(paged.keys).toEqual(videos);
    expect(paged.totals).toEqual([12, 12, 12]);
  });

  it('applies kind with the other filters, and a kind no resource has finds nothing', async () => {
    const all = (await kindApp.inject('/v1/resources?q=lesson&limit=100')).json() as Listed;
    const expected = all.items.filter((r) => r.kind === 'book' && Number(r.pathSlug.slice(-2)) % 2 === 1).map(key);
    const paged = await pages('q=lesson&kind=book&level=beginner', 4);
    expect(paged.keys).toEqual(expected);
    expect(paged.totals[0]).toBe(6);
    const none = (await kindApp.inject('/v1/resources?q=stream&kind=podcast')).json() as Listed;
    expect(none.total).toBe(0);
    expect(none.items).toEqual([]);
  });
});
