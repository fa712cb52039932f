import { PathListSchema, ResourceListSchema, type PathList, type ResourceList } from '@learnpath/schema';
import type { CatalogView, IndexedPath, IndexedResource } from '../catalog/view.js';
import { createPageBody, type CachedBody } from '../http/cached-body.js';
import { decodeCursor, encodeCursor, fingerprintOf, type CursorKey } from '../catalog/cursor.js';
import { paginate } from '../catalog/pagination.js';
import { isDescending, pathSortKey, resourceSortKey, searchPaths, searchResources, searchText, type Matches } from '../catalog/search.js';
import { normalizeQuery } from '../catalog/text-index.js';
import type { PathListQuery, ResourceListQuery } from './schemas.js';

/** A REST page: the items, the total and the cursor of the next page (tied to the query's fingerprint). */
function restPage<T>(matches: Matches<T>, keyOf: (item: T) => CursorKey, descending: boolean, limit: number, cursor: string | undefined, fingerprint: string) {
  const { items, ranked } = matches;
  const page = paginate(items, { keyOf, descending, limit, ranked, after: cursor === undefined ? undefined : decodeCursor(cursor, fingerprint) });
  const last = page.keys[page.keys.length - 1];
  return { items: page.items, total: page.total, nextCursor: page.hasNext && last !== undefined ? encodeCursor(fingerprint, last) : null };
}

// A ranked listing is paged by position, which holds for one content version only: its cursor
// carries the version, so a cursor from before a content change is refused rather than misplaced.
function rankingOf(view: CatalogView, q: string | null, ranked: boolean): string | null {
  return ranked ? `relevance:${view.catalog.version}` : q === null ? null : 'matched';
}

/** `GET /v1/paths`: the paths matching the filters, one page; ranked by relevance for a search without `sort`. */
export function listPaths(view: CatalogView, query: PathListQuery): PathList {
  const page = pathsPage(view, query);
  return { ...page, items: page.items.map((p) => p.summary) };
}

/**
 * `listPaths` as a response body. Summaries are serialised as they are (their members in the
 * schema's order): test/listing-bodies.test.ts holds the bytes equal to the page serialised
 * through `PathListSchema`.
 */
export function pathsPageBody(view: CatalogView, query: PathListQuery): CachedBody {
  return createPageBody(PathListSchema, pathsPage(view, query), (p) => JSON.stringify(p.summary));
}

function pathsPage(view: CatalogView, query: PathListQuery) {
  const { tag, level, kind, maxMinutes, sort, limit, cursor } = query;
  const q = searchText(query.q);
  const order = sort ?? (q === null ? 'title' : null);
  const matching = searchPaths(view, { q, tag, level, kind, maxMinutes }, order);
  const fingerprint = fingerprintOf(['paths', q === null ? null : normalizeQuery(q), tag ?? null, level ?? null, kind ?? null, maxMinutes ?? null, order, rankingOf(view, q, matching.ranked)]);
  const sortKey = pathSortKey(order ?? 'title');
  return restPage<IndexedPath>(matching, sortKey, order !== null && isDescending(order), limit, cursor, fingerprint);
}

/** `GET /v1/resources`: the resources of every path matching the filters, one page; ranked by relevance for a search, else by path slug then document order. */
export function listResources(view: CatalogView, query: ResourceListQuery): ResourceList {
  const page = resourcesPage(view, query);
  return { ...page, items: page.items.map((r) => r.entry) };
}

/**
 * `listResources` as a response body. Entries are the catalog's resources, which the schema
 * produced (members in its order), serialised as they are with their path and phase; the same
 * test holds the bytes equal to the page serialised through `ResourceListSchema`.
 */
export function resourcesPageBody(view: CatalogView, query: ResourceListQuery): CachedBody {
  return createPageBody(ResourceListSchema, resourcesPage(view, query), (r) => r.entryJson());
}

function resourcesPage(view: CatalogView, query: ResourceListQuery) {
  const { kind, maxMinutes, path, tag, level, limit, cursor } = query;
  const q = searchText(query.q);
  const matching = searchResources(view, { q, kind, maxMinutes, path, tag, level });
  const fingerprint = fingerprintOf(['resources', q === null ? null : normalizeQuery(q), kind ?? null, maxMinutes ?? null, path ?? null, tag ?? null, level ?? null, rankingOf(view, q, matching.ranked)]);
  return restPage<IndexedResource>(matching, resourceSortKey, false, limit, cursor, fingerprint);
}
