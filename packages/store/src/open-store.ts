import { resolve } from 'node:path';
import { Kysely, sql } from 'kysely';
import { openPglite } from './engines/pglite.js';
import { createSchemaStatement, holdAdvisoryLock, openPostgres } from './engines/postgres.js';
import { toStoreError } from './errors.js';
import { migrateToLatest } from './migrate.js';
import { createStore, type Store } from './store.js';
import type { Tables } from './tables.js';

/**
 * The advisory lock a store holds while it creates its schema and migrates. A migration scans
 * every schema of the database, and PostgreSQL looks each one up by name as it goes: a schema
 * dropped meanwhile fails the migration ("schema … does not exist"). Whatever drops schemas in a
 * database that stores open in takes this lock first (`dropSchema` of `@learnpath/store/testing` does).
 */
export const SCHEMA_LOCK = 4_377_120_013;

/** Where the store keeps its data. */
export type StoreOptions =
  | {
      /** An embedded PostgreSQL (PGlite) with its data in this folder, or in memory when null. */
      dataDir: string | null;
    }
  | {
      /** A PostgreSQL server (15 or newer): `postgres://user:password@host:port/database`. */
      databaseUrl: string;
      /** Schema for the tables (created when missing); default the connection's search path. */
      schema?: string;
      /** Most connections at once (default 10). */
      maxConnections?: number;
      /** How long to wait for a connection before a call fails with StoreUnavailableError (default 5000 ms). */
      connectTimeoutMs?: number;
    };

/**
 * Opens the store and applies pending migrations (under an advisory lock, so replicas starting
 * together migrate once). Rejects with `StoreLockedError` when another process owns the PGlite
 * folder, and with `StoreUnavailableError` when the PostgreSQL server cannot be reached.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if ('databaseUrl' in options) {
    const engine = await openPostgres({
      url: options.databaseUrl,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    });
    const db = new Kysely<Tables>({ dialect: engine.dialect });
    let release: (() => Promise<void>) | null = null;
    try {
      // Replicas starting together take turns; each finds its schema and migrations done by then.
      release = await holdAdvisoryLock(options.databaseUrl, SCHEMA_LOCK, options.connectTimeoutMs ?? 5000);
      if (options.schema !== undefined) await sql.raw(createSchemaStatement(options.schema)).execute(db);
      await migrateToLatest(db as unknown as Kysely<unknown>, options.schema);
    } catch (error) {
      await db.destroy().catch(() => {});
      throw toStoreError(error);
    } finally {
      await release?.();
    }
    return createStore(db, 'postgres', async () => {});
  }
  const engine = await openPglite(options.dataDir);
  const db = new Kysely<Tables>({ dialect: engine.dialect });
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>);
  } catch (error) {
    await db.destroy().catch(() => {});
    await engine.close();
    throw error;
  }
  return createStore(db, 'pglite', engine.close);
}

/**
 * Store options from the environment: `DATABASE_URL` selects a PostgreSQL server; otherwise
 * PGlite under `DATA_DIR` (default `./data`, relative to `cwd`).
 */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): StoreOptions {
  const url = env.DATABASE_URL?.trim();
  if (url) return { databaseUrl: url };
  const dir = env.DATA_DIR?.trim() || './data';
  return { dataDir: resolve(cwd, dir) };
}
