import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog, type CatalogLoad } from '@learnpath/content';
import { toDocument } from '@learnpath/schema';
import { CatalogStore } from '../src/catalog/store.js';
import { watchContent, type ContentWatcher, type FileWatcher, type WatchOptions } from '../src/catalog/watch.js';
import { watch } from 'chokidar';
import { seedPath } from './support/fixtures.js';

// The watcher in-process against a temporary content folder: whatever happens on disk, the
// store holds one complete catalog at a time, and nothing throws.

/** A path document whose every title carries `mark`, so a catalog shows which state it was read from. */
const documentText = (slug: string, mark: string): string =>
  `${JSON.stringify({ ...toDocument(seedPath), slug, title: `${slug} ${mark}` }, null, 2)}\n`;

/** The titles of a catalog by slug, e.g. `{ a: 'a g1' }`. */
const titlesOf = (store: CatalogStore): Record<string, string> =>
  Object.fromEntries([...store.catalog.paths].map(([slug, path]) => [slug, path.title]));

/** Fails when a catalog the store held mixes files from two states (titles `a g1`, `b g0`). */
function expectEachStateComplete(history: Record<string, string>[]): void {
  for (const state of history) {
    const marks = new Set(Object.values(state).map((title) => title.split(' ')[1]));
    expect(marks.size, `a catalog mixing states: ${JSON.stringify(state)}`).toBe(1);
  }
}

interface Harness {
  dir: string;
  store: CatalogStore;
  watcher: ContentWatcher;
  logs: string[];
  /** Every state the store was set to, as titles by slug. */
  history: Record<string, string>[];
  write(name: string, text: string): Promise<void>;
  /** Loads begun so far. */
  readonly loads: number;
  /** File system events the watcher has reported so far. */
  readonly events: number;
  /**
   * Resolves once `check` holds with no reload pending or running (or at once, with `settled`
   * false): checked now, and again at every store change, load and file event. A state that
   * never comes fails by the test's timeout.
   */
  until(check: () => boolean, settled?: boolean): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function startWatching(files: Record<string, string>, overrides: Partial<WatchOptions> & { wrapLoad?: (load: () => Promise<CatalogLoad>) => () => Promise<CatalogLoad> } = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'learnpath-faults-'));
  const write = async (name: string, text: string): Promise<void> => {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  };
  for (const [name, text] of Object.entries(files)) await write(name, text);
  const first = await loadCatalog(dir);
  if (!first.catalog) throw new Error(`fixture does not load: ${JSON.stringify(first.diagnostics)}`);
  const store = new CatalogStore(first.catalog);
  // Whatever may have changed what a test waits for: a store change, a load, a file event.
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const history: Record<string, string>[] = [];
  store.subscribe(() => {
    history.push(titlesOf(store));
    notify();
  });
  const logs: string[] = [];
  const record = (...args: unknown[]): void => {
    logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  const counts = { loads: 0, events: 0 };
  const { wrapLoad, ...rest } = overrides;
  const baseLoad = () => loadCatalog(dir);
  const innerLoad = wrapLoad ? wrapLoad(baseLoad) : baseLoad;
  const load = async (): Promise<CatalogLoad> => {
    counts.loads++;
    notify();
    try {
      return await innerLoad();
    } finally {
      setImmediate(notify);
    }
  };
  const createWatcher: WatchOptions['createWatcher'] =
    rest.createWatcher ??
    ((target, options) => {
      const fileWatcher = watch(target, options);
      fileWatcher.on('all', () => {
        counts.events++;
        notify();
      });
      return fileWatcher;
    });
  const watcher = watchContent({ store, target: dir, debounceMs: 60, rearmMs: 100, logger: { info: record, warn: record, error: record } as never, ...rest, load, createWatcher });
  cleanups.push(async () => {
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
  });
  await watcher.ready;
  const until = (check: () => boolean, settled = true): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let waiting = false;
      const attempt = (): void => {
        if (waiting || !check()) return;
        if (!settled) {
          listeners.delete(attempt);
          resolve();
          return;
        }
        waiting = true;
        watcher.idle().then(() => {
          waiting = false;
          if (!check()) return;
          listeners.delete(attempt);
          resolve();
        }, reject);
      };
      listeners.add(attempt);
      attempt();
    });
  return {
    dir,
    store,
    watcher,
    logs,
    history,
    write,
    get loads() {
      return counts.loads;
    },
    get events() {
      return counts.events;
    },
    until,
  };
}

describe('content faults in watch mode', () => {
  it('keeps the old catalog while a file is half-written, then serves the whole new one', async () => {
    const h = await startWatching({ 'a.json': documentText('a', 'g0'), 'b.json': documentText('b', 'g0') });
    const full = documentText('a', 'g1');
    await h.write('a.json', full.slice(0, full.length >> 1));
    await h.until(() => h.store.state.stale);
    expect(titlesOf(h.store)).toEqual({ a: 'a g0', b: 'b g0' });
    expect(h.store.state).toMatchObject({ stale: true });
    expect(h.store.state.diagnostics.some((d) => d.file === 'a.json' && d.code === 'LP002')).toBe(true);

    await h.write('a.json', full);
    await h.write('b.json', documentText('b', 'g1'));
    await h.until(() => !h.store.state.stale && h.store.catalog.paths.get('b')?.title === 'b g1');
    expect(titlesOf(h.store)).toEqual({ a: 'a g1', b: 'b g1' });
    expect(h.store.state).toMatchObject({ stale: false, diagnostics: [] });
    expectEachStateComplete(h.history);
  });

  it('serves the catalog without a deleted file, and without a folder renamed away', async () => {
    const h = await startWatching({ 'a.json': documentText('a', 'g0'), 'b.json': documentText('b', 'g0'), 'deep/c.json': documentText('c', 'g0') });
    await unlink(join(h.dir, 'b.json'));
    await h.until(() => !h.store.catalog.paths.has('b'));
    expect(titlesOf(h.store)).toEqual({ a: 'a g0', c: 'c g0' });

    // Renamed within the content folder: the same paths, so the same version stays served.
    const version = h.store.catalog.version;
    const loads = h.loads;
    await rename(join(h.dir, 'deep'), join(h.dir, 'deeper'));
    await h.until(() => h.loads > loads);
    expect(h.store.state).toMatchObject({ stale: false });
    expect(h.store.catalog.version).toBe(version);
    await h.write('deeper/c.json', documentText('c', 'g1'));
    await h.until(() => h.store.catalog.paths.get('c')?.title === 'c g1');
    expect(titlesOf(h.store)).toEqual({ a: 'a g0', c: 'c g1' });

    // Renamed out of the content folder: the path is gone.
    await rename(join(h.dir, 'deeper'), join(h.dir, '..', `${h.dir.split('/').pop()}-moved`));
    cleanups.push(() => rm(`${h.dir}-moved`, { recursive: true, force: true }));
    await h.until(() => !h.store.catalog.paths.has('c'));
    expect(titlesOf(h.store)).toEqual({ a: 'a g0' });
  });

  it('survives the content folder itself vanishing, reports it stale, and resumes when it is back', async () => {
    const h = await startWatching({ 'a.json': documentText('a', 'g0') });
    const away = `${h.dir}-away`;
    cleanups.push(() => rm(away, { recursive: true, force: true }));
    await rename(h.dir, away);
    await h.until(() => h.store.state.stale && h.logs.some((l) => l.includes('is gone')));
    expect(titlesOf(h.store)).toEqual({ a: 'a g0' });
    expect(h.store.state.stale).toBe(true);
    expect(h.store.state.diagnostics[0]).toMatchObject({ code: 'LP001', severity: 'error' });
    expect(h.store.state.diagnostics[0]!.message).toContain('no such file or folder');
    expect(h.logs.some((l) => l.includes('is gone'))).toBe(true);

    await rename(away, h.dir);
    await h.until(() => !h.store.state.stale);
    expect(h.store.state.stale).toBe(false);
    // Watching resumed: a later edit is picked up.
    await h.write('a.json', documentText('a', 'g1'));
    await h.until(() => h.store.catalog.paths.get('a')?.title === 'a g1');
    expect(titlesOf(h.store)).toEqual({ a: 'a g1' });
  });

  it('turns 100 edits in a burst into a few reloads of complete states, ending with the last', async () => {
    const h = await startWatching({ 'a.json': documentText('a', 'e0'), 'b.json': documentText('b', 'e0') });
    const loads = h.loads;
    for (let i = 1; i <= 100; i++) {
      // Both files move to state i together: a catalog that mixes states is a failure.
      await Promise.all([h.write('a.json', documentText('a', `e${i}`)), h.write('b.json', documentText('b', `e${i}`))]);
    }
    await h.until(() => h.store.catalog.paths.get('a')?.title === 'a e100' && h.store.catalog.paths.get('b')?.title === 'b e100');
    expect(h.store.state.stale).toBe(false);
    expectEachStateComplete(h.history);
    // Debounced: nowhere near one load per edit.
    expect(h.loads - loads).toBeGreaterThanOrEqual(1);
    expect(h.loads - loads).toBeLessThan(20);
  });

  it('serves an edit made right after a reload, however short the debounce', async () => {
    // chokidar reports no change to a file for 50 ms after reporting one: a load begun within
    // that window would serve g1 and never hear of g2.
    const h = await startWatching({ 'a.json': documentText('a', 'g0') }, { debounceMs: 1 });
    await h.write('a.json', documentText('a', 'g1'));
    await h.until(() => h.store.catalog.paths.get('a')?.title === 'a g1');
    await h.write('a.json', documentText('a', 'g2'));
    await h.until(() => h.store.catalog.paths.get('a')?.title === 'a g2');
    expect(h.history).toEqual([{ a: 'a g1' }, { a: 'a g2' }]);
  }, 10_000);

  it('never runs two loads at once, and never lets a load that began before a newer change win', async () => {
    let active = 0;
    let mostActive = 0;
    let readG1Done = (): void => undefined;
    const readG1 = new Promise<void>((resolve) => (readG1Done = resolve));
    let finishG1 = (): void => undefined;
    const g1Held = new Promise<void>((resolve) => (finishG1 = resolve));
    const h = await startWatching(
      { 'a.json': documentText('a', 'g0') },
      {
        debounceMs: 20,
        // A slow load: the one that reads g1 takes its time, as a large catalog would, until
        // the watcher has seen the changes written after it read the files.
        wrapLoad: (load) => async () => {
          active++;
          mostActive = Math.max(mostActive, active);
          try {
            const result = await load();
            if (result.catalog?.paths.get('a')?.title === 'a g1') {
              readG1Done();
              await g1Held;
            }
            return result;
          } finally {
            active--;
          }
        },
      },
    );
    await h.write('a.json', documentText('a', 'g1'));
    await readG1; // the first load has read g1 and is still busy
    const events = h.events;
    await h.write('a.json', documentText('a', 'g2'));
    await h.write('a.json', documentText('a', 'g3'));
    // Not settled: the load that read g1 is still running, held until this resolves.
    await h.until(() => h.events > events, false);
    finishG1();
    await h.until(() => h.store.catalog.paths.get('a')?.title === 'a g3');
    expect(mostActive).toBe(1);
    expect(h.loads).toBeGreaterThanOrEqual(2);
    // The load that read g1 finished after the watcher saw g2 or g3 written: its result was dropped.
    expect(h.history).toEqual([{ a: 'a g3' }]);
  });

  it('logs watcher errors (EACCES, ENOENT) and reloads instead of crashing', async () => {
    let fake: (EventEmitter & FileWatcher) | undefined;
    let loads = 0;
    const h = await startWatching(
      { 'a.json': documentText('a', 'g0') },
      {
        createWatcher: () => {
          const emitter = Object.assign(new EventEmitter(), { add: () => undefined, unwatch: () => undefined, close: async () => undefined });
          setImmediate(() => emitter.emit('ready'));
          fake = emitter;
          return emitter;
        },
        wrapLoad: (load) => () => {
          loads++;
          return load();
        },
      },
    );
    const denied = Object.assign(new Error("EACCES: permission denied, watch '/content/secret'"), { code: 'EACCES' });
    const vanished = Object.assign(new Error("ENOENT: no such file or directory, scandir '/content/gone'"), { code: 'ENOENT' });
    expect(() => fake!.emit('error', denied)).not.toThrow();
    expect(() => fake!.emit('error', vanished)).not.toThrow();
    expect(() => fake!.emit('error', 'not even an Error')).not.toThrow();
    await h.until(() => h.loads >= 1);
    expect(h.logs.some((l) => l.includes('content watcher: permission denied'))).toBe(true);
    expect(h.logs.some((l) => l.includes('content watcher: no such file or folder'))).toBe(true);
    expect(loads).toBe(1);
    expect(titlesOf(h.store)).toEqual({ a: 'a g0' });
    expect(h.store.state.stale).toBe(false);
  });

  it('marks the content stale with a diagnostic when the loader itself fails', async () => {
    let fail = true;
    const h = await startWatching(
      { 'a.json': documentText('a', 'g0') },
      {
        wrapLoad: (load) => () => {
          if (fail) return Promise.reject(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }));
          return load();
        },
      },
    );
    await h.write('a.json', documentText('a', 'g1'));
    await h.until(() => h.store.state.stale);
    expect(titlesOf(h.store)).toEqual({ a: 'a g0' });
    expect(h.store.state.stale).toBe(true);
    expect(h.store.state.diagnostics).toEqual([expect.objectContaining({ code: 'LP001', message: expect.stringContaining('EMFILE') })]);
    fail = false;
    await h.write('a.json', documentText('a', 'g2'));
    await h.until(() => h.store.catalog.paths.get('a')?.title === 'a g2');
    expect(titlesOf(h.store)).toEqual({ a: 'a g2' });
    expect(h.store.state.stale).toBe(false);
  });
});
