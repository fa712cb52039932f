/** Options of the result cache. */
export interface ResultCacheOptions {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes (UTF-16 units of keys and values) kept, so hostile variety cannot grow memory. */
  maxBytes: number;
  /** Results larger than this are not kept. */
  maxEntryBytes: number;
}

// Query texts that have a number of their own. Clients send a handful of texts with varying
// variables; hostile variety only starts the numbering again (old keys then miss and age out).
const MAX_QUERY_TEXTS = 1024;
const MAX_QUERY_CHARS = 4 * 1024 * 1024;

/** FNV-1a over a string's UTF-16 units, unsigned and never 0 (0 marks an empty slot of the refusal table). */
function fingerprint(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0 || 1;
}

interface Entry {
  readonly value: string;
  /** The count of misses when it was kept. */
  readonly at: number;
}

/**
 * A bounded cache of serialised GraphQL responses. Keys include the catalog version, so a
 * swapped catalog never serves an old answer; entries of old versions age out. Keys name the
 * query text by a number: short keys cost less to hash on every request and to keep.
 *
 * An answer is served while fewer than `maxEntries` misses have followed it; oldest out first
 * beyond the limits. While there is room every result is kept; once full, a result is kept only
 * when its key missed once already among the recent refusals (`admits`), so that a stream of
 * queries that never come back costs no entry each. A request is never answered here unless it
 * would have been by a cache that keeps every result: at most as many results are kept, and
 * none lives longer.
 *
 * Refusals are remembered as 32-bit fingerprints in a fixed table of about twice `maxEntries`
 * slots (a key's slot is its fingerprint's low bits; a later refusal may take it over), with the
 * count of refusals at the time, so that a second miss counts only within the last
 * `maxEntries` refusals. Kept as keys in a set instead, a refused key lived on until thousands
 * of requests later, and every uncached request paid for the set's upkeep and for the garbage
 * collector moving its keys. Two keys of one fingerprint only let a result be kept a miss early.
 */
export class ResultCache {
  readonly #entries = new Map<string, Entry>();
  readonly #options: ResultCacheOptions;
  readonly #queries = new Map<string, number>();
  /** Fingerprints of refused keys, by slot. */
  readonly #refused: Uint32Array;
  /** The count of refusals when each slot's fingerprint was refused. */
  readonly #refusedAt: Float64Array;
  #refusals = 0;
  #queryChars = 0;
  #nextQuery = 0;
  #bytes = 0;
  #misses = 0;

  constructor(options: ResultCacheOptions) {
    this.#options = options;
    // A power of two of at least twice maxEntries (64 to 2^20 slots).
    const slots = 2 ** Math.min(20, Math.max(6, Math.ceil(Math.log2(Math.max(1, options.maxEntries) * 2))));
    this.#refused = new Uint32Array(slots);
    this.#refusedAt = new Float64Array(slots);
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

  /** The cached response, or undefined (a miss, counted). */
  get(key: string): string | undefined {
    // Hits do not reorder (that would cost two map writes per request): eviction is by age,
    // and a popular answer evicted is simply cached again on its next request.
    const entry = this.#entries.get(key);
    if (entry !== undefined && this.#misses - entry.at < this.#options.maxEntries) return entry.value;
    this.#misses++;
    return undefined;
  }

  /** Whether to keep the response to a request whose key just missed: always while there is room; when full, on its second miss. */
  admits(key: string): boolean {
    if (this.#entries.size < this.#options.maxEntries && this.#bytes < this.#options.maxBytes) return true;
    const print = fingerprint(key);
    const slot = print & (this.#refused.length - 1);
    if (this.#refused[slot] === print && this.#refusals - this.#refusedAt[slot]! < this.#options.maxEntries) {
      this.#refused[slot] = 0;
      return true;
    }
    this.#refused[slot] = print;
    this.#refusedAt[slot] = this.#refusals++;
    return false;
  }

  /** Keeps a response, evicting the oldest ones beyond the limits. */
  set(key: string, value: string): void {
    const size = key.length + value.length;
    if (size > this.#options.maxEntryBytes) return;
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= key.length + previous.value.length;
    }
    this.#entries.set(key, { value, at: this.#misses });
    this.#bytes += size;
    while (this.#entries.size > this.#options.maxEntries || this.#bytes > this.#options.maxBytes) {
      const [oldKey, old] = this.#entries.entries().next().value!;
      this.#entries.delete(oldKey);
      this.#bytes -= oldKey.length + old.value.length;
    }
  }

  /** How many responses are kept (some may be past serving). */
  get size(): number {
    return this.#entries.size;
  }
}
