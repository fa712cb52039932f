import type { CursorKey } from './cursor.js';
import { indexAfter } from './order.js';

/** How to page through a sorted list. */
export interface PageRequest<T> {
  /** The sort key of an item; the list is sorted by it. */
  keyOf: (item: T) => CursorKey;
  /** Whether the list is sorted by descending first key. */
  descending: boolean;
  /** How many items the page holds at most. */
  limit: number;
  /** The key of the last item of the previous page, or undefined for the first page. */
  after: CursorKey | undefined;
}

/** One page of a sorted list. */
export interface KeysetPage<T> {
  /** The items of the page, in order. */
  items: T[];
  /** How many items the whole list holds. */
  total: number;
  /** Whether items precede the page. */
  hasPrevious: boolean;
  /** Whether items follow the page. */
  hasNext: boolean;
}

/**
 * The keyset paginator of every listing, REST and GraphQL: the page starts right after the
 * cursor's key, not at an offset, so content swapped between two requests neither repeats
 * nor skips the items that stayed.
 */
export function paginate<T>(sorted: readonly T[], request: PageRequest<T>): KeysetPage<T> {
  const { keyOf, descending, limit, after } = request;
  const start = after === undefined ? 0 : indexAfter(sorted, keyOf, after, descending);
  return {
    items: sorted.slice(start, start + limit),
    total: sorted.length,
    hasPrevious: start > 0,
    hasNext: start + limit < sorted.length,
  };
}
