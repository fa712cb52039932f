/**
 * A `Storage` kept in memory for as long as the page lives: what the page uses where the browser
 * denies it `localStorage` or `sessionStorage`, as it does to a tool framed by an LMS on another
 * site when third-party storage is blocked (reading `window.localStorage` then throws).
 */
export class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();

  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  clear(): void {
    this.#items.clear();
  }
}

/** The browser's `localStorage` or `sessionStorage`, or a `MemoryStorage` where the browser denies it. */
export function webStorage(kind: 'local' | 'session'): Storage {
  try {
    const storage = kind === 'local' ? window.localStorage : window.sessionStorage;
    if (storage) return storage;
  } catch {
    // Denied (a SecurityError): this page keeps what it stores until it is left.
  }
  return new MemoryStorage();
}
