import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '@learnpath/store';
import { fixturePaths, SEED } from './support/fixtures.js';
import { createHttpClient, type HttpClient } from './support/http-client.js';
import { freshDatabase, postgresUnavailableReason } from '@learnpath/store/testing';
import { builtServer, createContentDir, startServer, type ServerProcess, type SpawnOptions } from './support/server-process.js';

// The real server process, on PGlite (a DATA_DIR folder) and on PostgreSQL: what it acknowledged
// survives SIGKILL, and concurrent writes to one completion end as its event log says.

const key = createApiKey('durability', ['progress:read', 'progress:write']);
const auth = { authorization: `Bearer ${key.secret}` };
const COMPLETIONS = 500;
const CONNECTIONS = 32;
const seedResources = fixturePaths.find((p) => p.slug === SEED)!.phases.flatMap((phase) => phase.resources.map((r) => r.id));

interface Engine {
  name: string;
  skip: string | null;
  /** The settings that put the learner database somewhere, and how to remove it after. */
  prepare: () => Promise<{ env: Record<string, string>; remove: () => Promise<void> }>;
}

const engines: Engine[] = [
  {
    name: 'PGlite',
    skip: null,
    async prepare() {
      const dir = await mkdtemp(join(tmpdir(), 'learnpath-durable-'));
      return { env: { DATA_DIR: dir }, remove: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    skip: await postgresUnavailableReason('the durability tests on PostgreSQL'),
    async prepare() {
      const database = await freshDatabase();
      return { env: { DATABASE_URL: database.url }, remove: database.drop };
    },
  },
];

interface LearnerEventItem {
  id: string;
  type: string;
  slug: string | null;
  resourceId: string | null;
}

async function allEvents(client: HttpClient, learnerId: string): Promise<LearnerEventItem[]> {
  const items: LearnerEventItem[] = [];
  let cursor: string | null = null;
  do {
    const answer = await client.send('GET', `/v1/learners/${learnerId}/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth });
    expect(answer.status, answer.body).toBe(200);
    const page = JSON.parse(answer.body) as { items: LearnerEventItem[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

function completedIds(body: string): string[] {
  const report = JSON.parse(body) as { resources: { id: string; state: string }[] };
  return report.resources.filter((r) => r.state === 'completed').map((r) => r.id);
}

let content: Awaited<ReturnType<typeof createContentDir>>;
beforeAll(async () => {
  content = await createContentDir(fixturePaths);
});
afterAll(() => content?.remove());

for (const engine of engines) {
  describe.skipIf(engine.skip !== null)(`the server process on ${engine.name}`, () => {
    let database: Awaited<ReturnType<Engine['prepare']>>;
    let server: ServerProcess | undefined;
    let env: Record<string, string>;
    let command: SpawnOptions;
    beforeAll(async () => {
      command = await builtServer();
      database = await engine.prepare();
      env = { CONTENT_DIR: content.dir, API_KEYS: key.entry, RATE_LIMIT_MAX: '0', ...database.env };
    });
    afterAll(async () => {
      await server?.stop();
      await database?.remove();
    });

    it(`loses no acknowledged completion when killed with SIGKILL right after ${COMPLETIONS} of them over ${CONNECTIONS} connections`, async () => {
      server = await startServer(command, env);
      const client = createHttpClient(server.url, CONNECTIONS);
      // Every (learner, resource) pair once: learners take the seed's resources in turn.
      const writes = Array.from({ length: COMPLETIONS }, (_, i) => ({ learnerId: `durable-${Math.floor(i / seedResources.length)}`, resourceId: seedResources[i % seedResources.length]! }));
      const acknowledged: typeof writes = [];
      await Promise.all(
        writes.map(async (write) => {
          const answer = await client.send('PUT', `/v1/learners/${write.learnerId}/paths/${SEED}/completions/${write.resourceId}`, { headers: auth });
          expect(answer.status, answer.body).toBe(200);
          expect(completedIds(answer.body)).toContain(write.resourceId);
          acknowledged.push(write);
        }),
      );
      client.close();
      await server.kill();
      expect(acknowledged).toHaveLength(COMPLETIONS);

      server = await startServer(command, env);
      const reader = createHttpClient(server.url, CONNECTIONS);
      try {
        const learners = [...new Set(writes.map((w) => w.learnerId))];
        const lost: string[] = [];
        await Promise.all(
          learners.map(async (learnerId) => {
            const progress = await reader.send('GET', `/v1/learners/${learnerId}/paths/${SEED}/progress`, { headers: auth });
            expect(progress.status, progress.body).toBe(200);
            const stored = new Set(completedIds(progress.body));
            const mine = acknowledged.filter((w) => w.learnerId === learnerId);
            for (const w of mine) if (!stored.has(w.resourceId)) lost.push(`${learnerId}/${w.resourceId}`);
            // One event per completion, no more, no fewer.
            const events = await allEvents(reader, learnerId);
            expect(events.map((e) => `${e.type} ${e.resourceId}`).sort()).toEqual(mine.map((w) => `completed ${w.resourceId}`).sort());
          }),
        );
        expect(lost).toEqual([]);
      } finally {
        reader.close();
      }
    }, 600_000);

    it('ends 50 concurrent PUT and DELETE of one completion in the state of the newest event, with one event per change', async () => {
      server ??= await startServer(command, env);
      const client = createHttpClient(server.url, CONNECTIONS);
      const resourceId = seedResources[0]!;
      const url = `/v1/learners/racer/paths/${SEED}/completions/${resourceId}`;
      try {
        const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => client.send(i % 3 === 0 ? 'DELETE' : 'PUT', url, { headers: auth })));
        for (const [i, answer] of answers.entries()) {
          expect(answer.status, answer.body).toBe(200);
          // Each answer is the state right after its own write.
          expect(completedIds(answer.body).includes(resourceId), `write ${i}`).toBe(i % 3 !== 0);
        }
        const events = await allEvents(client, 'racer');
        expect(events.length).toBeGreaterThan(0);
        expect(events.length).toBeLessThanOrEqual(50);
        // A write that found the state as asked logs nothing; a change logs one event. So the
        // log alternates: two events of one type in a row would be a change logged twice, or a
        // change between them that was not logged.
        for (const [i, event] of events.entries()) {
          expect(event).toMatchObject({ slug: SEED, resourceId });
          if (i > 0) expect(event.type, `event ${i}`).not.toBe(events[i - 1]!.type);
        }
        expect(events[events.length - 1]!.type).toBe('completed');
        // The last write is the newest event: the final state is what it says, and the
        // progress revision (in the ETag) is its id.
        const newest = events[0]!;
        const progress = await client.send('GET', `/v1/learners/racer/paths/${SEED}/progress`, { headers: auth });
        expect(progress.status).toBe(200);
        expect(completedIds(progress.body).includes(resourceId)).toBe(newest.type === 'completed');
        expect(progress.headers.etag).toMatch(new RegExp(`\\.${newest.id}"$`));
      } finally {
        client.close();
      }
    }, 300_000);
  });
}
