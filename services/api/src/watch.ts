import { watch } from 'chokidar';
import type { FastifyBaseLogger } from 'fastify';
import type { CatalogLoad } from '@learnpath/content';
import { formatDiagnostic } from '@learnpath/schema';
import type { CatalogStore } from './catalog-store.js';

/** Options of `watchContent`. */
export interface WatchOptions {
  /** The store whose catalog is swapped. */
  store: CatalogStore;
  /** The file or folder to watch. */
  target: string;
  /** Loads the catalog again (e.g. `loadContent(source)`). */
  load: () => Promise<CatalogLoad>;
  /** Where reloads are reported. */
  logger: FastifyBaseLogger;
  /** Quiet time after the last change before reloading, in ms. Default 150. */
  debounceMs?: number;
}

/** A running watcher. */
export interface ContentWatcher {
  /** Resolves once the watcher sees changes. */
  ready: Promise<void>;
  /** Resolves when no reload is pending or running (for tests). */
  idle(): Promise<void>;
  /** Stops watching. */
  close(): Promise<void>;
}

/**
 * Reloads the catalog whenever the content changes. Changes are debounced and reloads never
 * overlap, so a burst of edits (or a file saved in several writes) becomes one reload of the
 * final state. A load with errors keeps the last good catalog and marks the store stale; a
 * good one is swapped in whole.
 */
export function watchContent(options: WatchOptions): ContentWatcher {
  const { store, load, logger } = options;
  const debounceMs = options.debounceMs ?? 150;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let waiters: (() => void)[] = [];

  const settle = (): void => {
    if (timer !== undefined || running !== undefined) return;
    const pending = waiters;
    waiters = [];
    for (const resolve of pending) resolve();
  };

  const reload = async (): Promise<void> => {
    const result = await load();
    if (closed) return;
    if (result.catalog === null) {
      store.markStale(result.diagnostics);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      logger.error(
        { diagnostics: result.diagnostics.map(formatDiagnostic), contentVersion: store.catalog.version },
        `content has ${errors.length} error(s); still serving the last good content (version ${store.catalog.version})`,
      );
      return;
    }
    for (const d of result.diagnostics) logger.warn(formatDiagnostic(d));
    const previous = store.state;
    if (!previous.stale && previous.catalog.version === result.catalog.version) return;
    store.swap(result.catalog);
    logger.info(
      { contentVersion: result.catalog.version, paths: result.catalog.paths.size },
      `content reloaded: ${result.catalog.paths.size} path(s), version ${result.catalog.version}`,
    );
  };

  const run = (): void => {
    timer = undefined;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = reload()
      .catch((error: unknown) => logger.error({ err: error }, 'content reload failed; still serving the last good content'))
      .finally(() => {
        running = undefined;
        if (again && !closed) {
          again = false;
          schedule();
        } else {
          settle();
        }
      });
  };

  const schedule = (): void => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  const watcher = watch(options.target, { ignoreInitial: true, persistent: true });
  watcher.on('all', schedule);
  watcher.on('error', (error) => logger.error({ err: error }, 'content watcher error'));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    ready,
    idle: () => new Promise<void>((resolve) => {
      waiters.push(resolve);
      settle();
    }),
    close: async () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await watcher.close();
      await running;
      settle();
    },
  };
}
