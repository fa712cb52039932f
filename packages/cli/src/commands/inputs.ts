import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '@learnpath/schema';
import { listPathFiles } from '@learnpath/content';

/** The documents named on the command line: folders expanded, files as given. */
export interface Inputs {
  /** File names as shown to the user (relative to the working directory when given so). */
  files: string[];
  /** Problems with the arguments themselves (missing folders, unreadable folders). */
  diagnostics: Diagnostic[];
  /** Whether any single file was named (then references outside the set are only warnings). */
  partial: boolean;
}

/** Expands `[dir|file...]` arguments into document files. */
export async function collectInputs(args: readonly string[], cwd: string): Promise<Inputs> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  let partial = false;
  for (const arg of args) {
    const info = await stat(resolve(cwd, arg)).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      const reason = info.code === 'ENOENT' ? 'no such file or folder' : info.code === 'EACCES' ? 'permission denied' : (info.code ?? info.message);
      diagnostics.push({ file: arg, line: 1, column: 1, severity: 'error', code: 'LP001', message: `cannot read: ${reason}` });
    } else if (info.isDirectory()) {
      const listing = await listPathFiles(resolve(cwd, arg));
      files.push(...listing.files.map((f) => join(arg, f)));
      diagnostics.push(...listing.diagnostics.map((d) => ({ ...d, file: d.file === resolve(cwd, arg) ? arg : join(arg, d.file) })));
    } else {
      files.push(arg);
      partial = true;
    }
  }
  return { files: [...new Set(files)], diagnostics, partial };
}

/** The folder commands read when none is named. */
export const DEFAULT_FOLDER = 'content';

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

/**
 * When no folder was named and there is no `content` folder in `cwd`: a message saying where to
 * run the command instead (the nearest folder above that has one), or null when there is one.
 */
export async function explainMissingDefaultFolder(command: string, cwd: string): Promise<string | null> {
  if (await isFolder(resolve(cwd, DEFAULT_FOLDER))) return null;
  let nearest: string | null = null;
  for (let dir = dirname(resolve(cwd)); nearest === null; dir = dirname(dir)) {
    if (await isFolder(join(dir, DEFAULT_FOLDER))) nearest = dir;
    if (dirname(dir) === dir) break;
  }
  const where = nearest === null ? '' : `; the nearest is in ${nearest}, run it there`;
  return `learnpath ${command}: no "${DEFAULT_FOLDER}" folder in ${cwd}${where}, or name the folder: learnpath ${command} <dir>\n`;
}
