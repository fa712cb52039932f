import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Diagnostic, LearningPath } from '@learnpath/schema';
import { createLazyCatalog, deepFreeze, type Catalog } from './catalog.js';
import { checkAcrossPaths, type CompiledFile } from './cross-path.js';
import type { CompiledDocument } from './compile-file.js';
import { countDiagnostics, sortDiagnostics } from './diagnostics.js';
import { listPathFiles } from './list-files.js';
import { loadDocuments } from './load-pool.js';
import { compiledTexts, LazyPathMap } from './sealed-paths.js';

/** Options for `loadCatalog` and `loadCatalogFiles`. */
export interface LoadCatalogOptions {
  /**
   * The files are only part of a catalog (e.g. `learnpath check one.md`): references to paths
   * not among them are warnings instead of errors. Default false.
   */
  partial?: boolean;
  /** Largest file read, in bytes (default 5 MiB); larger files are LP001 errors. */
  maxFileBytes?: number;
  /**
   * Worker threads that parse alongside the calling thread. Default: none below 1,000 files,
   * else one per spare core (at most 3). The result is the same either way.
   */
  threads?: number;
  /**
   * Also validate every compiled path with `LearningPathSchema`, as `learnpath build` does before
   * it seals a catalog. Default false (the parser's output is made to match it).
   */
  checkOutput?: boolean;
}

/** The outcome of loading a catalog: the catalog when nothing is wrong, and every diagnostic. */
export interface CatalogLoad {
  /** The catalog, or null when any diagnostic is an error. */
  catalog: Catalog | null;
  /** Every diagnostic of every file, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** Every path that compiled, in the order of the files (even when `catalog` is null); parsed when first read. */
  paths: LearningPath[];
  /** How many documents were read. */
  fileCount: number;
}

const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
// Below this a worker's start-up (loading the parser) costs more than it saves.
const PARALLEL_THRESHOLD = 1000;
const MAX_THREADS = 3;

/**
 * Reads every learning path document under a folder (see `listPathFiles` for which files) into
 * a catalog, checking each document and the references between paths. File names in diagnostics
 * and in `catalog.files` are relative to `dir`. Never throws for bad content or unreadable files:
 * they become diagnostics.
 */
export async function loadCatalog(dir: string, options: LoadCatalogOptions = {}): Promise<CatalogLoad> {
  const listing = await listPathFiles(dir);
  const load = await loadCatalogFiles(listing.files, { ...options, root: dir });
  if (listing.diagnostics.length === 0) return load;
  const diagnostics = sortDiagnostics([...listing.diagnostics, ...load.diagnostics]);
  return withPaths({ catalog: null, diagnostics, fileCount: load.fileCount }, pathsOf(load));
}

/**
 * Reads the given learning path files into a catalog. Each file is read relative to `root`
 * (default: the working directory) and named in diagnostics as given.
 */
export async function loadCatalogFiles(files: readonly string[], options: LoadCatalogOptions & { root?: string } = {}): Promise<CatalogLoad> {
  const root = options.root ?? process.cwd();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const diagnostics: Diagnostic[] = [];
  const compiled: CompiledDocument[] = [];
  const entries = files.map((file): [string, string] => [file, isAbsolute(file) ? file : resolve(root, file)]);
  const threads = options.threads ?? (files.length >= PARALLEL_THRESHOLD ? Math.min(MAX_THREADS, availableParallelism() - 1) : 0);
  const { results } = await loadDocuments(entries, { maxBytes, checkOutput: options.checkOutput ?? false }, Math.max(0, threads));
  const hashes: string[] = [];
  for (const result of results) {
    diagnostics.push(...result.diagnostics);
    if (result.compiled) {
      compiled.push(result.compiled);
      hashes.push(result.hash!);
    }
  }
  const neighbours = options.partial ? await neighbourSlugs(compiled, entries, root, maxBytes) : new Set<string>();
  diagnostics.push(...checkAcrossPaths(compiled, options.partial ?? false, neighbours));
  sortDiagnostics(diagnostics);
  const load = { catalog: null, diagnostics, fileCount: files.length };
  return countDiagnostics(diagnostics).errors === 0 ? compiledLoad(compiled, hashes, load) : withPaths(load, parsedPaths(compiled.map((c) => c.json)));
}

// Each helper below makes its closures in a scope of its own: a closure keeps alive every
// variable its function's closures use, and the compiled documents (their references,
// positions and JSON) must not outlive the load.

/** The load of a catalog without errors: each path stays the JSON it was compiled to until it is read (a build writes it as it is). */
function compiledLoad(compiled: readonly CompiledDocument[], hashes: readonly string[], load: Omit<CatalogLoad, 'paths'>): CatalogLoad {
  const slugs = compiled.map((c) => c.slug);
  const order = slugOrder(slugs);
  const paths = new LazyPathMap(
    order.map((i) => slugs[i]!),
    compiledTexts(order.map((i) => compiled[i]!.json)),
    deepFreeze,
  );
  const catalog = createLazyCatalog(paths, new Map(order.map((i) => [slugs[i]!, hashes[i]!])), new Map(order.map((i) => [slugs[i]!, compiled[i]!.file])));
  return withPaths({ ...load, catalog }, pathsBySlug(paths, slugs));
}

/** Positions of `slugs` in slug order. */
function slugOrder(slugs: readonly string[]): number[] {
  return slugs.map((_, i) => i).sort((a, b) => (slugs[a]! < slugs[b]! ? -1 : slugs[a]! > slugs[b]! ? 1 : 0));
}

function pathsBySlug(paths: ReadonlyMap<string, LearningPath>, slugs: readonly string[]): () => LearningPath[] {
  return () => slugs.map((slug) => paths.get(slug)!);
}

function parsedPaths(jsons: readonly string[]): () => LearningPath[] {
  return () => jsons.map((json) => JSON.parse(json) as LearningPath);
}

function pathsOf(load: CatalogLoad): () => LearningPath[] {
  return () => load.paths;
}

/** A load whose `paths` are made when first read (reading them parses every path), then kept. */
export function withPaths(load: Omit<CatalogLoad, 'paths'>, make: () => LearningPath[]): CatalogLoad {
  let paths: LearningPath[] | undefined;
  return Object.defineProperty(load, 'paths', { get: () => (paths ??= make()), enumerable: true, configurable: true }) as CatalogLoad;
}

/**
 * When only some files are checked, a reference to another path resolves against the folder of
 * the file it is written in: the slugs of the other documents there (their own problems are not
 * reported; they were not asked for).
 */
async function neighbourSlugs(compiled: readonly CompiledFile[], entries: readonly [string, string][], root: string, maxBytes: number): Promise<Set<string>> {
  const known = new Set(compiled.map((c) => c.slug));
  const folders = new Set<string>();
  for (const entry of compiled) {
    if (entry.references.some((ref) => !known.has(ref.slug))) folders.add(dirname(isAbsolute(entry.file) ? entry.file : resolve(root, entry.file)));
  }
  const loaded = new Set(entries.map(([, absolute]) => absolute));
  const others: [string, string][] = [];
  for (const folder of folders) {
    const listing = await listPathFiles(folder);
    for (const file of listing.files) {
      const absolute = resolve(folder, file);
      if (!loaded.has(absolute)) {
        loaded.add(absolute);
        others.push([absolute, absolute]);
      }
    }
  }
  if (others.length === 0) return new Set();
  const { results } = await loadDocuments(others, { maxBytes, checkOutput: false }, 0);
  return new Set(results.flatMap((r) => (r.compiled ? [r.compiled.slug] : [])));
}
