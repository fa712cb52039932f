/** A map of at most `limit` entries: reading or writing one makes it the most recent, and the least recent goes first. */
export class RecentMap<V> {
  readonly #entries = new Map<string, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The value of `key`, now the most recent; undefined when it is not kept. */
  get(key: string): V | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Keeps `value` under `key` as the most recent, dropping the least recent beyond the limit. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#limit) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** Drops `key`. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every entry whose value passes `test`. */
  deleteWhere(test: (value: V) => boolean): void {
    for (const [key, value] of this.#entries) if (test(value)) this.#entries.delete(key);
  }
}
