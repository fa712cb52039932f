import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, MIGRATION_TABLE, migrationNames } from '@learnpath/store';
import { fixturePaths, SEED } from './support/fixtures.js';
import { createHttpClient } from './support/http-client.js';
import { freshDatabase, postgresUnavailableReason } from '@learnpath/store/testing';
import { builtServer, createContentDir, startServer, type ServerProcess } from './support/server-process.js';

// Two service processes on one PostgreSQL database, started at the same moment on an empty
// database: they migrate it once between them and share learner state.

const key = createApiKey('replicas', ['progress:read', 'progress:write']);
const auth = { authorization: `Bearer ${key.secret}` };
const skip = await postgresUnavailableReason('the replica tests on PostgreSQL');

describe.skipIf(skip !== null)('two replicas on one PostgreSQL', () => {
  let content: Awaited<ReturnType<typeof createContentDir>>;
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let replicas: ServerProcess[] = [];

  beforeAll(async () => {
    content = await createContentDir(fixturePaths);
    database = await freshDatabase();
    const env = { CONTENT_DIR: content.dir, API_KEYS: key.entry, RATE_LIMIT_MAX: '0', DATABASE_URL: database.url };
    const command = await builtServer();
    const started = await Promise.allSettled([startServer(command, env), startServer(command, env)]);
    replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await database?.drop();
    await content?.remove();
  });

  it('apply each migration once', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(`select name from "${MIGRATION_TABLE}" order by name`);
      const names = rows.map((r) => r.name);
      // Every migration of the code, each one once.
      expect(names).toEqual([...migrationNames].sort());
    } finally {
      await client.end();
    }
  });

  it('read through one what was written through the other', async () => {
    const [a, b] = replicas.map((r) => createHttpClient(r.url, 4));
    try {
      const resource = fixturePaths.find((p) => p.slug === SEED)!.phases[0]!.resources[0]!.id;
      const put = await a!.send('PUT', `/v1/learners/shared/paths/${SEED}/completions/${resource}`, { headers: auth });
      expect(put.status, put.body).toBe(200);
      const read = await b!.send('GET', `/v1/learners/shared/paths/${SEED}/progress`, { headers: auth });
      expect(read.status).toBe(200);
      expect(JSON.parse(read.body)).toMatchObject({ completedCount: 1, resources: expect.arrayContaining([expect.objectContaining({ id: resource, state: 'completed' })]) });
      const undone = await b!.send('DELETE', `/v1/learners/shared/paths/${SEED}/completions/${resource}`, { headers: auth });
      expect(undone.status).toBe(200);
      const events = await a!.send('GET', '/v1/learners/shared/events', { headers: auth });
      expect((JSON.parse(events.body) as { items: { type: string }[] }).items.map((e) => e.type)).toEqual(['uncompleted', 'completed']);
    } finally {
      a?.close();
      b?.close();
    }
  });
});
