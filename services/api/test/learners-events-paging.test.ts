import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import { dropSchema, freshSchema, postgresUnavailableReason, testDatabaseUrl } from '@learnpath/store/testing';
import { createTestApp } from './support/app.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';

// A learner with 10,000 events, paged through over HTTP to the end, on both engines. The events
// are written by one statement straight into the database: through the routes that takes minutes
// on a small machine, and what is under test is reading them back.

const TOTAL = 10_000;
const SEED_EVENTS = `insert into events (type, learner_id, path_slug, resource_id, source, completed_at)
  select case when n % 2 = 0 then 'completed' else 'uncompleted' end, $1, '${SEED}', 'batch-processing', 'api', now()
  from generate_series(1, ${TOTAL - 1}) as n`;
const reader = createApiKey('reader', ['progress:read']);

async function pageThroughHttp(store: Store, learnerId: string): Promise<void> {
  const app = await createTestApp({ catalog: fixtureCatalog(), learnerStore: store, apiKeys: [reader], rateLimit: false });
  try {
    const ids: bigint[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await app.inject({ url: `/v1/learners/${learnerId}/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`, headers: { authorization: `Bearer ${reader.secret}` } });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { items: { id: string }[]; nextCursor: string | null };
      ids.push(...page.items.map((e) => BigInt(e.id)));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(TOTAL / 100);
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true);
  } finally {
    await app.close();
  }
}

const skip = await postgresUnavailableReason();

describe('a learner with 10,000 events, paged through over HTTP', () => {
  it('on PGlite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-events-'));
    try {
      let store = await openStore({ dataDir: dir });
      await store.completeResource({ learnerId: 'busy', slug: SEED, resourceId: 'batch-processing' });
      await store.close();
      const db = await PGlite.create({ dataDir: join(dir, 'pglite') });
      await db.query(SEED_EVENTS, ['busy']);
      await db.close();
      store = await openStore({ dataDir: dir });
      try {
        await pageThroughHttp(store, 'busy');
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it.skipIf(skip !== null)('on PostgreSQL', async () => {
    const schema = freshSchema();
    const store = await openStore({ databaseUrl: testDatabaseUrl ?? '', schema });
    const client = new pg.Client({ connectionString: testDatabaseUrl ?? '', options: `-c search_path=${schema}` });
    try {
      await store.completeResource({ learnerId: 'busy', slug: SEED, resourceId: 'batch-processing' });
      await client.connect();
      await client.query(SEED_EVENTS, ['busy']);
      await pageThroughHttp(store, 'busy');
    } finally {
      await client.end().catch(() => {});
      await store.close();
      await dropSchema(schema);
    }
  }, 300_000);
});
