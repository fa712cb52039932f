import type { LearningPath } from '@learnpath/schema';

// The paths of a sealed built catalog, parsed one at a time on first use. A sealed file is what
// `learnpath build` wrote, byte for byte (its content hash says so), so its layout is known:
// `"hashes":{…},"paths":[{"slug":"a",…},{"slug":"b",…}]}` on one line, paths in slug order.
// Finding where each path starts costs a scan for `{"slug":"`, which cannot occur inside a JSON
// string (a quote in a string is escaped); parsing 100,000 paths up front would cost seconds
// and gigabytes before the first request.

const PATH_START = Buffer.from('{"slug":"', 'latin1');
const HASHES_START = Buffer.from('"hashes":{', 'latin1');
const PATHS_START = Buffer.from(',"paths":[', 'latin1');

/** Where each path of a sealed file lies, with its slug and content hash, in slug order. */
export interface SealedLayout {
  readonly slugs: readonly string[];
  readonly hashes: readonly string[];
  /** Byte offsets: path `i` is `bytes[starts[i], ends[i])`. */
  readonly starts: Uint32Array | Float64Array;
  readonly ends: Uint32Array | Float64Array;
}

/**
 * The layout of the sealed part of a compact built catalog (`bytes` starts right after the
 * seal), or null when it is not laid out as `learnpath build` writes it compactly (a pretty
 * file, keys in another order): the caller then parses the whole file.
 */
export function readSealedLayout(bytes: Buffer): SealedLayout | null {
  if (bytes.indexOf(HASHES_START) !== 0) return null;
  // Slugs and hex hashes hold no braces or quotes to escape: the first `}` closes the hashes.
  const hashesEnd = bytes.indexOf(0x7d /* } */, HASHES_START.length);
  if (hashesEnd < 0 || bytes.indexOf(PATHS_START, hashesEnd + 1) !== hashesEnd + 1) return null;
  let record: unknown;
  try {
    record = JSON.parse(bytes.toString('latin1', HASHES_START.length - 1, hashesEnd + 1));
  } catch {
    return null;
  }
  if (record === null || typeof record !== 'object') return null;
  const entries = Object.entries(record as Record<string, unknown>);
  const slugs: string[] = [];
  const hashes: string[] = [];
  for (const [slug, hash] of entries) {
    // The catalog's order is slug order; a file in any other order is not this layout.
    if (typeof hash !== 'string' || (slugs.length > 0 && !(slugs[slugs.length - 1]! < slug))) return null;
    slugs.push(slug);
    hashes.push(hash);
  }
  const Offsets = bytes.length < 2 ** 32 ? Uint32Array : Float64Array;
  const starts = new Offsets(slugs.length);
  const ends = new Offsets(slugs.length);
  const listStart = hashesEnd + 1 + PATHS_START.length;
  let at = listStart;
  for (let i = 0; i < slugs.length; i++) {
    // Each path starts with its slug, the slug the hashes list next: anything else is not this layout.
    if (bytes.indexOf(PATH_START, at) !== at) return null;
    const slug = slugs[i]!;
    const quote = at + PATH_START.length + slug.length;
    if (bytes.toString('latin1', at + PATH_START.length, quote) !== slug || bytes[quote] !== 0x22) return null;
    starts[i] = at;
    const next = i + 1 < slugs.length ? bytes.indexOf(PATH_START, quote) : -1;
    const end = next < 0 ? bytes.lastIndexOf(']}') : next - 1;
    if (end <= quote || bytes[end - 1] !== 0x7d /* } */ || (next >= 0 && bytes[end] !== 0x2c) /* , */) return null;
    ends[i] = end;
    at = next;
  }
  if (slugs.length === 0 && bytes[listStart] !== 0x5d /* ] */) return null;
  return { slugs, hashes, starts, ends };
}

/** Where a `LazyPathMap` reads the JSON of its paths. */
export interface PathTexts {
  /** The JSON of the path at position `i` in slug order. */
  text(i: number): string;
  /** The path at `i` is parsed and kept; `left` are not parsed yet. Its text may be let go. */
  parsed(i: number, left: number): void;
}

/** The JSON of each path of a sealed file, sliced from the file's bytes; the bytes are let go once every path is parsed. */
export function sealedTexts(bytes: Buffer, layout: SealedLayout, utf8: boolean): PathTexts {
  let held: Buffer | null = bytes;
  return {
    text: (i) => held!.toString(utf8 ? 'utf8' : 'latin1', layout.starts[i], layout.ends[i]),
    parsed: (_i, left) => {
      if (left === 0) held = null;
    },
  };
}

/** The JSON of each path as compiled, each string let go once its path is parsed. */
export function compiledTexts(jsons: (string | undefined)[]): PathTexts {
  return {
    text: (i) => jsons[i]!,
    parsed: (i) => {
      jsons[i] = undefined;
    },
  };
}

/**
 * Paths by slug, in slug order, each parsed from its JSON (and frozen) on first access and kept:
 * the paths of a sealed file, or those just compiled, which a build writes out without ever
 * parsing them.
 */
export class LazyPathMap implements ReadonlyMap<string, LearningPath> {
  readonly #slugs: readonly string[];
  readonly #texts: PathTexts;
  readonly #positions: Map<string, number>;
  readonly #parsed: (LearningPath | undefined)[];
  readonly #freeze: <T>(value: T) => T;
  #left: number;

  constructor(slugs: readonly string[], texts: PathTexts, freeze: <T>(value: T) => T) {
    this.#slugs = slugs;
    this.#texts = texts;
    this.#freeze = freeze;
    this.#positions = new Map(slugs.map((slug, i) => [slug, i]));
    this.#parsed = new Array<LearningPath | undefined>(slugs.length);
    this.#left = slugs.length;
  }

  get size(): number {
    return this.#slugs.length;
  }

  has(slug: string): boolean {
    return this.#positions.has(slug);
  }

  get(slug: string): LearningPath | undefined {
    const i = this.#positions.get(slug);
    return i === undefined ? undefined : this.at(i);
  }

  /** The path at position `i` in slug order. */
  at(i: number): LearningPath {
    const done = this.#parsed[i];
    if (done !== undefined) return done;
    const path = this.#freeze(JSON.parse(this.#texts.text(i)) as LearningPath);
    this.#parsed[i] = path;
    this.#texts.parsed(i, --this.#left);
    return path;
  }

  /** `JSON.stringify` of the path at `i`, without parsing it when it has not been parsed yet. */
  jsonAt(i: number): string {
    const done = this.#parsed[i];
    return done !== undefined ? JSON.stringify(done) : this.#texts.text(i);
  }

  forEach(callback: (value: LearningPath, key: string, map: ReadonlyMap<string, LearningPath>) => void, thisArg?: unknown): void {
    for (const [slug, path] of this.entries()) callback.call(thisArg, path, slug, this);
  }

  *entries(): MapIterator<[string, LearningPath]> {
    for (let i = 0; i < this.size; i++) yield [this.#slugs[i]!, this.at(i)];
  }

  *keys(): MapIterator<string> {
    yield* this.#slugs;
  }

  *values(): MapIterator<LearningPath> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }

  [Symbol.iterator](): MapIterator<[string, LearningPath]> {
    return this.entries();
  }
}
