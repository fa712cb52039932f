import type { Level, ResourceKind } from '@learnpath/schema';
import type { CatalogView, IndexedPath, IndexedResource } from './view.js';
import type { CursorKey } from './cursor.js';
import type { PathSort } from '../rest/schemas.js';

// The one implementation of filtering and ordering the catalog: REST listings and GraphQL
// connections both page over what these functions return, so the two always agree.

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

// Titles sort the way people read them: case- and accent-insensitive, numbers by value.
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Compares two sort keys; `descending` flips the first key only, so ties stay in a fixed order. */
export function compareKeys(a: CursorKey, b: CursorKey, descending: boolean): number {
  const [a0, a1] = a;
  const [b0, b1] = b;
  let primary = typeof a0 === 'number' && typeof b0 === 'number' ? a0 - b0 : collator.compare(String(a0), String(b0));
  if (primary === 0 && typeof a0 === 'string' && typeof b0 === 'string') primary = a0 < b0 ? -1 : a0 > b0 ? 1 : 0;
  if (descending) primary = -primary;
  if (primary !== 0) return primary;
  // Ties are broken by the second key, always ascending, so every order is total.
  return typeof a1 === 'number' && typeof b1 === 'number' ? a1 - b1 : a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
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
    const keyOf = pathSortKey(sort);
    const descending = isDescending(sort);
    sorted = [...view.paths()].sort((a, b) => compareKeys(keyOf(a), keyOf(b), descending));
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
  // view.resources() is already in slug then document order: filtering keeps that order.
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

/** The index of the first item of `sorted` that comes after `key` (binary search). */
export function indexAfter<T>(sorted: readonly T[], keyOf: (item: T) => CursorKey, key: CursorKey, descending: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(keyOf(sorted[mid]!), key, descending) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
