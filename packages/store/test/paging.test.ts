import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.js';
import { dropSchema, freshSchema, postgresUnavailableReason, testDatabaseUrl } from '@learnpath/store/testing';

const TOTAL = 10_000;
// 9,999 more events for the learner, written in one statement: through the public calls this
// takes minutes on a small machine, and what is under test here is reading them back.
const SEED = `insert into events (type, learner_id, path_slug, resource_id, source, completed_at)
  select case when n % 2 = 0 then 'completed' else 'uncompleted' end, $1, 'big', 'r' || n, 'api', now()
  from generate_series(1, ${TOTAL - 1}) as n`;

async function pageThrough(store: Store, learnerId: string): Promise<void> {
  const seen: bigint[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<Store['listEvents']>> = await store.listEvents(learnerId, { limit: 1000, cursor });
    seen.push(...page.items.map((e) => BigInt(e.id)));
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null);
  expect(pages).toBe(10);
  expect(seen).toHaveLength(TOTAL);
  expect(new Set(seen).size).toBe(TOTAL);
  const descending = seen.every((id, i) => i === 0 || id < (seen[i - 1] ?? 0n));
  expect(descending).toBe(true);
  // A small page size pages the same events.
  const first = await store.listEvents(learnerId, { limit: 7 });
  expect(first.items.map((e) => BigInt(e.id))).toEqual(seen.slice(0, 7));
  const second = await store.listEvents(learnerId, { limit: 7, cursor: first.nextCursor });
  expect(second.items.map((e) => BigInt(e.id))).toEqual(seen.slice(7, 14));
}

const skip = await postgresUnavailableReason();

describe('a 10,000-event learner', () => {
  it('is paged through newest first on PGlite, after a reopen of the data folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-store-'));
    try {
      let store = await openStore({ dataDir: dir });
      await store.completeResource({ learnerId: 'busy', slug: 'big', resourceId: 'r0' });
      await store.close();
      const db = await PGlite.create({ dataDir: join(dir, 'pglite') });
      await db.query(SEED, ['busy']);
      await db.close();
      store = await openStore({ dataDir: dir });
      try {
        await pageThrough(store, 'busy');
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.skipIf(skip !== null)('is paged through newest first on PostgreSQL', async () => {
    const schema = freshSchema();
    const store = await openStore({ databaseUrl: testDatabaseUrl ?? '', schema });
    const client = new pg.Client({ connectionString: testDatabaseUrl ?? '', options: `-c search_path=${schema}` });
    try {
      await store.completeResource({ learnerId: 'busy', slug: 'big', resourceId: 'r0' });
      await client.connect();
      await client.query(SEED, ['busy']);
      await pageThrough(store, 'busy');
    } finally {
      await client.end().catch(() => {});
      await store.close();
      await dropSchema(schema);
    }
  }, 120_000);
});
