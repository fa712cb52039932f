import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { memoizeText } from './text-memo.js';

describe('memoizeText', () => {
  it('reads a text once and answers again from memory, null and undefined answers included', () => {
    const calls: string[] = [];
    const read = memoizeText((text: string) => {
      calls.push(text);
      return text === 'none' ? null : text === 'nothing' ? undefined : text.length;
    });
    expect([read('abc'), read('abc'), read('none'), read('none'), read('nothing'), read('nothing')]).toEqual([3, 3, null, null, undefined, undefined]);
    expect(calls).toEqual(['abc', 'none', 'nothing']);
  });

  it('keeps at most `limit` texts and reads long ones every time', () => {
    const calls: string[] = [];
    const read = memoizeText((text: string) => calls.push(text), 2, 5);
    for (const text of ['a', 'b', 'a', 'c', 'a', 'toolong', 'toolong']) read(text);
    // 'c' found the memory full: it was emptied, so 'a' is read again.
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'toolong', 'toolong']);
  });

  it('answers for a slice of a larger text as for the same text written out', () => {
    const document = `Duration: 1 hour 15 minutes — ${'x'.repeat(10_000)}`;
    const read = memoizeText((text: string) => text.toUpperCase());
    expect(read(document.slice(10, 27))).toBe('1 HOUR 15 MINUTES');
    expect(read('1 hour 15 minutes')).toBe('1 HOUR 15 MINUTES');
  });
});

describe('memoizeText keys', () => {
  it('do not keep the documents they were cut from alive', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const read = memoizeText((text: string) => text.length);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200; i++) {
      // A document of 400 KB (two bytes a character) and a 20-character slice of it.
      const document = `${'é'.repeat(100_000)}—key number ${String(i).padStart(3, '0')} here${'x'.repeat(100_000)}`;
      expect(read(document.slice(100_000, 100_020))).toBe(20);
    }
    gc();
    // Kept whole, the documents would take about 76 MiB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 1024 * 1024);
  });
});
