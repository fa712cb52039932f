import { readFile, stat } from 'node:fs';
import { promisify } from 'node:util';
import { isAbsolute, resolve } from 'node:path';
import { pathReferences, type Diagnostic, type LearningPath } from '@learnpath/schema';
import { createCatalog, type Catalog } from './catalog.js';
import { checkPath } from './check-path.js';
import { checkAcrossPaths, type CompiledFile } from './cross-path.js';
import { countDiagnostics, sortDiagnostics } from './diagnostics.js';
import { describeFsError, listPathFiles } from './list-files.js';
import { mapLimit } from './map-limit.js';
import { parsePathDocument } from './parse-document.js';

/** Options for `loadCatalog` and `loadCatalogFiles`. */
export interface LoadCatalogOptions {
  /** How many files are read and parsed at a time (default 32). */
  concurrency?: number;
  /**
   * The files are only part of a catalog (e.g. `learnpath check one.md`): references to paths
   * not among them are warnings instead of errors. Default false.
   */
  partial?: boolean;
  /** Largest file read, in bytes (default 5 MiB); larger files are LP001 errors. */
  maxFileBytes?: number;
}

/** The outcome of loading a catalog: the catalog when nothing is wrong, and every diagnostic. */
export interface CatalogLoad {
  /** The catalog, or null when any diagnostic is an error. */
  catalog: Catalog | null;
  /** Every diagnostic of every file, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** Every path that compiled, by slug order of the files (even when `catalog` is null). */
  paths: LearningPath[];
  /** How many documents were read. */
  fileCount: number;
}

const DEFAULT_CONCURRENCY = 32;
const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

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
  return { ...load, catalog: null, diagnostics };
}

/**
 * Reads the given learning path files into a catalog. Each file is read relative to `root`
 * (default: the working directory) and named in diagnostics as given.
 */
export async function loadCatalogFiles(files: readonly string[], options: LoadCatalogOptions & { root?: string } = {}): Promise<CatalogLoad> {
  const root = options.root ?? process.cwd();
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const diagnostics: Diagnostic[] = [];
  const compiled: CompiledFile[] = [];
  const results = await mapLimit(files, options.concurrency ?? DEFAULT_CONCURRENCY, async (file) => {
    const text = await readText(isAbsolute(file) ? file : resolve(root, file), maxBytes);
    if (typeof text !== 'string') return { diagnostics: [{ file, line: 1, column: 1, severity: 'error' as const, code: 'LP001' as const, message: text.error }], compiled: null };
    return compileFile(file, text);
  });
  for (const result of results) {
    diagnostics.push(...result.diagnostics);
    if (result.compiled) compiled.push(result.compiled);
  }
  diagnostics.push(...checkAcrossPaths(compiled, options.partial ?? false));
  sortDiagnostics(diagnostics);
  const paths = compiled.map((c) => c.path);
  const ok = countDiagnostics(diagnostics).errors === 0;
  const catalog = ok ? createCatalog(paths, new Map(compiled.map((c) => [c.path.slug, c.file]))) : null;
  return { catalog, diagnostics, paths, fileCount: files.length };
}

// Parses and checks one document, keeping only what the cross-path checks need, so the
// parser's tree can be collected while the other files load.
function compileFile(file: string, text: string): { diagnostics: Diagnostic[]; compiled: CompiledFile | null } {
  const result = parsePathDocument(text, { file });
  const diagnostics = [...result.diagnostics, ...checkPath(result, file)];
  if (!result.path) return { diagnostics, compiled: null };
  const references = pathReferences(result.path).map((ref) => ({ ...ref, position: result.locate(ref.at) }));
  return { diagnostics, compiled: { file, path: result.path, slugAt: result.locate(['slug']), references } };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// The callback API: for thousands of small files it costs about half of fs/promises' FileHandle.
const statFile = promisify(stat);
const readBytes = promisify(readFile);

/** Reads a UTF-8 text file, or says in one line why it cannot be read. */
async function readText(file: string, maxBytes: number): Promise<string | { error: string }> {
  try {
    const info = await statFile(file);
    if (info.isDirectory()) return { error: 'cannot read file: is a folder, expected a file' };
    if (info.size > maxBytes) return { error: `cannot read file: ${info.size} bytes is larger than the limit of ${maxBytes} bytes` };
    const bytes = await readBytes(file);
    try {
      return utf8.decode(bytes);
    } catch {
      return { error: 'cannot read file: it is not UTF-8 text' };
    }
  } catch (error) {
    return { error: `cannot read file: ${describeFsError(error)}` };
  }
}
