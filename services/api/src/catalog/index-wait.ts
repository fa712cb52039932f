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

/** `waiting`, or an `IndexNotReadyError` once `ms` have passed without it settling. */
export function withinIndexWait(waiting: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IndexNotReadyError()), ms);
  });
  return Promise.race([waiting, timeout]).finally(() => clearTimeout(timer));
}
