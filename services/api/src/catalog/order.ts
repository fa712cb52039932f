import type { CursorKey } from './cursor.js';

// The one ordering of every list the service serves. Listings sort with it and cursors resume
// with it, so a page never lands anywhere but right after the last item of the previous one.

// Text sorts the way people read it: case- and accent-insensitive, numbers by value.
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** A list read by its length, by index and by slices: an array, or the items of a search, ranked as far as they are read. */
export interface ItemList<T> {
  readonly length: number;
  slice(start?: number, end?: number): T[];
  at(index: number): T | undefined;
}

/** Compares two texts: as people read them, then by code units, so that only equal texts tie. */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function compareValue(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(String(a), String(b));
}

/** Compares two sort keys; `descending` flips the first key only, so ties stay in a fixed order. */
export function compareKeys(a: CursorKey, b: CursorKey, descending: boolean): number {
  const primary = compareValue(a[0], b[0]);
  if (primary !== 0) return descending ? -primary : primary;
  // Ties are broken by the second key, always ascending, so every order is total.
  return compareValue(a[1], b[1]);
}

/** A copy of `items` in the order of their keys. */
export function sortByKey<T>(items: readonly T[], keyOf: (item: T) => CursorKey, descending: boolean): T[] {
  return items
    .map((item) => ({ item, key: keyOf(item) }))
    .sort((a, b) => compareKeys(a.key, b.key, descending))
    .map(({ item }) => item);
}

/** The index of the first item of `sorted` that comes after `key` (binary search). */
export function indexAfter<T>(sorted: ItemList<T>, keyOf: (item: T) => CursorKey, key: CursorKey, descending: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(keyOf(sorted.at(mid)!), key, descending) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
