import type { Catalog } from '@learnpath/content';
import type { LearningPath, Resource } from '@learnpath/schema';
import { decodeCursor, encodeCursor, fingerprintOf, type CursorKey } from '../catalog/cursor.js';
import { paginate } from '../catalog/pagination.js';
import { isDescending, pathSortKey, resourceSortKey, searchPaths, searchResources, type PathFilter, type PathSort as CatalogPathSort, type ResourceFilter } from '../catalog/search.js';
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

// A GraphQL cursor is tied to the order (not the filter), so a client may narrow a filter while paging.
function keyAfter(after: string, fingerprint: string): CursorKey {
  try {
    return decodeCursor(after, fingerprint);
  } catch (error) {
    if (error instanceof ProblemError) throw new InvalidCursorError();
    throw error;
  }
}

/** A Relay connection over a sorted list, paged by the catalog's keyset paginator. */
function connectionOf<T, N>(sorted: readonly T[], order: string, keyOf: (item: T) => CursorKey, descending: boolean, toNode: (item: T) => N, first: number, after: string | null | undefined): Page<N> {
  const fingerprint = fingerprintOf(['graphql', order]);
  const page = paginate(sorted, { keyOf, descending, limit: first, after: after == null ? undefined : keyAfter(after, fingerprint) });
  const edges = page.items.map((item) => ({ cursor: encodeCursor(fingerprint, keyOf(item)), node: toNode(item) }));
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

/** A page of the catalog's paths. */
export function listPathConnection(catalog: Catalog, options: { filter: PathFilter; sort: PathSort; first: number; after?: string | null }): Page<LearningPath> {
  const sort = REST_PATH_SORTS[options.sort];
  const sorted = searchPaths(viewOf(catalog), options.filter, sort);
  return connectionOf(sorted, options.sort, pathSortKey(sort), isDescending(sort), (p) => adoptPath(p.path), options.first, options.after);
}

/** A page of the resources across the catalog's paths. */
export function listResourceConnection(catalog: Catalog, options: { filter: ResourceFilter; first: number; after?: string | null }): Page<Resource> {
  const sorted = searchResources(viewOf(catalog), options.filter);
  return connectionOf(sorted, 'PATH', resourceSortKey, false, (r) => (adoptPath(r.path), r.resource), options.first, options.after);
}
