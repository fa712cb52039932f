import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store, type StoreOptions } from './index.js';
import { SCHEMA_LOCK } from './open-store.js';

// Test helpers for the store and the services on it (`@learnpath/store/testing`): PGlite always,
// PostgreSQL where TEST_DATABASE_URL (or DATABASE_URL) reaches a server, in a schema of its own.

/** The PostgreSQL server the tests may use, if any. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || process.env.DATABASE_URL?.trim() || null;

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Why `what` (tests that need PostgreSQL) cannot run here, printed, or null when they can. In CI
 * a missing server is a failure, not a skip.
 */
export async function postgresUnavailableReason(what = 'the PostgreSQL store tests'): Promise<string | null> {
  const reason = testDatabaseUrl === null ? 'neither TEST_DATABASE_URL nor DATABASE_URL is set' : await reachable(testDatabaseUrl);
  if (reason === null) return null;
  if (process.env.CI) throw new Error(`${what} cannot run in CI: ${reason}. .ci/run starts a server and sets TEST_DATABASE_URL.`);
  console.warn(`skipping ${what}: ${reason}`);
  return reason;
}

/** A fresh schema name, so test files do not see each other's rows. */
export function freshSchema(): string {
  return `lp_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a schema made by `freshSchema`, while no store of the database creates its schema or migrates (`SCHEMA_LOCK`). */
export async function dropSchema(schema: string): Promise<void> {
  if (testDatabaseUrl === null) return;
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

// SQLSTATE of "database … is being accessed by other users".
const OBJECT_IN_USE = '55006';

/** A fresh database on the test server (for processes that take a URL alone), and how to drop it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (testDatabaseUrl === null) throw new Error('freshDatabase needs TEST_DATABASE_URL (see postgresUnavailableReason)');
  return createThrowawayDatabase(testDatabaseUrl, 'lp_e2e');
}

/** Creates a database named `{prefix}_{random}` on the server of `server` (a role that may create databases), and how to drop it. */
export async function createThrowawayDatabase(server: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  // A plain drop stops an autovacuum worker on the database itself (one that FORCE would have to
  // signal, which needs pg_signal_backend); FORCE then ends sessions a test left connected.
  const drop = (): Promise<void> =>
    admin(`drop database if exists "${name}"`).catch((error: unknown) => {
      if ((error as { code?: string }).code !== OBJECT_IN_USE) throw error;
      return admin(`drop database if exists "${name}" with (force)`);
    });
  return { url: url.toString(), drop };
}

/** An engine the shared store tests run on. */
export interface TestEngine {
  name: 'pglite' | 'postgres';
  open: () => Promise<{ store: Store; options: StoreOptions; cleanup: () => Promise<void> }>;
}

const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open() {
    const options: StoreOptions = { dataDir: null };
    const store = await openStore(options);
    return { store, options, cleanup: () => store.close() };
  },
};

/** PGlite always; PostgreSQL when reachable (a skip with a printed reason otherwise, a failure in CI). */
export async function testEngines(): Promise<{ engine: TestEngine; skip: string | null }[]> {
  const reason = await postgresUnavailableReason();
  const postgresEngine: TestEngine = {
    name: 'postgres',
    async open() {
      const schema = freshSchema();
      const options: StoreOptions = { databaseUrl: testDatabaseUrl ?? '', schema };
      const store = await openStore(options);
      return {
        store,
        options,
        async cleanup() {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
  };
  return [
    { engine: pgliteEngine, skip: null },
    { engine: postgresEngine, skip: reason },
  ];
}
