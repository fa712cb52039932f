/** A least-recently-used map bounded by the total size of its values (the newest entry is always kept). */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #budget: number;
  readonly #sizeOf: (value: V) => number;
  readonly #dropped: ((value: V) => void) | undefined;
  #held = 0;

  /**
   * `budget` in the units of `sizeOf`; each entry also counts 64 for its key and slot.
   * `dropped` is told of every value that leaves (replaced or beyond the budget).
   */
  constructor(budget: number, sizeOf: (value: V) => number, dropped?: (value: V) => void) {
    this.#budget = budget;
    this.#sizeOf = sizeOf;
    this.#dropped = dropped;
  }

  /** The value of `key`, now the most recently used; undefined when it is not kept. */
  get(key: string): V | undefined {
    const hit = this.#entries.get(key);
    // Recency only decides what goes when the budget is exceeded: below half of it, a hit costs one lookup.
    if (hit !== undefined && this.#held > this.#budget / 2) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Keeps `value` under `key` (replacing what was there), dropping the least recently used beyond the budget. */
  set(key: string, value: V): void {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#held -= this.#sizeOf(previous) + 64;
      if (previous !== value) this.#dropped?.(previous);
    }
    this.#entries.set(key, value);
    this.#held += this.#sizeOf(value) + 64;
    for (const [oldest, old] of this.#entries) {
      if (this.#held <= this.#budget || this.#entries.size <= 1) break;
      this.#entries.delete(oldest);
      this.#held -= this.#sizeOf(old) + 64;
      this.#dropped?.(old);
    }
  }

  /** The value of `key`, made by `make` and kept on a miss. */
  getOrMake(key: string, make: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    this.set(key, value);
    return value;
  }
}
