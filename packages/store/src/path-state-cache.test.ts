import { describe, expect, it } from 'vitest';
import type { PathState } from './model.js';
import { createPathStateCache } from './path-state-cache.js';

const state = (revision: string, ...resourceIds: string[]): PathState => ({
  completions: resourceIds.map((resourceId) => ({ slug: 'p', resourceId, completedAt: '2026-01-01T00:00:00.000Z', source: 'api' })),
  updatedAt: '2026-01-01T00:00:00.000Z',
  revision,
});

/** A load that resolves when told to, counting how often it was asked. */
function deferred(value: PathState) {
  let resolve!: (v: PathState) => void;
  const promise = new Promise<PathState>((r) => (resolve = r));
  return { load: () => promise, resolve: () => resolve(value) };
}

describe('createPathStateCache', () => {
  it('reads a state once and answers from memory after', async () => {
    const cache = createPathStateCache(10);
    let loads = 0;
    const load = async () => (loads++, state('1', 'a'));
    expect(await cache.read('u|p', 'u', load)).toEqual(state('1', 'a'));
    expect(await cache.read('u|p', 'u', load)).toEqual(state('1', 'a'));
    expect(loads).toBe(1);
  });

  it('keeps the state a write committed, and answers it to the next read', async () => {
    const cache = createPathStateCache(10);
    await cache.read('u|p', 'u', async () => state('1'));
    await cache.write('u|p', 'u', async () => ({ changed: true, state: state('2', 'a') }));
    expect(await cache.read('u|p', 'u', () => Promise.reject(new Error('not asked')))).toEqual(state('2', 'a'));
  });

  it('does not keep what a read found when a write of that learner began while it ran', async () => {
    const cache = createPathStateCache(10);
    const slow = deferred(state('1'));
    const reading = cache.read('u|p', 'u', slow.load);
    await cache.write('u|other', 'u', async () => ({ changed: true, state: state('2', 'x') }));
    slow.resolve();
    expect(await reading).toEqual(state('1'));
    let loads = 0;
    await cache.read('u|p', 'u', async () => (loads++, state('3', 'b')));
    expect(loads).toBe(1);
  });

  it('keeps nothing of a pair while a write of it runs, and the last write once they are done', async () => {
    const cache = createPathStateCache(10);
    let finish!: () => void;
    const first = cache.write('u|p', 'u', () => new Promise((resolve) => (finish = () => resolve({ changed: true, state: state('2', 'a') }))));
    expect(await cache.read('u|p', 'u', async () => state('1'))).toEqual(state('1'));
    const second = cache.write('u|p', 'u', async () => ({ changed: true, state: state('3', 'a', 'b') }));
    await second;
    finish();
    await first;
    // The first write finished last but is not the last one called: nothing is kept.
    let loads = 0;
    expect(await cache.read('u|p', 'u', async () => (loads++, state('3', 'a', 'b')))).toEqual(state('3', 'a', 'b'));
    expect(loads).toBe(1);
  });

  it('drops the pair when a write fails', async () => {
    const cache = createPathStateCache(10);
    await cache.read('u|p', 'u', async () => state('1'));
    await expect(cache.write('u|p', 'u', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    let loads = 0;
    await cache.read('u|p', 'u', async () => (loads++, state('1')));
    expect(loads).toBe(1);
  });

  it("forgets every pair of an erased learner, also what a read running across the erasure found", async () => {
    const cache = createPathStateCache(10);
    await cache.read('u|p', 'u', async () => state('1', 'a'));
    await cache.read('v|p', 'v', async () => state('1', 'b'));
    const slow = deferred(state('1', 'a'));
    const reading = cache.read('u|q', 'u', slow.load);
    await cache.erase('u', async () => ({ erased: true }));
    slow.resolve();
    await reading;
    const empty = state('0');
    expect(await cache.read('u|p', 'u', async () => empty)).toBe(empty);
    expect(await cache.read('u|q', 'u', async () => empty)).toBe(empty);
    expect(await cache.read('v|p', 'v', () => Promise.reject(new Error('not asked')))).toEqual(state('1', 'b'));
  });

  it('holds at most its limit, dropping the least recently used', async () => {
    const cache = createPathStateCache(2);
    await cache.read('a', 'a', async () => state('1'));
    await cache.read('b', 'b', async () => state('1'));
    await cache.read('a', 'a', () => Promise.reject(new Error('not asked')));
    await cache.read('c', 'c', async () => state('1'));
    let loads = 0;
    await cache.read('a', 'a', async () => (loads++, state('1')));
    await cache.read('c', 'c', async () => (loads++, state('1')));
    expect(loads).toBe(0);
    await cache.read('b', 'b', async () => (loads++, state('1')));
    expect(loads).toBe(1);
  });

  it('hands out frozen states, so that no caller changes what the others see', async () => {
    const cache = createPathStateCache(10);
    const kept = await cache.read('u|p', 'u', async () => state('1', 'a'));
    expect(Object.isFrozen(kept) && Object.isFrozen(kept.completions) && Object.isFrozen(kept.completions[0])).toBe(true);
  });
});
