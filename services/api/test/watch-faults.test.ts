import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog, type CatalogLoad } from '@learnpath/content';
import { toDocument } from '@learnpath/schema';
import { CatalogStore } from '../src/catalog/store.js';
import { watchContent, type ContentWatcher, type FileWatcher, type WatchOptions } from '../src/catalog/watch.js';
import { seedPath } from './support/fixtures.js';

// The watcher in-process against a temporary content folder: whatever happens on disk, the
// store holds one complete catalog at a time, and nothing throws.

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
  /** Waits until the watcher has been quiet for a while and nothing is pending. */
  quiet(ms?: number): Promise<void>;
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
  const history: Record<string, string>[] = [];
  store.subscribe(() => history.push(titlesOf(store)));
  const logs: string[] = [];
  const record = (...args: unknown[]): void => {
    logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  const baseLoad = () => loadCatalog(dir);
  const { wrapLoad, ...rest } = overrides;
  const watcher = watchContent({
    store,
    target: dir,
    debounceMs: 60,
    rearmMs: 100,
    load: wrapLoad ? wrapLoad(baseLoad) : baseLoad,
    logger: { info: record, warn: record, error: record } as never,
    ...rest,
  });
  cleanups.push(async () => {
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
  });
  await watcher.ready;
  const quiet = async (ms = 400): Promise<void> => {
    await sleep(ms);
    await watcher.idle();
  };
  return { dir, store, watcher, logs, history, write, quiet };
}

describe('content faults in watch mode', () => {
  it('keeps the old catalog while a file is half-written, then serves the whole new one', async () => {
    const h = await startWatching({ 'a.json': documentText('a', 'g0'), 'b.json': documentText('b', 'g0') });
    const full = documentText('a', 'g1');
    await h.write('a.json', full.slice(0, full.length >> 1));
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g0', b: 'b g0' });
    expect(h.store.state).toMatchObject({ stale: true });
    expect(h.store.state.diagnostics.some((d) => d.file === 'a.json' && d.code === 'LP002')).toBe(true);

    await h.write('a.json', full);
    await h.write('b.json', documentText('b', 'g1'));
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g1', b: 'b g1' });
    expect(h.store.state).toMatchObject({ stale: false, diagnostics: [] });
    expectEachStateComplete(h.history);
  });

  it('serves the catalog without a deleted file, and without a folder renamed away', async () => {
    const h = await startWatching({ 'a.json': documentText('a', 'g0'), 'b.json': documentText('b', 'g0'), 'deep/c.json': documentText('c', 'g0') });
    await unlink(join(h.dir, 'b.json'));
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g0', c: 'c g0' });

    // Renamed within the content folder: the same paths, so the same version stays served.
    const version = h.store.catalog.version;
    await rename(join(h.dir, 'deep'), join(h.dir, 'deeper'));
    await h.quiet();
    expect(h.store.state).toMatchObject({ stale: false });
    expect(h.store.catalog.version).toBe(version);
    await h.write('deeper/c.json', documentText('c', 'g1'));
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g0', c: 'c g1' });

    // Renamed out of the content folder: the path is gone.
    await rename(join(h.dir, 'deeper'), join(h.dir, '..', `${h.dir.split('/').pop()}-moved`));
    cleanups.push(() => rm(`${h.dir}-moved`, { recursive: true, force: true }));
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g0' });
  });

  it('survives the content folder itself vanishing, reports it stale, and resumes when it is back', async () => {
    const h = await startWatching({ 'a.json': documentText('a', 'g0') });
    const away = `${h.dir}-away`;
    cleanups.push(() => rm(away, { recursive: true, force: true }));
    await rename(h.dir, away);
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g0' });
    expect(h.store.state.stale).toBe(true);
    expect(h.store.state.diagnostics[0]).toMatchObject({ code: 'LP001', severity: 'error' });
    expect(h.store.state.diagnostics[0]!.message).toContain('no such file or folder');
    expect(h.logs.some((l) => l.includes('is gone'))).toBe(true);

    await rename(away, h.dir);
    await h.quiet();
    expect(h.store.state.stale).toBe(false);
    // Watching resumed: a later edit is picked up.
    await h.write('a.json', documentText('a', 'g1'));
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g1' });
  });

  it('turns 100 edits in one second into a few reloads of complete states, ending with the last', async () => {
    let loads = 0;
    const h = await startWatching(
      { 'a.json': documentText('a', 'e0'), 'b.json': documentText('b', 'e0') },
      {
        wrapLoad: (load) => () => {
          loads++;
          return load();
        },
      },
    );
    const started = Date.now();
    for (let i = 1; i <= 100; i++) {
      // Both files move to state i together: a catalog that mixes states is a failure.
      await Promise.all([h.write('a.json', documentText('a', `e${i}`)), h.write('b.json', documentText('b', `e${i}`))]);
      await sleep(Math.max(0, started + i * 10 - Date.now()));
    }
    expect(Date.now() - started).toBeLessThan(3000);
    await h.quiet(600);
    expect(titlesOf(h.store)).toEqual({ a: 'a e100', b: 'b e100' });
    expect(h.store.state.stale).toBe(false);
    expectEachStateComplete(h.history);
    // Debounced: nowhere near one load per edit.
    expect(loads).toBeLessThan(20);
  });

  it('never runs two loads at once, and never lets a load that began before a newer change win', async () => {
    let active = 0;
    let mostActive = 0;
    let loads = 0;
    let readG1Done = (): void => undefined;
    const readG1 = new Promise<void>((resolve) => (readG1Done = resolve));
    const h = await startWatching(
      { 'a.json': documentText('a', 'g0') },
      {
        debounceMs: 20,
        // A slow loader: reads the files, then takes its time, as a large catalog would.
        wrapLoad: (load) => async () => {
          active++;
          loads++;
          mostActive = Math.max(mostActive, active);
          try {
            const result = await load();
            if (result.catalog?.paths.get('a')?.title === 'a g1') readG1Done();
            await sleep(300);
            return result;
          } finally {
            active--;
          }
        },
      },
    );
    await h.write('a.json', documentText('a', 'g1'));
    await readG1; // the first load has read g1 and is still busy
    await h.write('a.json', documentText('a', 'g2'));
    await sleep(50);
    await h.write('a.json', documentText('a', 'g3'));
    await h.quiet(800);
    expect(titlesOf(h.store)).toEqual({ a: 'a g3' });
    expect(mostActive).toBe(1);
    expect(loads).toBeGreaterThanOrEqual(2);
    // The load that read g1 finished after g2 and g3 were written: its result was dropped.
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
    await h.quiet(200);
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
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g0' });
    expect(h.store.state.stale).toBe(true);
    expect(h.store.state.diagnostics).toEqual([expect.objectContaining({ code: 'LP001', message: expect.stringContaining('EMFILE') })]);
    fail = false;
    await h.write('a.json', documentText('a', 'g2'));
    await h.quiet();
    expect(titlesOf(h.store)).toEqual({ a: 'a g2' });
    expect(h.store.state.stale).toBe(false);
  });
});
