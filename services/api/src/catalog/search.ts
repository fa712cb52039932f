import type { Level, ResourceKind } from '@learnpath/schema';
import type { CatalogView, IndexedPath, IndexedResource } from './view.js';
import type { CursorKey } from './cursor.js';
import { sortByKey, type ItemList } from './order.js';
import type { Found, Keep, RankedResults } from './ranked-results.js';
import { pathIndexOf, textIndexOf } from './text-index.js';

// The one implementation of searching, filtering and ordering the catalog: REST listings,
// GraphQL connections and the /learn search all use these functions, so they always agree.

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
export const resourceSortKey = (r: IndexedResource): CursorKey => [r.path.slug, r.ordinal];

const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/** The text of a search, or null for none (absent, empty or blank). */
export function searchText(q: string | null | undefined): string | null {
  return given(q) && q.trim() !== '' ? q : null;
}

/** The items a listing holds: sorted by a key, or (for a search without a sort) ranked by relevance. */
export interface Matches<T> {
  readonly items: ItemList<T>;
  /** True when the items are ranked by relevance: they are then paged by position. */
  readonly ranked: boolean;
}

// How many ranks a search selects at least: a page and the next few, read again by the same request.
const MIN_RANKS = 32;

/**
 * The items of a search in rank order. Only the ranks a page reads are selected (with the
 * count of every match kept by the filters), so that the first page of a search matching
 * 100,000 documents costs a pass over them and no sort.
 */
class RankedItems<T> implements ItemList<T> {
  readonly #results: RankedResults;
  readonly #q: string;
  readonly #all: readonly T[];
  readonly #keep: Keep | undefined;
  #found: Found | undefined;

  /** `keep`: whether the item at a position meets the filters (undefined: every one does). */
  constructor(results: RankedResults, q: string, all: readonly T[], keep: Keep | undefined) {
    this.#results = results;
    this.#q = q;
    this.#all = all;
    this.#keep = keep;
  }

  get length(): number {
    return this.#ranks(0).total;
  }

  slice(start = 0, end?: number): T[] {
    const found = this.#ranks(end ?? Number.POSITIVE_INFINITY);
    const from = Math.max(0, start);
    const to = Math.min(end ?? found.total, found.total);
    return from >= to ? [] : Array.from(found.positions.subarray(from, to), (position) => this.#all[position]!);
  }

  at(index: number): T | undefined {
    return this.slice(index, index + 1)[0];
  }

  // The first `count` ranks (or every one), selected again only when more are read than were selected.
  #ranks(count: number): Found {
    const found = this.#found;
    if (found !== undefined && (found.positions.length >= count || found.positions.length === found.total)) return found;
    const wanted = Math.max(count, MIN_RANKS, 2 * (found?.positions.length ?? 0));
    return (this.#found = this.#results.find(this.#q, Number.isFinite(wanted) ? wanted : Number.MAX_SAFE_INTEGER, this.#keep));
  }
}

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

// Filtered lists without a search, by filter, kept per content version within a bound of items
// held: the pages of one listing (however deep) then cost a binary search, not a pass over the catalog.
const FILTERED_BUDGET = 4_000_000;
const filteredByView = new WeakMap<CatalogView, { lists: Map<string, readonly unknown[]>; held: number }>();

function filteredOnce<T>(view: CatalogView, key: string, build: () => readonly T[]): readonly T[] {
  let memo = filteredByView.get(view);
  if (memo === undefined) filteredByView.set(view, (memo = { lists: new Map(), held: 0 }));
  const hit = memo.lists.get(key);
  if (hit !== undefined) return hit as readonly T[];
  const list = build();
  memo.lists.set(key, list);
  memo.held += list.length + 64;
  for (const [oldest, value] of memo.lists) {
    if (memo.held <= FILTERED_BUDGET || memo.lists.size <= 1) break;
    memo.lists.delete(oldest);
    memo.held -= value.length + 64;
  }
  return list;
}

/**
 * The paths meeting the filter. With a search (`q`) and no `sort`, ranked by relevance
 * (title over overview over resource titles); otherwise in the given order (title by default).
 */
export function searchPaths(view: CatalogView, filter: PathFilter, sort: PathSort | null): Matches<IndexedPath> {
  const { tag, level, kind, maxMinutes } = filter;
  const keep = (p: IndexedPath): boolean =>
    (!given(tag) || p.summary.tags.includes(tag)) &&
    (!given(level) || p.summary.level === level) &&
    (!given(kind) || p.kinds.has(kind)) &&
    (!given(maxMinutes) || p.summary.totalMinutes <= maxMinutes);
  const q = searchText(filter.q);
  if (q !== null) {
    const all = view.paths();
    const filtered = given(tag) || given(level) || given(kind) || given(maxMinutes);
    if (sort === null) return { items: new RankedItems(pathIndexOf(view), q, all, filtered ? (position) => keep(all[position]!) : undefined), ranked: true };
    const found: IndexedPath[] = [];
    for (const position of pathIndexOf(view).matching(q)) {
      const p = all[position]!;
      if (keep(p)) found.push(p);
    }
    return { items: sortByKey(found, pathSortKey(sort), isDescending(sort)), ranked: false };
  }
  const order = sort ?? 'title';
  const sorted = sortedPaths(view, order);
  if (!given(tag) && !given(level) && !given(kind) && !given(maxMinutes)) return { items: sorted, ranked: false };
  return { items: filteredOnce(view, JSON.stringify(['paths', order, tag, level, kind, maxMinutes]), () => sorted.filter(keep)), ranked: false };
}

const NO_DOCUMENTS = { from: 0, to: 0 };

/** The resources meeting the filter: ranked by relevance with a search (`q`), else by path slug then document order. */
export function searchResources(view: CatalogView, filter: ResourceFilter): Matches<IndexedResource> {
  const { kind, maxMinutes, path, tag, level } = filter;
  const keep = (r: IndexedResource): boolean =>
    (!given(kind) || r.resource.kind === kind) &&
    (!given(path) || r.path.slug === path) &&
    (!given(tag) || r.path.tags.includes(tag)) &&
    (!given(level) || r.path.level === level) &&
    (!given(maxMinutes) || (r.resource.durationMinutes !== null && r.resource.durationMinutes <= maxMinutes));
  const all = view.resources();
  const q = searchText(filter.q);
  if (q !== null) {
    let keepAt: Keep | undefined;
    if (given(maxMinutes) || given(path) || given(tag) || given(level)) keepAt = (position) => keep(all[position]!);
    else if (given(kind)) {
      // The index numbers resources kind by kind: a search of one kind reads that part of each
      // word's matches only.
      keepAt = textIndexOf(view).resourceKinds.get(kind) ?? NO_DOCUMENTS;
    }
    return { items: new RankedItems(textIndexOf(view).resources, q, all, keepAt), ranked: true };
  }
  // view.resources() is already in resource order: filtering keeps that order.
  if (!given(kind) && !given(maxMinutes) && !given(path) && !given(tag) && !given(level)) return { items: all, ranked: false };
  return { items: filteredOnce(view, JSON.stringify(['resources', kind, maxMinutes, path, tag, level]), () => all.filter(keep)), ranked: false };
}
