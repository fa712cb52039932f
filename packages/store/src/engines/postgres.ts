import { PostgresDialect, type Dialect } from 'kysely';
import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';

/** Options of a PostgreSQL server connection pool. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Schema to keep the tables in (created when missing); default the connection's search path. */
  schema?: string;
  /** Most connections at once (default 10). */
  maxConnections?: number;
  /** How long to wait for a connection before the store counts as unavailable (default 5000 ms). */
  connectTimeoutMs?: number;
}

/** A Kysely dialect over a `pg` pool (Kysely ends the pool when the store closes). */
export interface PostgresEngine {
  dialect: Dialect;
  pool: Pool;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A `pg` pool for the server at `options.url`; connects lazily. */
export async function openPostgres(options: PostgresOptions): Promise<PostgresEngine> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${quoteIdent(options.schema)}` }),
  });
  // An idle connection that the server drops emits "error" on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection, or StoreUnavailableError.
  pool.on('error', () => {});
  // The same for a connection in use whose server goes away between two queries: the query
  // that follows fails (and becomes StoreUnavailableError), and the pool discards the client.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    prepareMarkedStatements(client);
  });
  return {
    dialect: new PostgresDialect({ pool }),
    pool,
  };
}

// The statements run most (completions and progress reads, see path-states.ts) start with
// `/* prepared:NAME */`: each connection prepares them once, by that name, and then only binds
// and executes them, which halves their round trip (planning a batch statement costs as much
// as running it). Through a pooler in transaction mode this needs PgBouncer 1.21 or newer
// with max_prepared_statements set.
const PREPARED = /^\/\* prepared:([a-z_]+) \*\//;

/** Makes `client` send the statements marked `/* prepared:NAME *\/` as named prepared statements. */
export function prepareMarkedStatements(client: PoolClient): void {
  const query = client.query.bind(client) as (config: QueryConfig | string, values?: unknown[]) => Promise<QueryResult>;
  const prepared = (config: QueryConfig | string, values?: unknown[]): Promise<QueryResult> => {
    const name = typeof config === 'string' ? PREPARED.exec(config)?.[1] : undefined;
    return name === undefined ? query(config, values) : query({ name, text: config as string, values: values ?? [] });
  };
  // pg's query has many overloads; Kysely calls the (text, values) one, which is all this adds to.
  client.query = prepared as PoolClient['query'];
}

/**
 * Holds a session-level advisory lock on a connection of its own, outside the pool (a pool of one
 * connection would otherwise wait for itself). The function it returns ends the session, which
 * releases the lock; so does the process dying.
 */
export async function holdAdvisoryLock(url: string, id: number, connectTimeoutMs: number): Promise<() => Promise<void>> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => {});
  const release = (): Promise<void> => client.end().catch(() => {});
  try {
    await client.connect();
    await client.query('select pg_advisory_lock($1)', [id]);
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}

/** `create schema if not exists` for `schema`, as one statement. */
export function createSchemaStatement(schema: string): string {
  return `create schema if not exists ${quoteIdent(schema)}`;
}
