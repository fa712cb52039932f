import { startProxy } from './tcp-proxy.js';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Kysely, sql } from 'kysely';
import { MIGRATION_TABLE, migrationNames, openStore, StoreUnavailableError } from '../src/index.js';
import { openPostgres } from '../src/engines/postgres.js';
import { dropSchema, freshSchema, postgresUnavailableReason, testDatabaseUrl } from '@learnpath/store/testing';

it('an unreachable server is StoreUnavailableError at open, not a crash', async () => {
  // Port 1 on loopback: nothing listens there.
  const error = await openStore({ databaseUrl: 'postgres://nobody:none@127.0.0.1:1/none', connectTimeoutMs: 2000 }).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(StoreUnavailableError);
  expect((error as Error).message).toMatch(/the database is unavailable/);
});

const skip = await postgresUnavailableReason();
describe.skipIf(skip !== null)('on a PostgreSQL server', () => {
  it('prepares the marked statements once per connection, by name, and no other', async () => {
    const engine = await openPostgres({ url: testDatabaseUrl ?? '', maxConnections: 1 });
    const db = new Kysely<Record<string, never>>({ dialect: engine.dialect });
    try {
      for (const n of [1, 2, 3]) {
        const { rows } = await sql<{ n: number }>`/* prepared:learnpath_probe */ select cast(${n} as int) + 1 as n`.execute(db);
        expect(rows).toEqual([{ n: n + 1 }]);
      }
      await sql`select 1`.execute(db);
      const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db);
      expect(rows.map((r) => r.name)).toEqual(['learnpath_probe']);
    } finally {
      await db.destroy();
    }
  });

  it('opens and migrates stores while other schemas of the same database are created and dropped', async () => {
    // PostgreSQL's catalog functions look a schema up by name while a migration scans every
    // schema: a schema dropped in between failed the migration ("schema … does not exist").
    let churning = true;
    const churn = async (): Promise<void> => {
      while (churning) {
        const other = freshSchema();
        const client = new pg.Client({ connectionString: testDatabaseUrl ?? '' });
        await client.connect();
        try {
          await client.query(`create schema "${other}"`);
          await client.query(`create table "${other}".t (id int)`);
        } finally {
          await client.end();
        }
        await dropSchema(other);
      }
    };
    const churners = [churn(), churn(), churn()];
    const schemas = Array.from({ length: 12 }, () => freshSchema());
    try {
      for (const group of [schemas.slice(0, 4), schemas.slice(4, 8), schemas.slice(8)]) {
        const stores = await Promise.all(group.map((schema) => openStore({ databaseUrl: testDatabaseUrl ?? '', schema })));
        await Promise.all(stores.map((store) => store.close()));
      }
    } finally {
      churning = false;
      await Promise.all(churners);
      for (const schema of schemas) await dropSchema(schema);
    }
  });

  it('a replica reads every change another one writes, however often it read the state before', async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([0, 1].map(() => openStore({ databaseUrl: testDatabaseUrl ?? '', schema })));
    try {
      const ids = async () => (await b!.getPathState('reader', 'path')).completions.map((c) => c.resourceId).sort();
      expect(await ids()).toEqual([]);
      await a!.completeResource({ learnerId: 'reader', slug: 'path', resourceId: 'one' });
      expect(await ids()).toEqual(['one']);
      expect(await ids()).toEqual(['one']);
      await a!.completeResource({ learnerId: 'reader', slug: 'path', resourceId: 'two' });
      expect(await ids()).toEqual(['one', 'two']);
      await a!.uncompleteResource({ learnerId: 'reader', slug: 'path', resourceId: 'one' });
      expect(await ids()).toEqual(['two']);
      await a!.eraseLearner('reader');
      expect(await b!.getPathState('reader', 'path')).toEqual({ completions: [], updatedAt: null, revision: null });
      await a!.completeResource({ learnerId: 'reader', slug: 'path', resourceId: 'three' });
      expect(await ids()).toEqual(['three']);
    } finally {
      await Promise.all([a, b].map((s) => s?.close()));
      await dropSchema(schema);
    }
  });

  it('replicas opening together apply each migration once', async () => {
    const schema = freshSchema();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ databaseUrl: testDatabaseUrl ?? '', schema })));
      const client = new pg.Client({ connectionString: testDatabaseUrl ?? '' });
      await client.connect();
      const { rows } = await client.query<{ name: string }>(`select name from "${schema}".${MIGRATION_TABLE} order by name`);
      await client.end();
      expect(rows.map((r) => r.name)).toEqual([...migrationNames]);
      // A write through one replica is read through another.
      await stores[0]?.completeResource({ learnerId: 'shared', slug: 'path', resourceId: 'one' });
      expect((await stores[3]?.getPathState('shared', 'path'))?.completions.map((c) => c.resourceId)).toEqual(['one']);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it('answers StoreUnavailableError while the server is away and recovers by itself when it is back', async () => {
    const schema = freshSchema();
    const target = new URL(testDatabaseUrl ?? '');
    const proxy = await startProxy(target);
    const viaProxy = new URL(target.href);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const store = await openStore({ databaseUrl: viaProxy.href, schema, connectTimeoutMs: 1000 });
    try {
      await store.completeResource({ learnerId: 'steady', slug: 'path', resourceId: 'one' });
      await proxy.cut();
      for (const call of [() => store.getPathState('steady', 'path'), () => store.completeResource({ learnerId: 'steady', slug: 'path', resourceId: 'two' }), () => store.ping()]) {
        const error = await call().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(StoreUnavailableError);
      }
      await proxy.restore();
      await store.ping();
      const state = await store.getPathState('steady', 'path');
      expect(state.completions.map((c) => c.resourceId)).toEqual(['one']);
    } finally {
      await store.close();
      await proxy.close();
      await dropSchema(schema);
    }
  });
});
