import { afterEach, describe, expect, it } from 'vitest';
import { createLocalProgressSource } from './progress-source.js';
import { MemoryStorage, webStorage } from './web-storage.js';

// A browser that denies a framed page its storage throws on reading `window.localStorage`
// (a SecurityError), as Chromium does to a tool in an LMS frame when third-party storage is blocked.
const denied = (): never => {
  throw new DOMException('Access is denied for this document.', 'SecurityError');
};

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'window');
});

function browserWith(storage: { local: () => Storage; session: () => Storage }): void {
  Object.defineProperty(globalThis, 'window', {
    configurable: true,
    value: Object.defineProperties({}, { localStorage: { get: storage.local }, sessionStorage: { get: storage.session } }),
  });
}

describe('web storage where the browser denies it', () => {
  it('is kept in memory instead, and the page says its marks last only while it is open', async () => {
    browserWith({ local: denied, session: denied });
    expect(webStorage('local')).toBeInstanceOf(MemoryStorage);
    expect(webStorage('session')).toBeInstanceOf(MemoryStorage);
    const marks = createLocalProgressSource('a-path');
    expect(marks.description).toBe('Marks you make are kept on this page only: this browser does not let it keep them.');
    expect(await marks.setCompleted('first', true)).toEqual({ completed: ['first'], checked: [] });
    expect(await marks.setChecked(2, true)).toEqual({ completed: ['first'], checked: [2] });
    expect(await marks.load()).toEqual({ completed: ['first'], checked: [2] });
  });

  it("is the browser's own where it is allowed", () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    browserWith({ local: () => local, session: () => session });
    expect(webStorage('local')).toBe(local);
    expect(webStorage('session')).toBe(session);
  });

  it('behaves as a Storage', () => {
    const storage = new MemoryStorage();
    storage.setItem('a', '1');
    storage.setItem('b', '2');
    expect([storage.length, storage.key(0), storage.key(1), storage.key(2), storage.getItem('a'), storage.getItem('none')]).toEqual([2, 'a', 'b', null, '1', null]);
    storage.removeItem('a');
    expect(storage.getItem('a')).toBeNull();
    storage.clear();
    expect(storage.length).toBe(0);
  });
});
