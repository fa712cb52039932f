import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Running from the TypeScript sources (tests, `npm start`, the command line in a checkout), a
// worker thread under tsx's require hook takes ~0.9 s to start: the hook reads and scans every
// module it loads, zod's and commonmark's among them. The same sources bundled into one
// CommonJS script by esbuild (a development dependency, as tsx is) start in ~0.2 s. Bundling
// takes ~0.3 s, so the bundle is kept in a file and made again in the background whenever one
// of its inputs changed: a process uses it when it is up to date, and tsx otherwise.

/** The default folder of kept bundles: one per user, beside tsx's own cache. */
export const BUNDLE_FOLDER = join(tmpdir(), `learnpath-${process.getuid?.() ?? 'user'}`);

/** Each input of a bundle as [absolute path, size, mtime in ms], the first line of its file. */
type Inputs = [string, number, number][];

function fileOf(entry: string, folder: string): string {
  const name = createHash('sha256').update(`${entry}\u0000${process.version}`).digest('hex').slice(0, 16);
  return join(folder, `worker-${name}.cjs`);
}

/**
 * The kept bundle of `entry` when it is up to date, else null; then (once per process and
 * entry) a new bundle is made in the background for the next process.
 */
export function workerBundle(entry: string, folder = BUNDLE_FOLDER): string | null {
  const kept = keptBundle(entry, folder);
  if (kept === null) refreshOnce(entry, folder);
  return kept;
}

/** The kept bundle of `entry` when every input is as it was bundled, else null. */
export function keptBundle(entry: string, folder = BUNDLE_FOLDER): string | null {
  try {
    const file = fileOf(entry, folder);
    // Code is run from it: only from a folder and a file of this user that no one else can write.
    if (!ownedByUser(folder) || !ownedByUser(file)) return null;
    const text = readFileSync(file, 'utf8');
    const newline = text.indexOf('\n');
    const inputs = JSON.parse(text.slice(2, newline)) as Inputs;
    if (inputs.length > 0 && inputs.every(([file, size, mtime]) => unchanged(file, size, mtime))) return text.slice(newline + 1);
  } catch {
    // Missing or damaged: made again.
  }
  return null;
}

function ownedByUser(path: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  const stats = statSync(path);
  return stats.uid === uid && (stats.mode & 0o022) === 0;
}

function unchanged(file: string, size: number, mtime: number): boolean {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats !== undefined && stats.size === size && stats.mtimeMs === mtime;
}

const refreshing = new Set<string>();

function refreshOnce(entry: string, folder: string): void {
  const file = fileOf(entry, folder);
  if (refreshing.has(file)) return;
  refreshing.add(file);
  // Nothing waits for it, and a failure only leaves the workers under tsx.
  void makeBundle(entry, folder).catch(() => undefined);
}

/**
 * Bundles `entry` with esbuild (workspace packages resolved to their sources, dependencies to
 * their ES module builds) and keeps it with the size and modification time of each input. An
 * input modified while it was bundled is not trusted: nothing is kept, so the next process
 * bundles again. Resolves to the code, or null when nothing was kept.
 */
export async function makeBundle(entry: string, folder = BUNDLE_FOLDER): Promise<string | null> {
  const { build } = await import('esbuild');
  const started = Date.now();
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['source'],
    // Some CommonJS builds load their parts with a computed require, which a bundle cannot follow.
    mainFields: ['module', 'main'],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) return null;
  const inputs: Inputs = [];
  // This file too: a bundle made with other options is out of date.
  for (const path of [...Object.keys(result.metafile.inputs).map((input) => resolve(input)), fileURLToPath(import.meta.url)]) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined || stats.mtimeMs >= started - 1000) return null;
    inputs.push([path, stats.size, stats.mtimeMs]);
  }
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = fileOf(entry, folder);
  // Written whole under another name and renamed: a reader sees the old file or the new one.
  const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(partial, `//${JSON.stringify(inputs)}\n${code}`, { mode: 0o600 });
  renameSync(partial, file);
  return code;
}
