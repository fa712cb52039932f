import { describe, expect, it } from 'vitest';
import { ResultCache } from './result-cache.js';

const QUERY = 'query One($slug: ID!) { path(slug: $slug) { title } }';
const keyOf = (cache: ResultCache, slug: string, version = 'v1', query = QUERY, operationName = '') => cache.keyOf(version, query, JSON.stringify({ slug }), operationName);
const body = (text: string) => Buffer.from(text);

describe('ResultCache', () => {
  it('keys by catalog version, query text, variables and operation name', () => {
    const cache = new ResultCache({ maxEntries: 10, maxBytes: 1e6, maxEntryBytes: 1e5 });
    const key = keyOf(cache, 'a');
    expect(keyOf(cache, 'a')).toBe(key);
    const others = [keyOf(cache, 'b'), keyOf(cache, 'a', 'v2'), keyOf(cache, 'a', 'v1', `${QUERY} `), keyOf(cache, 'a', 'v1', QUERY, 'One')];
    expect(new Set([key, ...others]).size).toBe(5);
    cache.set(key, body('{"data":1}'));
    expect(cache.get(key)?.toString()).toBe('{"data":1}');
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
    expect(keys.slice(1).map((key) => cache.get(key)?.toString())).toEqual(keys.slice(1));
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
