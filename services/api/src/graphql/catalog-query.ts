import type { Catalog } from '@learnpath/content';
import type { LearningPath, Level, Phase, Resource, ResourceKind } from '@learnpath/schema';

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
export const REST_PATH_SORTS: Readonly<Record<PathSort, string>> = {
  TITLE: 'title',
  TITLE_DESC: '-title',
  TOTAL_MINUTES: 'totalMinutes',
  TOTAL_MINUTES_DESC: '-totalMinutes',
};

/** Conditions on paths; every given one must hold. */
export interface PathFilter {
  q?: string | null;
  tag?: string | null;
  level?: Level | null;
  kind?: ResourceKind | null;
  maxMinutes?: number | null;
}

/** Conditions on resources; every given one must hold. */
export interface ResourceFilter extends PathFilter {
  path?: string | null;
}

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

type SortKey = readonly [string | number, string | number];
interface Sorted<T> {
  items: T[];
  keys: SortKey[];
}

const owners = new WeakMap<object, Owner>();
const pathIndexes = new WeakMap<LearningPath, PathIndex>();
const sortedPaths = new WeakMap<Catalog, Map<string, Sorted<LearningPath>>>();
const sortedResources = new WeakMap<Catalog, Sorted<ResourceEntry>>();

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

// The same order as the REST listings: titles the way people read them (case- and
// accent-insensitive, numbers by value), descending flips the first key only, ties by id.
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  const [a0, a1] = a;
  const [b0, b1] = b;
  let primary = typeof a0 === 'number' && typeof b0 === 'number' ? a0 - b0 : collator.compare(String(a0), String(b0));
  if (primary === 0 && typeof a0 === 'string' && typeof b0 === 'string') primary = a0 < b0 ? -1 : a0 > b0 ? 1 : 0;
  if (descending) primary = -primary;
  if (primary !== 0) return primary;
  return typeof a1 === 'number' && typeof b1 === 'number' ? a1 - b1 : a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
}

const isDescending = (sort: string): boolean => sort.endsWith('_DESC');
const pathKey = (sort: PathSort, path: LearningPath): SortKey =>
  sort === 'TITLE' || sort === 'TITLE_DESC' ? [path.title, path.slug] : [path.totalMinutes, path.slug];

function sortBy<T>(items: readonly T[], keyOf: (item: T, position: number) => SortKey, descending: boolean): Sorted<T> {
  const keyed = items.map((item, position) => ({ item, key: keyOf(item, position) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, descending));
  return { items: keyed.map((k) => k.item), keys: keyed.map((k) => k.key) };
}

/** Every path of a catalog in the given order (computed once per catalog and order). */
function pathsSorted(catalog: Catalog, sort: PathSort): Sorted<LearningPath> {
  let bySort = sortedPaths.get(catalog);
  if (!bySort) sortedPaths.set(catalog, (bySort = new Map()));
  let sorted = bySort.get(sort);
  if (!sorted) bySort.set(sort, (sorted = sortBy([...catalog.paths.values()], (p) => pathKey(sort, p), isDescending(sort))));
  return sorted;
}

/** Every resource of a catalog by path slug, then document order (computed once per catalog). */
function resourcesSorted(catalog: Catalog): Sorted<ResourceEntry> {
  let sorted = sortedResources.get(catalog);
  if (!sorted) {
    const entries: ResourceEntry[] = [];
    // Document position within the path: a key that survives changes to other paths.
    const positions: number[] = [];
    for (const path of catalog.paths.values()) {
      indexPath(path);
      let position = 0;
      for (const phase of path.phases) for (const resource of phase.resources) {
        entries.push({ path, phase, resource });
        positions.push(position++);
      }
    }
    sorted = sortBy(entries, (e, i) => [e.path.slug, positions[i] ?? i], false);
    sortedResources.set(catalog, sorted);
  }
  return sorted;
}

const contains = (haystack: string | null, needle: string): boolean => haystack !== null && haystack.toLowerCase().includes(needle);

/** Whether a path meets the filter. */
export function pathMatches(path: LearningPath, filter: PathFilter): boolean {
  if (filter.tag != null && !path.tags.includes(filter.tag)) return false;
  if (filter.level != null && path.level !== filter.level) return false;
  if (filter.maxMinutes != null && path.totalMinutes > filter.maxMinutes) return false;
  if (filter.kind != null && !path.phases.some((p) => p.resources.some((r) => r.kind === filter.kind))) return false;
  if (filter.q != null && filter.q !== '') {
    const q = filter.q.toLowerCase();
    if (!contains(path.title, q) && !contains(path.overview, q) && !path.phases.some((p) => p.resources.some((r) => contains(r.title, q)))) return false;
  }
  return true;
}

/** Whether a resource meets the filter. */
export function resourceMatches(entry: ResourceEntry, filter: ResourceFilter): boolean {
  const { path, resource } = entry;
  if (filter.path != null && path.slug !== filter.path) return false;
  if (filter.tag != null && !path.tags.includes(filter.tag)) return false;
  if (filter.level != null && path.level !== filter.level) return false;
  if (filter.kind != null && resource.kind !== filter.kind) return false;
  if (filter.maxMinutes != null && (resource.durationMinutes === null || resource.durationMinutes > filter.maxMinutes)) return false;
  if (filter.q != null && filter.q !== '') {
    const q = filter.q.toLowerCase();
    if (!contains(resource.title, q) && !contains(resource.focus, q)) return false;
  }
  return true;
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
// catalog is swapped between two requests: the next page starts after that key.
const encodeCursor = (sort: string, key: SortKey): string => Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');

function decodeCursor(cursor: string, sort: string): SortKey {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3 || decoded[0] !== sort) throw new InvalidCursorError();
  const [, first, second] = decoded as unknown[];
  const isKey = (k: unknown): k is string | number => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k));
  if (!isKey(first) || !isKey(second)) throw new InvalidCursorError();
  return [first, second];
}

function pageOf<T, N>(sorted: Sorted<T>, sort: string, descending: boolean, matches: (item: T) => boolean, toNode: (item: T) => N, first: number, after: string | null | undefined): Page<N> {
  const afterKey = after == null ? null : decodeCursor(after, sort);
  const edges: Page<N>['edges'] = [];
  let totalCount = 0;
  let hasPreviousPage = false;
  let hasNextPage = false;
  for (let i = 0; i < sorted.items.length; i++) {
    const item = sorted.items[i]!;
    if (!matches(item)) continue;
    totalCount++;
    const key = sorted.keys[i]!;
    if (afterKey !== null && compareKeys(key, afterKey, descending) <= 0) {
      hasPreviousPage = true;
      continue;
    }
    if (edges.length < first) edges.push({ cursor: encodeCursor(sort, key), node: toNode(item) });
    else hasNextPage = true;
  }
  return {
    edges,
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    totalCount,
  };
}

/** A page of the catalog's paths. */
export function listPaths(catalog: Catalog, options: { filter: PathFilter; sort: PathSort; first: number; after?: string | null }): Page<LearningPath> {
  const sorted = pathsSorted(catalog, options.sort);
  return pageOf(sorted, options.sort, isDescending(options.sort), (p) => pathMatches(p, options.filter), (p) => (indexPath(p), p), options.first, options.after);
}

/** A page of the resources across the catalog's paths. */
export function listResources(catalog: Catalog, options: { filter: ResourceFilter; first: number; after?: string | null }): Page<Resource> {
  const sorted = resourcesSorted(catalog);
  return pageOf(sorted, 'PATH', false, (e) => resourceMatches(e, options.filter), (e) => e.resource, options.first, options.after);
}
