import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the tests may use (CI sets TEST_DATABASE_URL). */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || null;

/** Why the PostgreSQL tests cannot run here (printed), or null; in CI a missing server fails instead. */
export async function postgresUnavailableReason(what: string): Promise<string | null> {
  let reason: string | null = testDatabaseUrl === null ? 'TEST_DATABASE_URL is not set' : null;
  if (reason === null) {
    const client = new pg.Client({ connectionString: testDatabaseUrl!, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
    } catch (error) {
      reason = `the server does not answer (${(error as Error).message})`;
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (reason === null) return null;
  if (process.env.CI) throw new Error(`${what} cannot run in CI: ${reason}`);
  console.warn(`skipping ${what}: ${reason}`);
  return reason;
}

/** A fresh schema name, so test files do not see each other's rows. */
export const freshSchema = (): string => `lp_test_${randomBytes(6).toString('hex')}`;

/** Drops a schema made by `freshSchema`. */
export async function dropSchema(schema: string): Promise<void> {
  if (testDatabaseUrl === null) return;
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A fresh database on the test server (for processes that take a URL alone), and how to drop it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lp_e2e_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: testDatabaseUrl! });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists "${name}" with (force)`) };
}
