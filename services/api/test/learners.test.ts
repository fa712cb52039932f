import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LearnerEventListSchema, LearnerPathListSchema, LearnerProgressSchema } from '@learnpath/schema';
import { createApiKey, type Store } from '@learnpath/store';
import { testEngines } from '@learnpath/store/testing';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { fixtureCatalog, fixturePaths, SEED, seedPath } from './support/fixtures.js';
import { createCatalog } from '@learnpath/content';
import { CatalogStore } from '../src/catalog/store.js';
import { expectProblem } from './support/problems.js';

// Every learner route, on PGlite and on PostgreSQL (skipped with the reason printed when no
// server is reachable outside CI).
const writer = createApiKey('writer', ['progress:read', 'progress:write']);
const reader = createApiKey('reader', ['progress:read']);
const eraser = createApiKey('eraser', ['learners:delete']);
const auth = (key: { secret: string }) => ({ authorization: `Bearer ${key.secret}` });
const base = `/v1/learners`;

for (const { engine, skip } of await testEngines()) {
  describe.skipIf(skip !== null)(`learner routes on ${engine.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: App;
    let logs = '';
    beforeAll(async () => {
      ({ store, cleanup } = await engine.open());
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logs += chunk.toString();
          done();
        },
      });
      app = await createTestApp({
        catalog: fixtureCatalog(),
        learnerStore: store,
        apiKeys: [writer, reader, eraser],
        logger: { level: 'trace', stream },
        rateLimit: false,
      });
    });
    afterAll(async () => {
      await app?.close();
      await cleanup?.();
    });

    it('answers 401 with WWW-Authenticate without a key or with an unknown one, 403 without the scope', async () => {
      const url = `${base}/u1/paths/${SEED}/progress`;
      const missing = await app.inject(url);
      expectProblem(missing, 401);
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
      const unknown = await app.inject({ url, headers: { authorization: `Bearer lp_${'x'.repeat(43)}` } });
      expectProblem(unknown, 401);
      expect(unknown.headers['www-authenticate']).toContain('invalid_token');
      const wrongScheme = await app.inject({ url, headers: { authorization: `Basic ${writer.secret}` } });
      expectProblem(wrongScheme, 401);
      const forbidden = await app.inject({ method: 'PUT', url: `${base}/u1/paths/${SEED}/completions/batch-processing`, headers: auth(reader) });
      expectProblem(forbidden, 403);
      expect(forbidden.headers['www-authenticate']).toContain('scope="progress:write"');
      expectProblem(await app.inject({ method: 'DELETE', url: `${base}/u1`, headers: auth(writer) }), 403);
    });

    it('refuses a revoked key (removed from the configuration)', async () => {
      const revoked = await createTestApp({ catalog: fixtureCatalog(), learnerStore: store, apiKeys: [reader] });
      try {
        expectProblem(await revoked.inject({ url: `${base}/u1/paths/${SEED}/progress`, headers: auth(writer) }), 401);
        expect((await revoked.inject({ url: `${base}/u1/paths/${SEED}/progress`, headers: auth(reader) })).statusCode).toBe(200);
      } finally {
        await revoked.close();
      }
    });

    it('answers with exactly the fields its documented schemas have', async () => {
      // The bodies are written without a pass through zod: parsing them with their schemas
      // (which drops unknown fields at every depth) must give them back unchanged.
      const learner = `${base}/shape`;
      const writes = [
        [await app.inject({ method: 'PUT', url: `${learner}/paths/${SEED}/completions/batch-processing`, headers: auth(writer) }), LearnerProgressSchema],
        [await app.inject({ method: 'PUT', url: `${learner}/paths/${SEED}/completions/stream-processing`, headers: auth(writer) }), LearnerProgressSchema],
        [await app.inject({ method: 'DELETE', url: `${learner}/paths/${SEED}/completions/stream-processing`, headers: auth(writer) }), LearnerProgressSchema],
        [await app.inject({ url: `${learner}/paths/${SEED}/progress`, headers: auth(reader) }), LearnerProgressSchema],
        [await app.inject({ url: `${learner}/paths`, headers: auth(reader) }), LearnerPathListSchema],
        [await app.inject({ url: `${learner}/events`, headers: auth(reader) }), LearnerEventListSchema],
      ] as const;
      for (const [response, schema] of writes) {
        expect(response.statusCode, response.body).toBe(200);
        const body: unknown = response.json();
        expect(JSON.parse(JSON.stringify(schema.parse(body)))).toEqual(body);
      }
      expect((writes[3][0].json() as { checklist: unknown[] }).checklist.length).toBeGreaterThan(0);
    });

    it('evaluates stored progress over the content served now: a resource taken out is kept but not counted, and counts again when it is back', async () => {
      const content = new CatalogStore(createCatalog(fixturePaths));
      const live = await createTestApp({ store: content, learnerStore: store, apiKeys: [writer, reader], rateLimit: false });
      try {
        const learner = `${base}/author-edits`;
        const [first, second] = seedPath.phases[0]!.resources;
        for (const r of [first!, second!]) {
          expect((await live.inject({ method: 'PUT', url: `${learner}/paths/${SEED}/completions/${r.id}`, headers: auth(writer) })).statusCode).toBe(200);
        }
        const read = async () => (await live.inject({ url: `${learner}/paths/${SEED}/progress`, headers: auth(reader) })).json() as { completedCount: number; totalCount: number };
        const before = await read();
        expect(before.completedCount).toBe(2);
        // The author takes the second resource out.
        const phases = seedPath.phases.map((phase, i) => (i === 0 ? { ...phase, resources: phase.resources.filter((r) => r.id !== second!.id) } : phase));
        content.swap(createCatalog([{ ...seedPath, phases }, ...fixturePaths.slice(1)]));
        expect(await read()).toMatchObject({ completedCount: 1, totalCount: before.totalCount - 1 });
        // And brings it back: the stored completion counts again.
        content.swap(createCatalog(fixturePaths));
        expect(await read()).toMatchObject({ completedCount: 2, totalCount: before.totalCount });
      } finally {
        await live.close();
      }
    });

    it('gives a learner with no data an empty report', async () => {
      const response = await app.inject({ url: `${base}/nobody/paths/${SEED}/progress`, headers: auth(reader) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ slug: SEED, completedCount: 0, percent: 0, updatedAt: null });
    });

    it('marks resources done and not done, idempotently, and reports progress', async () => {
      const url = `${base}/u2/paths/${SEED}/completions/batch-processing`;
      const first = await app.inject({ method: 'PUT', url, headers: auth(writer), payload: { completedAt: '2026-05-01T12:00:00Z' } });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ slug: SEED, completedCount: 1 });
      expect(first.json().resources.find((r: { id: string }) => r.id === 'batch-processing').state).toBe('completed');
      expect(first.json().updatedAt).toEqual(expect.any(String));
      const again = await app.inject({ method: 'PUT', url, headers: auth(writer) });
      expect(again.json().completedCount).toBe(1);
      const undone = await app.inject({ method: 'DELETE', url, headers: auth(writer) });
      expect(undone.statusCode).toBe(200);
      expect(undone.json().completedCount).toBe(0);
      const events = await app.inject({ url: `${base}/u2/events`, headers: auth(reader) });
      expect(events.json().items.map((e: { type: string }) => e.type)).toEqual(['uncompleted', 'completed']);
      expect(events.json().items[1].completedAt).toBe('2026-05-01T12:00:00.000Z');
    });

    it('gives the stored progress an ETag that changes with the progress, and 304 for If-None-Match', async () => {
      const url = `${base}/u3/paths/${SEED}/progress`;
      const before = await app.inject({ url, headers: auth(reader) });
      const etag = before.headers.etag as string;
      expect(etag).toMatch(/^".+"$/);
      expect((await app.inject({ url, headers: { ...auth(reader), 'if-none-match': etag } })).statusCode).toBe(304);
      await app.inject({ method: 'PUT', url: `${base}/u3/paths/${SEED}/completions/batch-processing`, headers: auth(writer) });
      const after = await app.inject({ url, headers: { ...auth(reader), 'if-none-match': etag } });
      expect(after.statusCode).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
      expect(after.json().completedCount).toBe(1);
    });

    it('answers 404 for an unknown path or resource', async () => {
      expectProblem(await app.inject({ method: 'PUT', url: `${base}/u4/paths/no-such-path/completions/batch-processing`, headers: auth(writer) }), 404);
      expectProblem(await app.inject({ method: 'PUT', url: `${base}/u4/paths/${SEED}/completions/no-such-resource`, headers: auth(writer) }), 404);
      expectProblem(await app.inject({ url: `${base}/u4/paths/no-such-path/progress`, headers: auth(reader) }), 404);
    });

    it('lists the paths a learner started, most recent first, page by page', async () => {
      for (const [slug, id] of [
        ['alpha-streams', 'kafka-in-10-minutes'],
        ['zeta-warehouse', 'the-data-warehouse-toolkit'],
        [SEED, 'batch-processing'],
      ] as const) {
        expect((await app.inject({ method: 'PUT', url: `${base}/u5/paths/${slug}/completions/${id}`, headers: auth(writer) })).statusCode).toBe(200);
      }
      const first = await app.inject({ url: `${base}/u5/paths?limit=2`, headers: auth(reader) });
      expect(first.statusCode).toBe(200);
      const page1 = first.json();
      expect(page1.total).toBe(3);
      expect(page1.items.map((i: { slug: string }) => i.slug)).toEqual([SEED, 'zeta-warehouse']);
      expect(page1.items[1]).toMatchObject({ title: expect.any(String), completedCount: 1, totalCount: 2, percent: 50 });
      const second = await app.inject({ url: `${base}/u5/paths?limit=2&cursor=${page1.nextCursor}`, headers: auth(reader) });
      expect(second.json().items.map((i: { slug: string }) => i.slug)).toEqual(['alpha-streams']);
      expect(second.json().nextCursor).toBeNull();
      expectProblem(await app.inject({ url: `${base}/u5/paths?cursor=nonsense`, headers: auth(reader) }), 400);
      expectProblem(await app.inject({ url: `${base}/u5/events?cursor=nonsense`, headers: auth(reader) }), 400);
    });

    it('erases a learner with learners:delete: 204, then nothing is left', async () => {
      await app.inject({ method: 'PUT', url: `${base}/u6/paths/${SEED}/completions/batch-processing`, headers: auth(writer) });
      const erased = await app.inject({ method: 'DELETE', url: `${base}/u6`, headers: auth(eraser) });
      expect(erased.statusCode).toBe(204);
      expect((await app.inject({ url: `${base}/u6/paths/${SEED}/progress`, headers: auth(reader) })).json().completedCount).toBe(0);
      expect((await app.inject({ url: `${base}/u6/events`, headers: auth(reader) })).json().items).toEqual([]);
      expect((await app.inject({ url: `${base}/u6/paths`, headers: auth(reader) })).json()).toEqual({ items: [], total: 0, nextCursor: null });
    });

    it('answers hostile input with 4xx, never 5xx', async () => {
      const longest = 'a'.repeat(200);
      expect((await app.inject({ url: `${base}/${longest}/paths/${SEED}/progress`, headers: auth(reader) })).statusCode).toBe(200);
      for (const url of [
        `${base}/${'a'.repeat(201)}/paths/${SEED}/progress`,
        `${base}/..%2F..%2Fetc%2Fpasswd/paths/${SEED}/progress`,
        `${base}/%2e%2e/paths/${SEED}/progress`,
        `${base}/u7/paths/..%2F${SEED}/progress`,
        `${base}/u%00/events`,
        `${base}/u7/events?limit=100000`,
      ]) {
        const response = await app.inject({ url, headers: auth(reader) });
        expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, url).toBeLessThan(500);
      }
      const huge = await app.inject({
        method: 'PUT',
        url: `${base}/u7/paths/${SEED}/completions/batch-processing`,
        headers: { ...auth(writer), 'content-type': 'application/json' },
        payload: JSON.stringify({ completedAt: 'x'.repeat(1024 * 1024) }),
      });
      expectProblem(huge, 413);
      expectProblem(await app.inject({ method: 'PUT', url: `${base}/u7/paths/${SEED}/completions/batch-processing`, headers: auth(writer), payload: { completedAt: 'yesterday' } }), 400);
    });

    it('never writes a secret to a log or a response', async () => {
      const secrets = [writer.secret, reader.secret, eraser.secret];
      for (const key of [writer, reader, eraser]) {
        const response = await app.inject({ method: 'PUT', url: `${base}/u8/paths/${SEED}/completions/batch-processing`, headers: auth(key) });
        for (const secret of secrets) expect(response.body + JSON.stringify(response.headers)).not.toContain(secret);
      }
      app.log.info({ req: { headers: { authorization: `Bearer ${writer.secret}` } } }, 'a request as an error report would log it');
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(logs).not.toContain(secret);
    });
  });
}
