import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from '@learnpath/schema';
import { formatOfFile } from './document-format.js';

/** The learning path files found under a folder, and the folders that could not be read. */
export interface PathFileList {
  /** Paths relative to the folder, with `/` separators, sorted. */
  files: string[];
  /** LP001 for every folder (or the root) that could not be read. */
  diagnostics: Diagnostic[];
}

/** Whether a file or folder name is skipped when listing: dotfiles, node_modules and READMEs. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || /^readme\.(md|markdown)$/i.test(name);
}

/**
 * Lists every learning path document under a folder, recursively: `.md`, `.markdown`, `.yaml`,
 * `.yml` and `.json` files. Skips dotfiles and dot-folders, `node_modules` and `README.md`;
 * follows symbolic links to files but not to folders (so links cannot loop). Files of other
 * types (images, notes) are ignored. Folders that cannot be read become LP001 diagnostics.
 */
export async function listPathFiles(dir: string): Promise<PathFileList> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      const name = folder === dir ? dir : toPosix(relative(dir, folder));
      diagnostics.push({ file: name, line: 1, column: 1, severity: 'error', code: 'LP001', message: `cannot read folder: ${describeFsError(error)}` });
      return;
    }
    const subfolders: string[] = [];
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const full = join(folder, entry.name);
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        isFile = await stat(full).then((s) => s.isFile(), () => false);
      }
      if (entry.isDirectory()) subfolders.push(full);
      else if (isFile && formatOfFile(entry.name) !== null) files.push(toPosix(relative(dir, full)));
    }
    for (const sub of subfolders) await walk(sub);
  };
  await walk(dir);
  files.sort(compareNames);
  return { files, diagnostics };
}

/** Orders file names by code unit, so output is the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** A one-line, human description of a file system error (no stack trace). */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or folder (it may have been moved or deleted)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, expected a file';
    case 'ENOTDIR':
      return 'is a file, expected a folder';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return e?.code ? `${e.code}: ${e.message}` : String((e as Error | undefined)?.message ?? error);
  }
}
