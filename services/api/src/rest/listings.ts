import type { PathList, ResourceList } from '@learnpath/schema';
import type { CatalogView } from '../catalog/view.js';
import { decodeCursor, encodeCursor, fingerprintOf, type CursorKey } from '../catalog/cursor.js';
import { paginate } from '../catalog/pagination.js';
import { isDescending, pathSortKey, resourceSortKey, searchPaths, searchResources } from '../catalog/search.js';
import type { PathListQuery, ResourceListQuery } from './schemas.js';

/** A REST page: the items, the total and the cursor of the next page (tied to the query's fingerprint). */
function restPage<T>(sorted: readonly T[], keyOf: (item: T) => CursorKey, descending: boolean, limit: number, cursor: string | undefined, fingerprint: string) {
  const page = paginate(sorted, { keyOf, descending, limit, after: cursor === undefined ? undefined : decodeCursor(cursor, fingerprint) });
  const last = page.items[page.items.length - 1];
  return { items: page.items, total: page.total, nextCursor: page.hasNext && last !== undefined ? encodeCursor(fingerprint, keyOf(last)) : null };
}

/** `GET /v1/paths`: the paths matching the filters, sorted, one page. */
export function listPaths(view: CatalogView, query: PathListQuery): PathList {
  const { q, tag, level, kind, maxMinutes, sort, limit, cursor } = query;
  const matching = searchPaths(view, { q, tag, level, kind, maxMinutes }, sort);
  const fingerprint = fingerprintOf(['paths', q?.toLowerCase() ?? null, tag ?? null, level ?? null, kind ?? null, maxMinutes ?? null, sort]);
  const page = restPage(matching, pathSortKey(sort), isDescending(sort), limit, cursor, fingerprint);
  return { ...page, items: page.items.map((p) => p.summary) };
}

/** `GET /v1/resources`: the resources of every path matching the filters, by path slug then document order, one page. */
export function listResources(view: CatalogView, query: ResourceListQuery): ResourceList {
  const { q, kind, maxMinutes, path, tag, level, limit, cursor } = query;
  const matching = searchResources(view, { q, kind, maxMinutes, path, tag, level });
  const fingerprint = fingerprintOf(['resources', q?.toLowerCase() ?? null, kind ?? null, maxMinutes ?? null, path ?? null, tag ?? null, level ?? null]);
  const page = restPage(matching, resourceSortKey, false, limit, cursor, fingerprint);
  return { ...page, items: page.items.map((r) => r.entry) };
}
