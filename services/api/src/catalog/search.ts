import type { Level, ResourceKind } from '@learnpath/schema';
import type { CatalogView, IndexedPath, IndexedResource } from './view.js';
import type { CursorKey } from './cursor.js';
import { sortByKey } from './order.js';

// The one implementation of filtering and ordering the catalog: REST listings and GraphQL
// connections both page over what these functions return, so the two always agree.

/** The orders of a list of paths; a leading `-` sorts descending. */
export const PATH_ORDERS = ['title', '-title', 'totalMinutes', '-totalMinutes'] as const;
/** An order of a list of paths. */
export type PathSort = (typeof PATH_ORDERS)[number];

/** Conditions on paths; every given one must hold. */
export interface PathFilter {
  q?: string | null;
  tag?: string | null;
  level?: Level | null;
  kind?: ResourceKind | null;
  maxMinutes?: number | null;
}

/** Conditions on resources; every given one must hold. */
export interface ResourceFilter {
  q?: string | null;
  kind?: ResourceKind | null;
  maxMinutes?: number | null;
  path?: string | null;
  tag?: string | null;
  level?: Level | null;
}

/** The sort key of a path in the given order. */
export function pathSortKey(sort: PathSort): (p: IndexedPath) => CursorKey {
  return sort === 'title' || sort === '-title' ? (p) => [p.summary.title, p.summary.slug] : (p) => [p.summary.totalMinutes, p.summary.slug];
}

/** Whether an order is descending. */
export const isDescending = (sort: PathSort): boolean => sort.startsWith('-');

/** The sort key of a resource: path slug, then position in the path. */
export const resourceSortKey = (r: IndexedResource): CursorKey => [r.entry.pathSlug, r.ordinal];

const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

// Every path of a view in each order, sorted once per content version: a query then only
// filters, and filtering keeps the order.
const sortedByView = new WeakMap<CatalogView, Map<PathSort, readonly IndexedPath[]>>();

function sortedPaths(view: CatalogView, sort: PathSort): readonly IndexedPath[] {
  let bySort = sortedByView.get(view);
  if (bySort === undefined) sortedByView.set(view, (bySort = new Map()));
  let sorted = bySort.get(sort);
  if (sorted === undefined) {
    sorted = sortByKey(view.paths(), pathSortKey(sort), isDescending(sort));
    bySort.set(sort, sorted);
  }
  return sorted;
}

/** The paths meeting the filter, in the given order. */
export function searchPaths(view: CatalogView, filter: PathFilter, sort: PathSort): IndexedPath[] {
  const { tag, level, kind, maxMinutes } = filter;
  const needle = given(filter.q) && filter.q !== '' ? filter.q.toLowerCase() : null;
  return sortedPaths(view, sort).filter(
    (p) =>
      (needle === null || p.text.includes(needle)) &&
      (!given(tag) || p.summary.tags.includes(tag)) &&
      (!given(level) || p.summary.level === level) &&
      (!given(kind) || p.kinds.has(kind)) &&
      (!given(maxMinutes) || p.summary.totalMinutes <= maxMinutes),
  );
}

/** The resources meeting the filter, by path slug then document order. */
export function searchResources(view: CatalogView, filter: ResourceFilter): IndexedResource[] {
  const { kind, maxMinutes, path, tag, level } = filter;
  const needle = given(filter.q) && filter.q !== '' ? filter.q.toLowerCase() : null;
  // view.resources() is already in resource order: filtering keeps that order.
  return view.resources().filter(
    (r) =>
      (needle === null || r.text.includes(needle)) &&
      (!given(kind) || r.entry.kind === kind) &&
      (!given(path) || r.entry.pathSlug === path) &&
      (!given(tag) || r.path.tags.includes(tag)) &&
      (!given(level) || r.path.level === level) &&
      (!given(maxMinutes) || (r.entry.durationMinutes !== null && r.entry.durationMinutes <= maxMinutes)),
  );
}
