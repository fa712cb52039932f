import type { CatalogView, IndexedPath, IndexedResource } from './catalog-view.js';
import { decodeCursor, encodeCursor, fingerprintOf, type CursorKey } from './cursor.js';
import type { PathList, PathListQuery, PathSort, ResourceList, ResourceListQuery } from './schemas.js';

// Titles sort the way people read them: case- and accent-insensitive, numbers by value.
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compareKeys(a: CursorKey, b: CursorKey, descending: boolean): number {
  const [a0, a1] = a;
  const [b0, b1] = b;
  let primary = typeof a0 === 'number' && typeof b0 === 'number' ? a0 - b0 : collator.compare(String(a0), String(b0));
  if (primary === 0 && typeof a0 === 'string' && typeof b0 === 'string') primary = a0 < b0 ? -1 : a0 > b0 ? 1 : 0;
  if (descending) primary = -primary;
  if (primary !== 0) return primary;
  // Ties are broken by the second key, always ascending, so every order is total.
  return typeof a1 === 'number' && typeof b1 === 'number' ? a1 - b1 : a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
}

/** One page of `sorted` after the cursor's key, with the cursor of the following page. */
function pageOf<T>(
  sorted: readonly T[],
  keyOf: (item: T) => CursorKey,
  descending: boolean,
  limit: number,
  cursor: string | undefined,
  fingerprint: string,
): { items: T[]; total: number; nextCursor: string | null } {
  let start = 0;
  if (cursor !== undefined) {
    const after = decodeCursor(cursor, fingerprint);
    // Binary search for the first item that sorts after the key.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(keyOf(sorted[mid]!), after, descending) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = sorted.slice(start, start + limit);
  const last = items[items.length - 1];
  const more = start + limit < sorted.length;
  return {
    items,
    total: sorted.length,
    nextCursor: more && last !== undefined ? encodeCursor(fingerprint, keyOf(last)) : null,
  };
}

function pathKey(sort: PathSort): (p: IndexedPath) => CursorKey {
  return sort === 'title' || sort === '-title'
    ? (p) => [p.summary.title, p.summary.slug]
    : (p) => [p.summary.totalMinutes, p.summary.slug];
}

/** `GET /v1/paths`: the paths matching the filters, sorted, one page. */
export function listPaths(view: CatalogView, query: PathListQuery): PathList {
  const { q, tag, level, kind, maxMinutes, sort, limit, cursor } = query;
  const needle = q?.toLowerCase();
  const matching = view.paths().filter(
    (p) =>
      (needle === undefined || p.text.includes(needle)) &&
      (tag === undefined || p.summary.tags.includes(tag)) &&
      (level === undefined || p.summary.level === level) &&
      (kind === undefined || p.kinds.has(kind)) &&
      (maxMinutes === undefined || p.summary.totalMinutes <= maxMinutes),
  );
  const keyOf = pathKey(sort);
  const descending = sort.startsWith('-');
  matching.sort((a, b) => compareKeys(keyOf(a), keyOf(b), descending));
  const fingerprint = fingerprintOf(['paths', needle ?? null, tag ?? null, level ?? null, kind ?? null, maxMinutes ?? null, sort]);
  const page = pageOf(matching, keyOf, descending, limit, cursor, fingerprint);
  return { ...page, items: page.items.map((p) => p.summary) };
}

const resourceKey = (r: IndexedResource): CursorKey => [r.entry.pathSlug, r.ordinal];

/** `GET /v1/resources`: the resources of every path matching the filters, by path slug then document order, one page. */
export function listResources(view: CatalogView, query: ResourceListQuery): ResourceList {
  const { q, kind, maxMinutes, path, limit, cursor } = query;
  const needle = q?.toLowerCase();
  const matching = view.resources().filter(
    (r) =>
      (needle === undefined || r.text.includes(needle)) &&
      (kind === undefined || r.entry.kind === kind) &&
      (path === undefined || r.entry.pathSlug === path) &&
      (maxMinutes === undefined || (r.entry.durationMinutes !== null && r.entry.durationMinutes <= maxMinutes)),
  );
  matching.sort((a, b) => compareKeys(resourceKey(a), resourceKey(b), false));
  const fingerprint = fingerprintOf(['resources', needle ?? null, kind ?? null, maxMinutes ?? null, path ?? null]);
  const page = pageOf(matching, resourceKey, false, limit, cursor, fingerprint);
  return { ...page, items: page.items.map((r) => r.entry) };
}
