import { describe, expect, it } from 'vitest';
import { ResultCache } from './result-cache.js';

const QUERY = 'query One($slug: ID!) { path(slug: $slug) { title } }';
const keyOf = (cache: ResultCache, slug: string, version = 'v1', query = QUERY, operationName = '') => cache.keyOf(version, query, JSON.stringify({ slug }), operationName);
const body = (text: string) => text;

describe('ResultCache', () => {
  it('keys by catalog version, query text, variables and operation name', () => {
    const cache = new ResultCache({ maxEntries: 10, maxBytes: 1e6, maxEntryBytes: 1e5 });
    const key = keyOf(cache, 'a');
    expect(keyOf(cache, 'a')).toBe(key);
    const others = [keyOf(cache, 'b'), keyOf(cache, 'a', 'v2'), keyOf(cache, 'a', 'v1', `${QUERY} `), keyOf(cache, 'a', 'v1', QUERY, 'One')];
    expect(new Set([key, ...others]).size).toBe(5);
    cache.set(key, body('{"data":1}'));
    expect(cache.get(key)).toBe('{"data":1}');
    for (const other of others) expect(cache.get(other)).toBeUndefined();
  });

  it('never matches a key made before the query texts were numbered again', () => {
    const cache = new ResultCache({ maxEntries: 10_000, maxBytes: 1e8, maxEntryBytes: 1e5 });
    const key = keyOf(cache, 'a');
    cache.set(key, body('{"data":1}'));
    // More texts than are numbered at once: the numbering starts again.
    for (let i = 0; i < 2000; i++) keyOf(cache, 'a', 'v1', `${QUERY} # ${i}`);
    const again = keyOf(cache, 'a');
    expect(again).not.toBe(key);
    expect(cache.get(again)).toBeUndefined();
  });

  it('evicts the oldest responses beyond maxEntries', () => {
    const cache = new ResultCache({ maxEntries: 3, maxBytes: 1e6, maxEntryBytes: 1e5 });
    const keys = ['a', 'b', 'c', 'd'].map((slug) => keyOf(cache, slug));
    for (const key of keys) cache.set(key, body(key));
    expect(cache.size).toBe(3);
    expect(cache.get(keys[0]!)).toBeUndefined();
    expect(keys.slice(1).map((key) => cache.get(key))).toEqual(keys.slice(1));
  });

  it('keeps every result while there is room; once full, a result on its second miss', () => {
    const cache = new ResultCache({ maxEntries: 3, maxBytes: 1e6, maxEntryBytes: 1e5 });
    const keys = ['a', 'b', 'c', 'd'].map((slug) => keyOf(cache, slug));
    for (const key of keys.slice(0, 3)) {
      expect(cache.get(key)).toBeUndefined();
      expect(cache.admits(key)).toBe(true);
      cache.set(key, body(key));
    }
    expect(cache.get(keys[3]!)).toBeUndefined();
    expect(cache.admits(keys[3]!)).toBe(false);
    expect(cache.get(keys[3]!)).toBeUndefined();
    expect(cache.admits(keys[3]!)).toBe(true);
    cache.set(keys[3]!, body(keys[3]!));
    expect(cache.get(keys[3]!)).toBe(keys[3]);
  });

  it('keeps a result on its second miss only within the last maxEntries refusals', () => {
    const cache = new ResultCache({ maxEntries: 4, maxBytes: 1e6, maxEntryBytes: 1e5 });
    for (const slug of ['a', 'b', 'c', 'd']) cache.set(keyOf(cache, slug), body(slug));
    const key = keyOf(cache, 'late');
    expect(cache.admits(key)).toBe(false);
    // Four other refusals: the first one is out of the window.
    for (const slug of ['w', 'x', 'y', 'z']) expect(cache.admits(keyOf(cache, slug))).toBe(false);
    expect(cache.admits(key)).toBe(false);
    // Refused again just now: its next miss is its second within the window.
    expect(cache.admits(keyOf(cache, 'y'))).toBe(true);
    expect(cache.admits(key)).toBe(true);
    // Admitting forgets the refusal: a third miss starts again.
    expect(cache.admits(key)).toBe(false);
  });

  it('admits a query asked again within the window while a long stream of distinct ones passes, and almost none of the stream', () => {
    const cache = new ResultCache({ maxEntries: 100, maxBytes: 1e6, maxEntryBytes: 1e5 });
    for (let i = 0; i < 100; i++) cache.set(keyOf(cache, `kept-${i}`), body('x'));
    const popular = keyOf(cache, 'popular');
    let oneOffsAdmitted = 0;
    let popularAdmitted = 0;
    for (let i = 0; i < 200_000; i++) {
      if (cache.admits(keyOf(cache, `one-off-${i}`))) oneOffsAdmitted++;
      // Asked every 50 refusals: admitted on every second ask (a slot taken over by a one-off only delays it).
      if (i % 50 === 0 && cache.admits(popular)) popularAdmitted++;
    }
    // One-offs are admitted only on a rare fingerprint match; the popular query on about half its 4,000 asks.
    expect(oneOffsAdmitted).toBeLessThan(10);
    expect(popularAdmitted).toBeGreaterThan(1_500);
  });

  it('serves an answer only while fewer than maxEntries misses have followed it', () => {
    const cache = new ResultCache({ maxEntries: 3, maxBytes: 1e6, maxEntryBytes: 1e5 });
    const kept = keyOf(cache, 'kept');
    expect(cache.get(kept)).toBeUndefined();
    cache.set(kept, body('kept'));
    for (const slug of ['x', 'y']) expect(cache.get(keyOf(cache, slug))).toBeUndefined();
    expect(cache.get(kept)).toBe('kept');
    expect(cache.get(keyOf(cache, 'z'))).toBeUndefined();
    expect(cache.get(kept)).toBeUndefined();
  });

  it('answers no request of a rotation longer than maxEntries, as a cache keeping every result would not', () => {
    const cache = new ResultCache({ maxEntries: 10, maxBytes: 1e6, maxEntryBytes: 1e5 });
    const rotation = Array.from({ length: 40 }, (_, i) => `path-${i}`);
    for (let round = 0; round < 5; round++) {
      for (const slug of rotation) {
        const key = keyOf(cache, slug);
        expect(cache.get(key), `${slug} in round ${round}`).toBeUndefined();
        if (cache.admits(key)) cache.set(key, body(slug));
      }
    }
  });

  it('keeps answers asked again while a stream of one-off queries passes', () => {
    const cache = new ResultCache({ maxEntries: 20, maxBytes: 1e6, maxEntryBytes: 1e5 });
    const popular = ['a', 'b'].map((slug) => keyOf(cache, slug));
    for (const key of popular) if (cache.get(key) === undefined && cache.admits(key)) cache.set(key, body(key));
    let hits = 0;
    for (let i = 0; i < 100; i++) {
      const key = keyOf(cache, `one-off-${i}`);
      expect(cache.get(key)).toBeUndefined();
      if (cache.admits(key)) cache.set(key, body(key));
      // The popular ones are asked again and again: kept again whenever they age out.
      for (const known of popular) {
        if (cache.get(known) !== undefined) hits++;
        else if (cache.admits(known)) cache.set(known, body(known));
      }
    }
    expect(hits).toBeGreaterThan(150);
  });

  it('does not keep a response larger than maxEntryBytes, and stays within maxBytes', () => {
    const cache = new ResultCache({ maxEntries: 100, maxBytes: 300, maxEntryBytes: 150 });
    const big = keyOf(cache, 'big');
    cache.set(big, body('x'.repeat(200)));
    expect(cache.get(big)).toBeUndefined();
    for (const slug of ['a', 'b', 'c', 'd']) cache.set(keyOf(cache, slug), body('y'.repeat(80)));
    expect(cache.size).toBeLessThan(4);
    expect(cache.get(keyOf(cache, 'd'))?.length).toBe(80);
  });
});
