/** Options of the result cache. */
export interface ResultCacheOptions {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes (UTF-16 units of keys and values) kept, so hostile variety cannot grow memory. */
  maxBytes: number;
  /** Results larger than this are not kept. */
  maxEntryBytes: number;
}

/**
 * A bounded cache of serialised GraphQL responses, oldest out first. Keys include the catalog
 * version, so a swapped catalog never serves an old answer; entries of old versions age out.
 */
export class ResultCache {
  readonly #entries = new Map<string, string>();
  readonly #options: ResultCacheOptions;
  #bytes = 0;

  constructor(options: ResultCacheOptions) {
    this.#options = options;
  }

  /** The key of a request: catalog version, operation name, variables and query text. */
  static keyOf(version: string, query: string, variables: string, operationName: string): string {
    return `${version}\u0000${operationName}\u0000${variables}\u0000${query}`;
  }

  /** The cached response. */
  get(key: string): string | undefined {
    // Hits do not reorder (that would cost two map writes per request): eviction is by age,
    // and a popular answer evicted is simply cached again on its next request.
    return this.#entries.get(key);
  }

  /** Keeps a response, evicting the oldest ones beyond the limits. */
  set(key: string, value: string): void {
    const size = key.length + value.length;
    if (size > this.#options.maxEntryBytes) return;
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= key.length + previous.length;
    }
    this.#entries.set(key, value);
    this.#bytes += size;
    for (const [oldKey, oldValue] of this.#entries) {
      if (this.#entries.size <= this.#options.maxEntries && this.#bytes <= this.#options.maxBytes) break;
      this.#entries.delete(oldKey);
      this.#bytes -= oldKey.length + oldValue.length;
    }
  }

  /** How many responses are kept. */
  get size(): number {
    return this.#entries.size;
  }
}
