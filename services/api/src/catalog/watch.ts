import type { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { watch, type ChokidarOptions } from 'chokidar';
import type { FastifyBaseLogger } from 'fastify';
import { isIgnoredName, type CatalogLoad } from '@learnpath/content';
import type { Diagnostic } from '@learnpath/schema';
import type { CatalogStore } from './store.js';
import { LoadReporter } from './reload-report.js';

/** How long chokidar stays silent about a file after reporting a change to it (its `_throttle` of `change`). */
const CHANGE_THROTTLE_MS = 50;

/** The part of a chokidar watcher that `watchContent` uses. */
export interface FileWatcher extends Pick<EventEmitter, 'on' | 'once'> {
  /** Starts watching a path (again). */
  add(path: string): unknown;
  /** Stops watching a path. */
  unwatch(path: string): unknown;
  /** Stops watching everything. */
  close(): Promise<void>;
}

/** Options of `watchContent`. */
export interface WatchOptions {
  /** The store whose catalog is swapped. */
  store: CatalogStore;
  /** The file or folder to watch. */
  target: string;
  /** Loads the catalog again (e.g. `loadContent(source)`). */
  load: () => Promise<CatalogLoad>;
  /** Where reloads are reported. */
  logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Quiet time after the last change before reloading, in ms. Default 150; at least 60. */
  debounceMs?: number;
  /** How often a vanished target is looked for, in ms, so that watching resumes when it is back. Default 500. */
  rearmMs?: number;
  /** Creates the file system watcher. Default: chokidar's `watch`. */
  createWatcher?: (target: string, options: ChokidarOptions) => FileWatcher;
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

const fsReason = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException | undefined;
  if (e?.code === 'ENOENT') return 'no such file or folder (it may have been moved or deleted)';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'ENOSPC') return 'the system limit of watched files is reached (raise fs.inotify.max_user_watches)';
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? error);
};

/**
 * Reloads the catalog whenever the content changes, so that the store only ever holds a
 * complete catalog read from content that stood still:
 * - changes are debounced, and reloads never overlap (a burst of edits, or a file saved in
 *   several writes, becomes one reload of the final state);
 * - a load during which anything changed is thrown away and run again, so a load that began
 *   before a newer change never replaces what the newer content gives;
 * - a load with errors keeps the last good catalog and marks the store stale; a good one is
 *   swapped in whole;
 * - watcher errors (a vanished folder, a permission error) are logged and trigger a reload,
 *   whose diagnostics then say what is wrong; when the watched folder or file itself
 *   disappears, it is looked for until it is back and watched again.
 */
export function watchContent(options: WatchOptions): ContentWatcher {
  const { store, load, logger } = options;
  const target = resolve(options.target);
  // chokidar drops a file's change events for 50 ms after one it reports (and does not report
  // them later): a load must begin after that window, or an edit made within it is never read.
  const debounceMs = Math.max(options.debounceMs ?? 150, CHANGE_THROTTLE_MS + 10);
  const rearmMs = options.rearmMs ?? 500;
  // The store's diagnostics are those of the load it serves, reported when it was loaded.
  const reporter = new LoadReporter(store.state.diagnostics);
  let timer: NodeJS.Timeout | undefined;
  let rearmTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  // Bumped by every change; a load compares it before and after to know whether it is current.
  let changes = 0;
  let waiters: (() => void)[] = [];

  const settle = (): void => {
    if (timer !== undefined || running !== undefined) return;
    const pending = waiters;
    waiters = [];
    for (const resolveWaiter of pending) resolveWaiter();
  };

  const schedule = (): void => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  const changed = (): void => {
    changes++;
    schedule();
  };

  const targetExists = (): Promise<boolean> => stat(target).then(() => true, () => false);

  // Watchers stop seeing a folder once it is deleted or renamed away, even when it comes back.
  const rearmWhenBack = (): void => {
    if (closed || rearmTimer !== undefined) return;
    logger.warn(`${target} is gone; still serving the last good content and checking every ${rearmMs} ms for it to come back`);
    rearmTimer = setInterval(() => {
      void targetExists().then((exists) => {
        if (!exists || closed || rearmTimer === undefined) return;
        clearInterval(rearmTimer);
        rearmTimer = undefined;
        watcher.unwatch(target);
        watcher.add(target);
        logger.info(`${target} is back; watching it again`);
        changed();
      });
    }, rearmMs);
  };

  const reload = async (): Promise<void> => {
    const seen = changes;
    let result: CatalogLoad;
    try {
      result = await load();
    } catch (error) {
      // loadCatalog reports bad content as diagnostics; this is a fault of the loader itself.
      if (closed || seen !== changes) return;
      const diagnostic: Diagnostic = { file: target, line: 1, column: 1, severity: 'error', code: 'LP001', message: `cannot load the content: ${fsReason(error)}` };
      store.markStale([diagnostic]);
      logger.error({ err: error, contentVersion: store.catalog.version }, `content reload failed; still serving the last good content (version ${store.catalog.version})`);
      return;
    }
    if (closed) return;
    if (!(await targetExists())) rearmWhenBack();
    // Something changed while this load read the files: its result may mix old and new files.
    // The change has scheduled another load, which will see the content as it is now.
    if (seen !== changes) return;
    // Errors first, one line each, then the warnings that changed, then one line that sums up.
    const report = reporter.report(result.diagnostics, result.fileCount);
    for (const line of report.errors) logger.error(line);
    for (const line of report.newWarnings) logger.warn(line);
    if (result.catalog === null) {
      store.markStale(result.diagnostics);
      logger.error(
        { contentVersion: store.catalog.version },
        `content not reloaded: ${report.summary}; still serving the last good content (version ${store.catalog.version})`,
      );
      return;
    }
    const previous = store.state;
    if (!previous.stale && previous.catalog.version === result.catalog.version) return;
    store.swap(result.catalog, result.diagnostics);
    logger.info(
      { contentVersion: result.catalog.version, paths: result.catalog.paths.size },
      `content reloaded: ${result.catalog.paths.size} path(s), version ${result.catalog.version}, ${report.summary}`,
    );
  };

  function run(): void {
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
  }

  const createWatcher = options.createWatcher ?? ((path: string, watchOptions: ChokidarOptions): FileWatcher => watch(path, watchOptions));
  const watcher = createWatcher(target, {
    ignoreInitial: true,
    persistent: true,
    // The same files loadCatalog skips (dotfiles such as editor swap files, node_modules).
    ignored: (path: string) => resolve(path) !== target && isIgnoredName(basename(path)),
  });
  watcher.on('all', (event: string, path: string) => {
    if ((event === 'unlinkDir' || event === 'unlink') && resolve(path) === target) rearmWhenBack();
    changed();
  });
  watcher.on('error', (error: unknown) => {
    logger.warn({ code: (error as NodeJS.ErrnoException | undefined)?.code }, `content watcher: ${fsReason(error)}; reloading to check the content`);
    changed();
  });
  const ready = new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));

  return {
    ready,
    idle: () =>
      new Promise<void>((resolveIdle) => {
        waiters.push(resolveIdle);
        settle();
      }),
    close: async () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (rearmTimer !== undefined) clearInterval(rearmTimer);
      rearmTimer = undefined;
      await watcher.close();
      await running;
      settle();
    },
  };
}
