import type { CursorKey } from './cursor.js';
import { ProblemError } from '../http/problem.js';
import { indexAfter, type ItemList } from './order.js';

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
  /**
   * True for a list ranked by relevance: it has no sort key, so items are keyed by position.
   * Positions only hold for one query over one content version, which the cursor's fingerprint pins.
   */
  ranked?: boolean;
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
  /** The cursor key of each item of the page. */
  keys: CursorKey[];
}

/**
 * The keyset paginator of every listing, REST and GraphQL: the page starts right after the
 * cursor's key, not at an offset, so content swapped between two requests neither repeats
 * nor skips the items that stayed.
 */
export function paginate<T>(sorted: ItemList<T>, request: PageRequest<T>): KeysetPage<T> {
  const { keyOf, descending, limit, after, ranked = false } = request;
  const start = after === undefined ? 0 : ranked ? positionAfter(after, sorted.length) : indexAfter(sorted, keyOf, after, descending);
  const items = sorted.slice(start, start + limit);
  return {
    items,
    keys: ranked ? items.map((_, i) => [start + i, start + i] as const) : items.map(keyOf),
    total: sorted.length,
    hasPrevious: start > 0,
    hasNext: start + limit < sorted.length,
  };
}

// A ranked cursor holds the position of the last item served (twice, in the shape of a key).
function positionAfter(after: CursorKey, length: number): number {
  const [position] = after;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new ProblemError(400, 'The cursor is not one this service issued. Use the nextCursor of a previous page.', {
      type: 'urn:learnpath:problem:invalid-cursor',
      extensions: { errors: [{ in: 'query', pointer: '/cursor', message: 'malformed cursor' }] },
    });
  }
  return Math.min(position + 1, length);
}
