import type { Catalog } from '@learnpath/content';
import type { LearningPath, Phase, Resource } from '@learnpath/schema';
import { viewOf } from '../catalog/view.js';
import { indexAfter, isDescending, pathSortKey, resourceSortKey, searchPaths, searchResources, type PathFilter, type ResourceFilter } from '../catalog/search.js';
import { ProblemError } from '../http/problem.js';
import { decodeCursor, encodeCursor, fingerprintOf, type CursorKey } from '../catalog/cursor.js';
import type { PathSort as RestPathSort } from '../rest/schemas.js';

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
export const REST_PATH_SORTS: Readonly<Record<PathSort, RestPathSort>> = {
  TITLE: 'title',
  TITLE_DESC: '-title',
  TOTAL_MINUTES: 'totalMinutes',
  TOTAL_MINUTES_DESC: '-totalMinutes',
};

export type { PathFilter, ResourceFilter };

/** A resource with where it lives. */
export interface ResourceEntry {
  path: LearningPath;
  phase: Phase;
  resource: Resource;
}

/** Where an object of the catalog lives: resolved fields (`target`, `phase`, `learningPath`) need it. */
export interface Owner {
  path: LearningPath;
  phase?: Phase;
}

/** Lookups of one path, built once per path object. */
export interface PathIndex {
  phases: ReadonlyMap<string, Phase>;
  resources: ReadonlyMap<string, ResourceEntry>;
}

const owners = new WeakMap<object, Owner>();
const pathIndexes = new WeakMap<LearningPath, PathIndex>();

/** Records `owner` for every object under `value` that has none yet (catalog objects are frozen, so they cannot carry it). */
export function adopt(value: unknown, owner: Owner): void {
  if (value === null || typeof value !== 'object' || owners.has(value)) return;
  owners.set(value, owner);
  for (const child of Array.isArray(value) ? value : Object.values(value)) adopt(child, owner);
}

/** The path (and phase) an object of the catalog belongs to. */
export function ownerOf(value: object): Owner | undefined {
  return owners.get(value);
}

/** Indexes a path: its phases and resources by id, and the owner of each of its objects. */
export function indexPath(path: LearningPath): PathIndex {
  const known = pathIndexes.get(path);
  if (known) return known;
  const phases = new Map<string, Phase>();
  const resources = new Map<string, ResourceEntry>();
  for (const phase of path.phases) {
    if (!phases.has(phase.id)) phases.set(phase.id, phase);
    for (const resource of phase.resources) {
      if (!resources.has(resource.id)) resources.set(resource.id, { path, phase, resource });
      adopt(resource, { path, phase });
    }
    adopt(phase, { path, phase });
  }
  adopt(path, { path });
  const index = { phases, resources };
  pathIndexes.set(path, index);
  return index;
}

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

// A cursor is the sort key of the item (keyset pagination), so pages stay correct when the
// catalog is swapped between two requests: the next page starts after that key. It is tied
// to the order (not the filter), so a client may narrow a filter while paging.
function keyAfter(after: string, order: string): CursorKey {
  try {
    return decodeCursor(after, fingerprintOf(['graphql', order]));
  } catch (error) {
    if (error instanceof ProblemError) throw new InvalidCursorError();
    throw error;
  }
}

function pageOf<T, N>(sorted: readonly T[], order: string, keyOf: (item: T) => CursorKey, descending: boolean, toNode: (item: T) => N, first: number, after: string | null | undefined): Page<N> {
  const start = after == null ? 0 : indexAfter(sorted, keyOf, keyAfter(after, order), descending);
  const fingerprint = fingerprintOf(['graphql', order]);
  const edges = sorted.slice(start, start + first).map((item) => ({ cursor: encodeCursor(fingerprint, keyOf(item)), node: toNode(item) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + first < sorted.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: sorted.length,
  };
}

/** A page of the catalog's paths. */
export function listPaths(catalog: Catalog, options: { filter: PathFilter; sort: PathSort; first: number; after?: string | null }): Page<LearningPath> {
  const sort = REST_PATH_SORTS[options.sort];
  const sorted = searchPaths(viewOf(catalog), options.filter, sort);
  return pageOf(sorted, options.sort, pathSortKey(sort), isDescending(sort), (p) => (indexPath(p.path), p.path), options.first, options.after);
}

/** A page of the resources across the catalog's paths. */
export function listResources(catalog: Catalog, options: { filter: ResourceFilter; first: number; after?: string | null }): Page<Resource> {
  const sorted = searchResources(viewOf(catalog), options.filter);
  return pageOf(sorted, 'PATH', resourceSortKey, false, (r) => (indexPath(r.path), r.resource), options.first, options.after);
}
