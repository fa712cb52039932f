import type { FastifyInstance } from 'fastify';
import type { CatalogStore } from './store.js';
import { warmTextIndex } from './text-index.js';
import { viewOf } from './view.js';

/**
 * Once the server listens, summarises and indexes the served content in the background, and
 * again for each content version swapped in: start-up does not wait for it, and listings and
 * searches that arrive before it is done wait for it. Without listening (tests that inject
 * requests), the first listing starts it.
 */
export function warmSearchOnListen(app: FastifyInstance, store: CatalogStore): void {
  let stop: (() => void) | undefined;
  const warm = (): void => {
    warmTextIndex(viewOf(store.catalog)).catch((error: unknown) => app.log.error({ err: error }, 'building the search index failed; searches build it on demand'));
  };
  app.addHook('onListen', async () => {
    warm();
    stop = store.subscribe((state) => {
      if (!state.stale) warm();
    });
  });
  app.addHook('onClose', async () => stop?.());
}
