import { createHash, hash } from 'node:crypto';
import type { LearningPath } from '@learnpath/schema';

/** An immutable set of learning paths, the unit the service serves and swaps. */
export interface Catalog {
  /** Paths by slug, in slug order. */
  readonly paths: ReadonlyMap<string, LearningPath>;
  /** Content hash of each path (hex), for strong ETags. */
  readonly hashes: ReadonlyMap<string, string>;
  /** Where each path was read from, relative to the content folder (absent for built catalogs). */
  readonly files: ReadonlyMap<string, string>;
  /** Content hash of the whole catalog: changes whenever any path changes. */
  readonly version: string;
}

/** A stable hash of JSON-serialisable content. */
export function hashContent(value: unknown): string {
  return hashJson(JSON.stringify(value));
}

/** `hashContent` of the value whose JSON this is, given as text or as its UTF-8 bytes. */
export function hashJson(json: string | Uint8Array): string {
  return hash('sha256', json, 'hex').slice(0, 32);
}

/**
 * Builds a catalog from compiled paths (later paths with the same slug are the caller's bug).
 * `known` gives content hashes already known (worked out by `hashContent` where the paths were
 * compiled, or read from a sealed built catalog); the others are worked out here.
 */
export function createCatalog(paths: readonly LearningPath[], files: ReadonlyMap<string, string> = new Map(), known: ReadonlyMap<string, string> = new Map()): Catalog {
  const sorted = [...paths].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const byslug = new Map<string, LearningPath>();
  const hashes = new Map<string, string>();
  for (const path of sorted) {
    const frozen = deepFreeze(path);
    byslug.set(path.slug, frozen);
    hashes.set(path.slug, known.get(path.slug) ?? hashContent(frozen));
  }
  return Object.freeze({ paths: byslug, hashes, files, version: versionOf(hashes) });
}

/**
 * A catalog whose paths are read on first use (a sealed built catalog, or paths just compiled):
 * `hashes` in slug order, `paths` the map that parses them. Its version is the one
 * `createCatalog` gives the same paths.
 */
export function createLazyCatalog(paths: ReadonlyMap<string, LearningPath>, hashes: ReadonlyMap<string, string>, files: ReadonlyMap<string, string> = new Map()): Catalog {
  return Object.freeze({ paths, hashes, files, version: versionOf(hashes) });
}

// The version hashes every slug with its content hash, in slug order.
function versionOf(hashes: ReadonlyMap<string, string>): string {
  const whole = createHash('sha256');
  for (const [slug, hash] of hashes) whole.update(`${slug}\0${hash}\n`);
  return whole.digest('hex').slice(0, 16);
}

// Plain loops instead of Object.values: a 10,000-path catalog has millions of nodes to freeze.
/** Freezes a compiled path and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) deepFreeze(record[key]);
  }
  return value;
}
