import type { CatalogState, CatalogStore } from '../../src/catalog/store.js';

/** Resolves with the store's state once `predicate` holds for it (now, or after a later change). */
export function waitForState(store: CatalogStore, predicate: (state: CatalogState) => boolean, timeoutMs = 10_000): Promise<CatalogState> {
  if (predicate(store.state)) return Promise.resolve(store.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the catalog store did not reach the expected state within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = store.subscribe((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      stop();
      resolve(state);
    });
  });
}
