import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreLockedError } from './errors.js';

/** Name of the lock file inside DATA_DIR. */
export const LOCK_FILE = 'store.lock';

/** A held lock on a data folder. */
export interface DataDirLock {
  /** Path of the lock file. */
  path: string;
  /** Removes the lock file if it is still ours. */
  release: () => Promise<void>;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
  since: string;
}

function parseLock(text: string): LockContent | null {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    return typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string' ? (value as LockContent) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data folder for this process: a lock file with the pid, created exclusively.
 * A lock left by a process that is gone (same host, pid not running, or unreadable) is stale
 * and taken over; a live owner makes this throw `StoreLockedError`.
 */
export async function acquireDataDirLock(dir: string): Promise<DataDirLock> {
  const path = join(dir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, host: hostname(), token: randomUUID(), since: new Date().toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, text, { flag: 'wx' });
      return holdLock(path, mine.token);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let current: string;
    try {
      current = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const owner = parseLock(current);
    if (owner && owner.host !== mine.host) {
      throw new StoreLockedError(
        `DATA_DIR ${dir} is in use by process ${owner.pid} on ${owner.host} (lock file ${path}). A PGlite data folder belongs to one process: stop that one, or use PostgreSQL (DATABASE_URL) to share state between processes.`,
        owner.pid,
      );
    }
    if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
      throw new StoreLockedError(
        `DATA_DIR ${dir} is in use by process ${owner.pid} (lock file ${path}). A PGlite data folder belongs to one process: stop that one, or give this one another DATA_DIR, or use PostgreSQL (DATABASE_URL) to share state between processes.`,
        owner.pid,
      );
    }
    if (owner && owner.pid === process.pid) {
      throw new StoreLockedError(`DATA_DIR ${dir} is already open in this process (lock file ${path}); close the other store first.`, owner.pid);
    }
    // Stale: its process is gone. Remove it only if it is still the file we judged.
    try {
      if ((await readFile(path, 'utf8')) === current) await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new StoreLockedError(`DATA_DIR ${dir}: could not take the lock file ${path}; another process is starting on the same folder.`, null);
}

function holdLock(path: string, token: string): DataDirLock {
  const ours = (): boolean => {
    try {
      return parseLock(readFileSync(path, 'utf8'))?.token === token;
    } catch {
      return false;
    }
  };
  // A normal exit without close() still frees the folder; a crash leaves a stale lock, which the
  // next start recognises by its pid.
  const onExit = (): void => {
    if (ours()) unlinkSync(path);
  };
  process.once('exit', onExit);
  return {
    path,
    async release() {
      process.off('exit', onExit);
      if (ours()) await unlink(path).catch(() => {});
    },
  };
}
