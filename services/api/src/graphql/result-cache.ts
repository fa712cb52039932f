/** Options of the result cache. */
export interface ResultCacheOptions {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes (UTF-16 units of keys, bytes of values) kept, so hostile variety cannot grow memory. */
  maxBytes: number;
  /** Results larger than this are not kept. */
  maxEntryBytes: number;
}

// Query texts that have a number of their own. Clients send a handful of texts with varying
// variables; hostile variety only starts the numbering again (old keys then miss and age out).
const MAX_QUERY_TEXTS = 1024;
const MAX_QUERY_CHARS = 4 * 1024 * 1024;

/**
 * A bounded cache of serialised GraphQL responses, oldest out first. Keys include the catalog
 * version, so a swapped catalog never serves an old answer; entries of old versions age out.
 *
 * Responses are kept as bytes, outside the JavaScript heap, and keys name the query text by a
 * number: a cache that takes a new entry on every request would otherwise carry each
 * response text through the garbage collector's generations until it is evicted.
 */
export class ResultCache {
  readonly #entries = new Map<string, Buffer>();
  readonly #options: ResultCacheOptions;
  readonly #queries = new Map<string, number>();
  #queryChars = 0;
  #nextQuery = 0;
  #bytes = 0;

  constructor(options: ResultCacheOptions) {
    this.#options = options;
  }

  /** The key of a request: catalog version, operation name, variables and query text. */
  keyOf(version: string, query: string, variables: string, operationName: string): string {
    let id = this.#queries.get(query);
    if (id === undefined) {
      if (this.#queries.size >= MAX_QUERY_TEXTS || this.#queryChars + query.length > MAX_QUERY_CHARS) {
        this.#queries.clear();
        this.#queryChars = 0;
      }
      // Numbers are never reused, so a key made before the numbering started again never matches a new text.
      id = this.#nextQuery++;
      this.#queries.set(query, id);
      this.#queryChars += query.length;
    }
    return `${version}\u0000${id}\u0000${operationName}\u0000${variables}`;
  }

  /** The cached response. */
  get(key: string): Buffer | undefined {
    // Hits do not reorder (that would cost two map writes per request): eviction is by age,
    // and a popular answer evicted is simply cached again on its next request.
    return this.#entries.get(key);
  }

  /** Keeps a response, evicting the oldest ones beyond the limits. */
  set(key: string, value: Buffer): void {
    const size = key.length + value.length;
    if (size > this.#options.maxEntryBytes) return;
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= key.length + previous.length;
    }
    this.#entries.set(key, value);
    this.#bytes += size;
    while (this.#entries.size > this.#options.maxEntries || this.#bytes > this.#options.maxBytes) {
      const [oldKey, oldValue] = this.#entries.entries().next().value!;
      this.#entries.delete(oldKey);
      this.#bytes -= oldKey.length + oldValue.length;
    }
  }

  /** How many responses are kept. */
  get size(): number {
    return this.#entries.size;
  }
}
