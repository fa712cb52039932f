import type { Catalog } from '@learnpath/content';
import type { LearningPath, Resource } from '@learnpath/schema';
import { decodeCursor, encodeCursor, fingerprintOf, type CursorKey } from '../catalog/cursor.js';
import { paginate } from '../catalog/pagination.js';
import { isDescending, pathSortKey, resourceSortKey, searchPaths, searchResources, searchText, type Matches, type PathFilter, type PathSort as CatalogPathSort, type ResourceFilter } from '../catalog/search.js';
import { normalizeQuery } from '../catalog/text-index.js';
import { viewOf } from '../catalog/view.js';
import { ProblemError } from '../http/problem.js';
import { adoptPath } from './owners.js';

/** Orders of `paths`, with their descriptions (the GraphQL `PathSort` enum). */
export const PATH_SORTS = {
  TITLE: 'By title, A–Z (the default); numbers by value, case and accents ignored.',
  TITLE_DESC: 'By title, Z–A.',
  TOTAL_MINUTES: 'Shortest first.',
  TOTAL_MINUTES_DESC: 'Longest first.',
} as const;
/** A `PathSort` value. */
export type PathSort = keyof typeof PATH_SORTS;

/** The REST `sort` parameter of `GET /v1/paths` that gives the same order as a GraphQL sort. */
export const REST_PATH_SORTS: Readonly<Record<PathSort, CatalogPathSort>> = {
  TITLE: 'title',
  TITLE_DESC: '-title',
  TOTAL_MINUTES: 'totalMinutes',
  TOTAL_MINUTES_DESC: '-totalMinutes',
};

export type { PathFilter, ResourceFilter };

/** A page of a list, Relay style. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Thrown for a cursor this service did not hand out (or one of another order). */
export class InvalidCursorError extends Error {
  constructor() {
    super('`after` is not a cursor of this list and order; pass `pageInfo.endCursor` of the previous page.');
    this.name = 'InvalidCursorError';
  }
}

// A GraphQL cursor is tied to the order (not the filter), so a client may narrow a filter while
// paging. A ranked list has no order of its own: its cursor is tied to the search, the filter and
// the content version, since positions hold for those only.
function keyAfter(after: string, fingerprint: string): CursorKey {
  try {
    return decodeCursor(after, fingerprint);
  } catch (error) {
    if (error instanceof ProblemError) throw new InvalidCursorError();
    throw error;
  }
}

/** A Relay connection over a sorted or ranked list, paged by the catalog's paginator. */
function connectionOf<T, N>(matches: Matches<T>, order: unknown, keyOf: (item: T) => CursorKey, descending: boolean, toNode: (item: T) => N, first: number, after: string | null | undefined): Page<N> {
  const fingerprint = fingerprintOf(['graphql', order]);
  const { items, ranked } = matches;
  let page;
  try {
    page = paginate(items, { keyOf, descending, ranked, limit: first, after: after == null ? undefined : keyAfter(after, fingerprint) });
  } catch (error) {
    if (error instanceof ProblemError) throw new InvalidCursorError();
    throw error;
  }
  const edges = page.items.map((item, i) => ({ cursor: encodeCursor(fingerprint, page.keys[i]!), node: toNode(item) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNext,
      hasPreviousPage: page.hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: page.total,
  };
}

// What a ranked list's cursor is tied to: the search as the index sees it, every filter and the content version.
const rankedOrder = (catalog: Catalog, filter: PathFilter | ResourceFilter): unknown[] => [
  'RELEVANCE',
  catalog.version,
  ...Object.entries(filter)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => [name, name === 'q' ? normalizeQuery(String(value)) : value])
    .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
];

/** A page of the catalog's paths: in `sort` order, or ranked by relevance for a search without a sort. */
export function listPathConnection(catalog: Catalog, options: { filter: PathFilter; sort: PathSort | null; first: number; after?: string | null }): Page<LearningPath> {
  const q = searchText(options.filter.q);
  const sortName: PathSort | null = options.sort ?? (q === null ? 'TITLE' : null);
  const sort = sortName === null ? null : REST_PATH_SORTS[sortName];
  const matches = searchPaths(viewOf(catalog), options.filter, sort);
  const order = matches.ranked ? rankedOrder(catalog, options.filter) : sortName;
  return connectionOf(matches, order, pathSortKey(sort ?? 'title'), sort !== null && isDescending(sort), (p) => adoptPath(p.path), options.first, options.after);
}

/** A page of the resources across the catalog's paths: by path then document order, or ranked by relevance for a search. */
export function listResourceConnection(catalog: Catalog, options: { filter: ResourceFilter; first: number; after?: string | null }): Page<Resource> {
  const matches = searchResources(viewOf(catalog), options.filter);
  const order = matches.ranked ? rankedOrder(catalog, options.filter) : 'PATH';
  return connectionOf(matches, order, resourceSortKey, false, (r) => (adoptPath(r.path), r.resource), options.first, options.after);
}
