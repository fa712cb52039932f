import { searchText } from './search.js';
import { waitForView, type SearchedIndex } from './text-index.js';
import type { CatalogView } from './view.js';

// A listing or a search of a content version that is still being indexed in the background
// waits for it, but not for ever: a very large catalog takes a while to index after a start or
// a reload, and a client held longer than this is better told when to come back.

/** How long a listing or a search waits for the background indexing, by default (ms). */
export const DEFAULT_INDEX_WAIT_MS = 15_000;
/** Seconds a client is told to wait (`Retry-After`) when the indexing outlasts the wait. */
export const INDEX_RETRY_AFTER_SECONDS = 5;

/** Raised when the background indexing outlasts the wait. */
export class IndexNotReadyError extends Error {
  constructor() {
    super(`The content is still being indexed after a start or a reload; retry in ${INDEX_RETRY_AFTER_SECONDS} s.`);
    this.name = 'IndexNotReadyError';
  }
}

/**
 * Runs `list` once `view` can answer a listing (with a search of `index` when `q` has words): at
 * once when it is indexed, else when the background indexing of its content version gets there.
 * When that takes longer than `waitMs`, rejects with what `refuse` makes of the `IndexNotReadyError`.
 */
export function whenIndexed<T>(view: CatalogView, q: string | null | undefined, index: SearchedIndex, waitMs: number, list: () => T, refuse: (error: IndexNotReadyError) => Error): T | Promise<T> {
  const waiting = waitForView(view, searchText(q) !== null ? index : false);
  if (waiting === null) return list();
  return withinIndexWait(waiting, waitMs).then(list, (error: unknown) => {
    throw error instanceof IndexNotReadyError ? refuse(error) : error;
  });
}

/** `waiting`, or an `IndexNotReadyError` once `ms` have passed without it settling. */
function withinIndexWait(waiting: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IndexNotReadyError()), ms);
  });
  return Promise.race([waiting, timeout]).finally(() => clearTimeout(timer));
}
