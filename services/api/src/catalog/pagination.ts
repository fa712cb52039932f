import type { CatalogView } from './view.js';
import { isDescending, indexAfter, pathSortKey, resourceSortKey, searchPaths, searchResources } from './search.js';
import { decodeCursor, encodeCursor, fingerprintOf, type CursorKey } from './cursor.js';
import type { PathList, PathListQuery, ResourceList, ResourceListQuery } from '../rest/schemas.js';

/** One page of `sorted` after the cursor's key, with the cursor of the following page. */
function pageOf<T>(
  sorted: readonly T[],
  keyOf: (item: T) => CursorKey,
  descending: boolean,
  limit: number,
  cursor: string | undefined,
  fingerprint: string,
): { items: T[]; total: number; nextCursor: string | null } {
  const start = cursor === undefined ? 0 : indexAfter(sorted, keyOf, decodeCursor(cursor, fingerprint), descending);
  const items = sorted.slice(start, start + limit);
  const last = items[items.length - 1];
  const more = start + limit < sorted.length;
  return {
    items,
    total: sorted.length,
    nextCursor: more && last !== undefined ? encodeCursor(fingerprint, keyOf(last)) : null,
  };
}

/** `GET /v1/paths`: the paths matching the filters, sorted, one page. */
export function listPaths(view: CatalogView, query: PathListQuery): PathList {
  const { q, tag, level, kind, maxMinutes, sort, limit, cursor } = query;
  const matching = searchPaths(view, { q, tag, level, kind, maxMinutes }, sort);
  const fingerprint = fingerprintOf(['paths', q?.toLowerCase() ?? null, tag ?? null, level ?? null, kind ?? null, maxMinutes ?? null, sort]);
  const page = pageOf(matching, pathSortKey(sort), isDescending(sort), limit, cursor, fingerprint);
  return { ...page, items: page.items.map((p) => p.summary) };
}

/** `GET /v1/resources`: the resources of every path matching the filters, by path slug then document order, one page. */
export function listResources(view: CatalogView, query: ResourceListQuery): ResourceList {
  const { q, kind, maxMinutes, path, tag, level, limit, cursor } = query;
  const matching = searchResources(view, { q, kind, maxMinutes, path, tag, level });
  const fingerprint = fingerprintOf(['resources', q?.toLowerCase() ?? null, kind ?? null, maxMinutes ?? null, path ?? null, tag ?? null, level ?? null]);
  const page = pageOf(matching, resourceSortKey, false, limit, cursor, fingerprint);
  return { ...page, items: page.items.map((r) => r.entry) };
}
