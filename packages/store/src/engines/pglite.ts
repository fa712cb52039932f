import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PostgresDialect, type Dialect } from 'kysely';
import { acquireDataDirLock, type DataDirLock } from '../data-dir-lock.js';

/** A Kysely dialect over one PGlite instance, and how to close both. */
export interface PgliteEngine {
  dialect: Dialect;
  lock: DataDirLock | null;
  close: () => Promise<void>;
}

interface QueryClient {
  query: (text: string, values?: readonly unknown[]) => Promise<{ rows: unknown[]; rowCount: number; command: string }>;
  release: () => void;
}

// PGlite is one connection. Kysely's Postgres driver asks a pool for a connection per query or
// transaction; this pool hands out the single connection to one caller at a time, so a
// transaction never interleaves with another caller's statements.
function singleConnectionPool(db: PGlite) {
  let queue: Promise<void> = Promise.resolve();
  return {
    async connect(): Promise<QueryClient> {
      let release!: () => void;
      const previous = queue;
      queue = new Promise<void>((done) => (release = done));
      await previous;
      let released = false;
      return {
        async query(text, values) {
          const result = await db.query(text, values === undefined ? [] : [...values]);
          return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command: text.trimStart().slice(0, 6).toUpperCase() };
        },
        release() {
          if (released) return;
          released = true;
          release();
        },
      };
    },
    async end(): Promise<void> {
      await queue;
    },
  };
}

/**
 * Opens PGlite with its data in `<dataDir>/pglite`, or in memory when `dataDir` is null.
 * The folder is locked for this process (see `acquireDataDirLock`).
 */
export async function openPglite(dataDir: string | null): Promise<PgliteEngine> {
  let lock: DataDirLock | null = null;
  let pgDataDir: string | undefined;
  if (dataDir !== null) {
    const root = resolve(dataDir);
    await mkdir(root, { recursive: true });
    lock = await acquireDataDirLock(root);
    pgDataDir = join(root, 'pglite');
  }
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    // The data folder is mounted through Node's fs: every write PostgreSQL makes is a write(2)
    // before the statement returns, so a committed transaction is in the operating system's
    // cache when the query resolves and survives the process being killed. (PGlite runs
    // PostgreSQL with fsync off and its file system has no fsync: a power loss or kernel crash
    // can lose recent commits. relaxedDurability only matters for browser file systems.)
    const db = await PGlite.create(pgDataDir === undefined ? {} : { dataDir: pgDataDir, relaxedDurability: false });
    const pool = singleConnectionPool(db);
    return {
      dialect: new PostgresDialect({ pool: pool as never }),
      lock,
      // Kysely has ended the pool by then (waiting for the connection to be free).
      async close() {
        await db.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
