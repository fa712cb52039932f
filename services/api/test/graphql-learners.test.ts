import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import { dropSchema, freshSchema, postgresUnavailableReason, testDatabaseUrl, testEngines } from '@learnpath/store/testing';
import { startProxy } from '../../../packages/store/test/tcp-proxy.js';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';
import type { GraphqlBody } from './support/graphql.js';
import { LEAK_PATTERNS } from './support/problems.js';

// `learner { paths progress events }` and the mutations, through app.inject, on PGlite and on
// PostgreSQL (skipped with the reason printed when no server is reachable outside CI).
const writer = createApiKey('writer', ['progress:read', 'progress:write']);
const reader = createApiKey('reader', ['progress:read']);
const eraser = createApiKey('eraser', ['learners:delete']);
const secrets = [writer.secret, reader.secret, eraser.secret];

interface Answer<T> {
  status: number;
  headers: Record<string, unknown>;
  body: GraphqlBody<T>;
  raw: string;
}

/** POSTs an operation with the key (if any); the GraphQL-over-HTTP media type unless `accept` says otherwise. */
async function post<T = Record<string, any>>(app: App, query: string, variables: Record<string, unknown> = {}, key?: { secret: string } | string, accept = 'application/graphql-response+json'): Promise<Answer<T>> {
  const authorization = key === undefined ? {} : { authorization: typeof key === 'string' ? key : `Bearer ${key.secret}` };
  const response = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', accept, ...authorization }, payload: JSON.stringify({ query, variables }) });
  return { status: response.statusCode, headers: response.headers, body: response.json() as GraphqlBody<T>, raw: response.body };
}

/** An operation that must succeed: 200, no errors; its data. */
async function ok<T = Record<string, any>>(app: App, query: string, variables: Record<string, unknown>, key: { secret: string }): Promise<T> {
  const answer = await post<T>(app, query, variables, key);
  expect(answer.body.errors, answer.raw.slice(0, 500)).toBeUndefined();
  expect(answer.status).toBe(200);
  return answer.body.data as T;
}

const codesOf = (answer: Answer<unknown>): unknown[] => (answer.body.errors ?? []).map((e) => e.extensions?.['code']);

const PROGRESS = `slug percent completedCount totalCount completedMinutes remainingMinutes updatedAt
  next { id title phaseId } resources { id phaseId state } phases { id percent state remainingMinutes }
  checklist { label checked target { __typename ... on PhaseReference { phase target { title } } } }`;
const READ = `query Read($id: ID!, $slug: ID!) { learner(id: $id) { id progress(slug: $slug) { ${PROGRESS} } } }`;
const COMPLETE = `mutation Complete($learnerId: ID!, $slug: ID!, $resourceId: ID!, $completedAt: String) {
  completeResource(learnerId: $learnerId, slug: $slug, resourceId: $resourceId, completedAt: $completedAt) { ${PROGRESS} } }`;
const UNCOMPLETE = `mutation Uncomplete($learnerId: ID!, $slug: ID!, $resourceId: ID!) {
  uncompleteResource(learnerId: $learnerId, slug: $slug, resourceId: $resourceId) { ${PROGRESS} } }`;
const EVENTS = `query Events($id: ID!, $first: Int, $after: String) { learner(id: $id) { events(first: $first, after: $after) {
  edges { cursor node { id type slug resourceId source completedAt recordedAt } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
const PATHS = `query Paths($id: ID!, $first: Int, $after: String) { learner(id: $id) { paths(first: $first, after: $after) {
  totalCount edges { cursor node { slug title percent completedCount totalCount remainingMinutes updatedAt learningPath { title } } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;

/** A GraphQL progress report in the REST shape: enum names back to their values, checklist targets left out. */
function toRest(progress: Record<string, any>): Record<string, unknown> {
  const lower = (value: string): string => value.toLowerCase().replace(/_/g, '-');
  return {
    ...progress,
    resources: progress['resources'].map((r: { state: string }) => ({ ...r, state: lower(r.state) })),
    phases: progress['phases'].map((p: { state: string }) => ({ ...p, state: lower(p.state) })),
    checklist: progress['checklist'].map((c: { label: string; checked: boolean }) => ({ label: c.label, checked: c.checked })),
  };
}
function restProgress(body: Record<string, any>): Record<string, unknown> {
  return { ...body, checklist: body['checklist'].map((c: { label: string; checked: boolean }) => ({ label: c.label, checked: c.checked })) };
}

for (const { engine, skip } of await testEngines()) {
  describe.skipIf(skip !== null)(`GraphQL learner fields on ${engine.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: App;
    beforeAll(async () => {
      ({ store, cleanup } = await engine.open());
      app = await createTestApp({ catalog: fixtureCatalog(), learnerStore: store, apiKeys: [writer, reader, eraser], rateLimit: false });
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await cleanup?.();
    });

    it('refuses an operation on learner data without a valid key (401 UNAUTHENTICATED) or without the scope (403 FORBIDDEN), before it runs', async () => {
      const variables = { id: 'k1', slug: SEED };
      const missing = await post(app, READ, variables);
      expect(missing.status).toBe(401);
      expect(missing.body.data).toBeUndefined();
      expect(codesOf(missing)).toEqual(['UNAUTHENTICATED']);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="learnpath"');
      const unknown = await post(app, READ, variables, `Bearer lp_${'x'.repeat(43)}`);
      expect(unknown.status).toBe(401);
      expect(codesOf(unknown)).toEqual(['UNAUTHENTICATED']);
      expect(unknown.headers['www-authenticate']).toContain('invalid_token');
      expect((await post(app, READ, variables, `Basic ${writer.secret}`)).status).toBe(401);
      // The legacy media type gets the same status: this is not an error of the document.
      expect((await post(app, READ, variables, undefined, 'application/json')).status).toBe(401);

      const noRead = await post(app, READ, variables, eraser);
      expect(noRead.status).toBe(403);
      expect(codesOf(noRead)).toEqual(['FORBIDDEN']);
      expect(noRead.headers['www-authenticate']).toContain('scope="progress:read"');
      const noWrite = await post(app, COMPLETE, { learnerId: 'k1', slug: SEED, resourceId: 'batch-processing' }, reader);
      expect(noWrite.status).toBe(403);
      expect(codesOf(noWrite)).toEqual(['FORBIDDEN']);
      expect(noWrite.body.errors?.[0]?.message).toContain('progress:write');
      // Nothing was written by the refused mutation.
      expect((await ok(app, EVENTS, { id: 'k1' }, reader)).learner.events.edges).toEqual([]);
    });

    it('finds learner fields behind fragments and aliases, and leaves catalog operations public', async () => {
      const hidden = await post(app, `query { ...F } fragment F on Query { ... on Query { mine: learner(id: "k2") { id } } }`);
      expect(hidden.status).toBe(401);
      expect(codesOf(hidden)).toEqual(['UNAUTHENTICATED']);
      const document = `query Public { path(slug: "${SEED}") { title } } query Private { learner(id: "k2") { id } }`;
      const publicOnly = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: document, operationName: 'Public' } });
      expect(publicOnly.statusCode).toBe(200);
      expect(publicOnly.json()).toEqual({ data: { path: { title: 'Batch vs Stream Processing' } } });
      const privateOne = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: document, operationName: 'Private' } });
      expect(privateOne.statusCode).toBe(401);
      // Naming a learner field in a comment or a string selects nothing: public, and cacheable.
      const named = await post(app, `{ path(slug: "${SEED}") { title } } # learner(id: "k2") completeResource`);
      expect(named.status).toBe(200);
      expect(named.headers['cache-control']).toBeUndefined();
      expect((await post(app, `{ a: path(slug: "learner") { title } }`)).body).toEqual({ data: { a: null } });
    });

    it('refuses a batch as a whole when any of its operations needs a scope its key lacks', async () => {
      const batching = await createTestApp({ catalog: fixtureCatalog(), learnerStore: store, apiKeys: [writer, reader, eraser], rateLimit: false, graphql: { limits: { batch: 5 } } });
      try {
        const batch = (authorization?: string) =>
          batching.inject({
            method: 'POST',
            url: '/graphql',
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            payload: [{ query: `{ path(slug: "${SEED}") { title } }` }, { query: READ, variables: { id: 'k6', slug: SEED } }],
          });
        const anonymous = await batch();
        expect(anonymous.statusCode).toBe(401);
        expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="learnpath"');
        expect(anonymous.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect((await batch(`Bearer ${eraser.secret}`)).statusCode).toBe(403);
        const allowed = await batch(`Bearer ${reader.secret}`);
        expect(allowed.statusCode).toBe(200);
        expect(allowed.headers['cache-control']).toBe('private, no-store');
        const [first, second] = allowed.json() as [{ data: unknown }, { data: { learner: { id: string } } }];
        expect(first.data).toEqual({ path: { title: 'Batch vs Stream Processing' } });
        expect(second.data.learner.id).toBe('k6');
      } finally {
        await batching.close();
      }
    });

    it('gives a learner with no data an empty report, no paths and no events', async () => {
      const data = await ok(app, `query { learner(id: "nobody") { id progress(slug: "${SEED}") { slug percent completedCount totalCount updatedAt }
        paths { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
        events { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`, {}, reader);
      const empty = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
      expect(data).toEqual({
        learner: {
          id: 'nobody',
          progress: { slug: SEED, percent: 0, completedCount: 0, totalCount: 7, updatedAt: null },
          paths: { totalCount: 0, edges: [], pageInfo: empty },
          events: { edges: [], pageInfo: empty },
        },
      });
    });

    it('marks resources done and not done through the REST write path, with the REST progress report', async () => {
      const input = { learnerId: 'k3', slug: SEED, resourceId: 'batch-processing' };
      const done = (await ok(app, COMPLETE, { ...input, completedAt: '2026-05-01T12:00:00+02:00' }, writer)).completeResource;
      expect(done).toMatchObject({ slug: SEED, completedCount: 1, percent: 14, next: { id: 'stream-processing' } });
      expect(done.resources.find((r: { id: string }) => r.id === 'batch-processing').state).toBe('COMPLETED');
      expect(done.updatedAt).toEqual(expect.any(String));
      // The same report as REST gives for the stored progress, field for field.
      const rest = await app.inject({ url: `/v1/learners/k3/paths/${SEED}/progress`, headers: { authorization: `Bearer ${reader.secret}` } });
      expect(toRest(done)).toEqual(restProgress(rest.json()));
      expect(toRest((await ok(app, READ, { id: 'k3', slug: SEED }, reader)).learner.progress)).toEqual(restProgress(rest.json()));
      // A checklist target resolves on a stored report as on a computed one.
      const phaseItem = done.checklist.find((c: { target: { __typename: string } | null }) => c.target?.__typename === 'PhaseReference');
      expect(phaseItem.target.target.title).toEqual(expect.any(String));

      // Idempotent: a second completion changes nothing and logs nothing.
      expect((await ok(app, COMPLETE, input, writer)).completeResource.completedCount).toBe(1);
      const undone = (await ok(app, UNCOMPLETE, input, writer)).uncompleteResource;
      expect(undone).toMatchObject({ completedCount: 0, percent: 0 });
      expect((await ok(app, UNCOMPLETE, input, writer)).uncompleteResource.completedCount).toBe(0);

      // The event log, through GraphQL and REST alike, has one entry per change, written with source api.
      const events = (await ok(app, EVENTS, { id: 'k3' }, reader)).learner.events.edges.map((e: { node: unknown }) => e.node);
      expect(events.map((e: { type: string; source: string }) => [e.type, e.source])).toEqual([
        ['UNCOMPLETED', 'API'],
        ['COMPLETED', 'API'],
      ]);
      expect(events[1].completedAt).toBe('2026-05-01T10:00:00.000Z');
      const restEvents = (await app.inject({ url: '/v1/learners/k3/events', headers: { authorization: `Bearer ${reader.secret}` } })).json();
      expect(restEvents.items.map((e: { id: string; source: string }) => [e.id, e.source])).toEqual(events.map((e: { id: string }) => [e.id, 'api']));
    });

    it('answers NOT_FOUND for an unknown path or resource, with the field null', async () => {
      for (const [query, variables, field] of [
        [COMPLETE, { learnerId: 'k4', slug: 'no-such-path', resourceId: 'batch-processing' }, 'completeResource'],
        [COMPLETE, { learnerId: 'k4', slug: SEED, resourceId: 'no-such-resource' }, 'completeResource'],
        [UNCOMPLETE, { learnerId: 'k4', slug: SEED, resourceId: 'no-such-resource' }, 'uncompleteResource'],
      ] as const) {
        const answer = await post(app, query, variables, writer);
        expect(answer.status).toBe(200);
        expect(answer.body.data).toEqual({ [field]: null });
        expect(codesOf(answer)).toEqual(['NOT_FOUND']);
        expect(answer.body.errors?.[0]?.message).toMatch(/There is no (learning path|resource)/);
      }
      const read = await post(app, READ, { id: 'k4', slug: 'no-such-path' }, reader);
      expect(read.body.data).toEqual({ learner: { id: 'k4', progress: null } });
      expect(codesOf(read)).toEqual(['NOT_FOUND']);
      expect((await ok(app, EVENTS, { id: 'k4' }, reader)).learner.events.edges).toEqual([]);
    });

    it('pages through the event log with first and after, newest first, as REST does', async () => {
      // Five changes of one resource (done, not done, …) and one of another: six events.
      for (let i = 0; i < 5; i++) await ok(app, i % 2 === 0 ? COMPLETE : UNCOMPLETE, { learnerId: 'k5', slug: SEED, resourceId: 'batch-processing' }, writer);
      await ok(app, COMPLETE, { learnerId: 'k5', slug: SEED, resourceId: 'stream-processing' }, writer);
      const seen: { id: string }[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const connection: any = (await ok(app, EVENTS, { id: 'k5', first: 2, after }, reader)).learner.events;
        pages++;
        expect(connection.edges.length).toBeLessThanOrEqual(2);
        expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
        expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
        seen.push(...connection.edges.map((e: { node: { id: string } }) => e.node));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(pages).toBe(3);
      expect(seen).toHaveLength(6);
      const numeric = seen.map((e) => BigInt(e.id));
      expect(numeric).toEqual([...numeric].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
      const rest = (await app.inject({ url: '/v1/learners/k5/events?limit=100', headers: { authorization: `Bearer ${reader.secret}` } })).json();
      expect(seen.map((e) => e.id)).toEqual(rest.items.map((e: { id: string }) => e.id));

      for (const [variables, argument] of [
        [{ id: 'k5', after: 'nonsense' }, 'after'],
        [{ id: 'k5', first: 101 }, 'first'],
        [{ id: 'k5', first: 0 }, 'first'],
      ] as const) {
        const answer = await post(app, EVENTS, variables, reader);
        expect(answer.status).toBe(200);
        expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
        expect(answer.body.errors?.[0]?.extensions?.['argument']).toBe(argument);
      }
    });

    it('lists the started paths, most recent first, page by page, with their learning path', async () => {
      for (const [slug, resourceId] of [
        ['alpha-streams', 'kafka-in-10-minutes'],
        ['zeta-warehouse', 'the-data-warehouse-toolkit'],
        [SEED, 'batch-processing'],
      ] as const) {
        await ok(app, COMPLETE, { learnerId: 'k6', slug, resourceId }, writer);
      }
      const first = (await ok(app, PATHS, { id: 'k6', first: 2 }, reader)).learner.paths;
      expect(first.totalCount).toBe(3);
      expect(first.edges.map((e: { node: { slug: string } }) => e.node.slug)).toEqual([SEED, 'zeta-warehouse']);
      expect(first.edges[1].node).toMatchObject({ title: 'Zeta Warehouse', completedCount: 1, totalCount: 2, percent: 50, learningPath: { title: 'Zeta Warehouse' } });
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const second = (await ok(app, PATHS, { id: 'k6', first: 2, after: first.pageInfo.endCursor }, reader)).learner.paths;
      expect(second.edges.map((e: { node: { slug: string } }) => e.node.slug)).toEqual(['alpha-streams']);
      expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      // The same items as REST, in the same order.
      const rest = (await app.inject({ url: '/v1/learners/k6/paths', headers: { authorization: `Bearer ${reader.secret}` } })).json();
      const nodes = [...first.edges, ...second.edges].map((e: { node: Record<string, unknown> }) => {
        const { learningPath: _resolved, ...node } = e.node;
        return node;
      });
      expect(nodes).toEqual(rest.items);
      const bad = await post(app, PATHS, { id: 'k6', after: 'nonsense' }, reader);
      expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a learner id of dots only or over 200 characters with a validation error, never a 5xx', async () => {
      expect((await ok(app, READ, { id: 'a'.repeat(200), slug: SEED }, reader)).learner.progress.completedCount).toBe(0);
      for (const id of ['.', '..', '...', 'a'.repeat(201), '../etc/passwd', 'u\u0000', '']) {
        const read = await post(app, READ, { id, slug: SEED }, reader);
        expect(read.status, id).toBe(200);
        expect(read.body.data, id).toEqual({ learner: null });
        expect(codesOf(read), id).toEqual(['BAD_USER_INPUT']);
        const write = await post(app, COMPLETE, { learnerId: id, slug: SEED, resourceId: 'batch-processing' }, writer);
        expect(write.body.data, id).toEqual({ completeResource: null });
        expect(codesOf(write), id).toEqual(['BAD_USER_INPUT']);
      }
      const late = await post(app, COMPLETE, { learnerId: 'k7', slug: SEED, resourceId: 'batch-processing', completedAt: 'yesterday' }, writer);
      expect(codesOf(late)).toEqual(['BAD_USER_INPUT']);
      expect(late.body.errors?.[0]?.extensions?.['argument']).toBe('completedAt');
      const huge = await post(app, READ, { id: 'a'.repeat(60_000), slug: SEED }, reader);
      expect(huge.status).toBeLessThan(500);
    });

    it('never answers learner data from the result cache', async () => {
      const query = `query { learner(id: "k8") { progress(slug: "${SEED}") { completedCount } } }`;
      expect((await ok(app, query, {}, reader)).learner.progress.completedCount).toBe(0);
      await ok(app, COMPLETE, { learnerId: 'k8', slug: SEED, resourceId: 'batch-processing' }, writer);
      const again = await post(app, query, {}, reader);
      expect(again.body.data).toEqual({ learner: { progress: { completedCount: 1 } } });
      expect(again.headers['cache-control']).toBe('private, no-store');
      // The answer above is not replayed to a request without a key.
      expect((await post(app, query)).status).toBe(401);
    });

    it('keeps the limits: aliases, page sizes and depth bound a hostile learner query', async () => {
      const aliases = Array.from({ length: 16 }, (_, i) => `l${i}: learner(id: "k9") { events(first: 100) { edges { cursor } } }`).join(' ');
      const tooMany = await post(app, `{ ${aliases} }`, {}, reader);
      expect(tooMany.status).toBe(400);
      expect(codesOf(tooMany)).toEqual(['ALIAS_LIMIT_EXCEEDED']);
      const deep = `{ learner(id: "k9") { paths { edges { node { learningPath { phases { resources { learningPath { phases { resources { id } } } } } } } } } } }`;
      const tooDeep = await post(app, deep, {}, reader);
      expect(tooDeep.status).toBe(400);
      expect(codesOf(tooDeep)).toEqual(['DEPTH_LIMIT_EXCEEDED']);
      const big = await post(app, `{ learner(id: "k9") { paths(first: 100000) { totalCount } } }`, {}, reader);
      expect(codesOf(big)).toEqual(['BAD_USER_INPUT']);
    });

    it('reads over GET with a key and refuses a mutation over GET', async () => {
      const url = `/graphql?query=${encodeURIComponent(`{ learner(id: "k10") { id } }`)}`;
      expect((await app.inject({ url })).statusCode).toBe(401);
      const read = await app.inject({ url, headers: { authorization: `Bearer ${reader.secret}` } });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual({ data: { learner: { id: 'k10' } } });
      const mutation = `mutation { completeResource(learnerId: "k10", slug: "${SEED}", resourceId: "batch-processing") { percent } }`;
      const refused = await app.inject({ url: `/graphql?query=${encodeURIComponent(mutation)}`, headers: { authorization: `Bearer ${writer.secret}` } });
      expect(refused.statusCode).toBe(405);
      expect((await ok(app, EVENTS, { id: 'k10' }, reader)).learner.events.edges).toEqual([]);
    });

    it('never sends a secret back', async () => {
      for (const key of [writer, reader, eraser]) {
        const answer = await post(app, COMPLETE, { learnerId: 'k11', slug: SEED, resourceId: 'batch-processing' }, key);
        for (const secret of secrets) expect(answer.raw + JSON.stringify(answer.headers)).not.toContain(secret);
      }
    });
  });
}

describe('GraphQL learner fields while the learner database is away', () => {
  it('answer a masked SERVICE_UNAVAILABLE with the time to wait, and the catalog still answers', async () => {
    // A store that is still opening: every learner field is unavailable until it is open.
    const app = await createTestApp({ catalog: fixtureCatalog(), learnerStore: new Promise<Store>(() => {}), apiKeys: [writer], rateLimit: false });
    try {
      // Asked three times: the first through mercurius, the next ones compiled; the same answer.
      const reads = [];
      for (let i = 0; i < 3; i++) reads.push(await post(app, `{ path(slug: "${SEED}") { title } learner(id: "u1") { progress(slug: "${SEED}") { percent } } }`, {}, writer));
      const read = reads[0]!;
      for (const again of reads) {
        expect(again.status).toBe(200);
        expect(again.body.data).toEqual({ path: { title: 'Batch vs Stream Processing' }, learner: { progress: null } });
        expect(again.body.errors?.[0]?.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfter: 5 });
        expect(again.headers['retry-after']).toBe('5');
        expect(again.raw).toBe(read.raw);
      }
      const write = await post(app, COMPLETE, { learnerId: 'u1', slug: SEED, resourceId: 'batch-processing' }, writer);
      expect(write.body.data).toEqual({ completeResource: null });
      expect(codesOf(write)).toEqual(['SERVICE_UNAVAILABLE']);
      for (const pattern of LEAK_PATTERNS) expect(read.raw + write.raw).not.toMatch(pattern);
      expect(read.raw + write.raw).not.toContain('opening');
      // An unknown path is still NOT_FOUND: the request is checked before the database is asked.
      const unknown = await post(app, COMPLETE, { learnerId: 'u1', slug: 'no-such-path', resourceId: 'x' }, writer);
      expect(codesOf(unknown)).toEqual(['NOT_FOUND']);
    } finally {
      await app.close();
    }
  });
});

const noPostgres = await postgresUnavailableReason();

describe.skipIf(noPostgres !== null)('GraphQL learner fields while PostgreSQL is away', () => {
  it('mask the driver error as SERVICE_UNAVAILABLE and recover by themselves', async () => {
    const target = new URL(testDatabaseUrl ?? '');
    const proxy = await startProxy(target);
    const url = new URL(target.href);
    url.port = String(proxy.port);
    const schema = freshSchema();
    const store = await openStore({ databaseUrl: url.href, schema, connectTimeoutMs: 1000 });
    const app = await createTestApp({ catalog: fixtureCatalog(), learnerStore: store, apiKeys: [writer], rateLimit: false });
    try {
      const write = () => post(app, COMPLETE, { learnerId: 'u1', slug: SEED, resourceId: 'batch-processing' }, writer);
      expect((await write()).body.data?.completeResource).toMatchObject({ completedCount: 1 });
      await proxy.cut();
      const down = await write();
      expect(down.body.data).toEqual({ completeResource: null });
      expect(down.body.errors?.map((e) => [e.message, e.extensions])).toEqual([
        [expect.stringContaining('The learner database is unavailable right now'), { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 }],
      ]);
      expect(down.headers['retry-after']).toBe('5');
      expect(down.raw).not.toMatch(new RegExp(`${proxy.port}|ECONN|terminated|timeout`, 'i'));
      for (const pattern of LEAK_PATTERNS) expect(down.raw).not.toMatch(pattern);
      await proxy.restore();
      const back = await post(app, READ, { id: 'u1', slug: SEED }, writer);
      expect(back.body.data?.['learner']?.progress?.completedCount).toBe(1);
    } finally {
      await app.close();
      await store.close();
      await proxy.close();
      await dropSchema(schema);
    }
  });
});

describe('rate limits of authenticated GraphQL requests', () => {
  it('count per API key, not per client address, as REST does', async () => {
    const a = createApiKey('a', ['progress:read']);
    const b = createApiKey('b', ['progress:read']);
    const app = await createTestApp({ catalog: fixtureCatalog(), apiKeys: [a, b], rateLimit: { max: 2, timeWindow: '1 minute' } });
    try {
      const query = `{ learner(id: "u1") { id } }`;
      expect((await post(app, query, {}, a)).status).toBe(200);
      expect((await post(app, query, {}, a)).status).toBe(200);
      const limited = await post(app, query, {}, a);
      expect(limited.status).toBe(429);
      // The same address with another key has its own count, shared with its REST requests.
      expect((await post(app, query, {}, b)).status).toBe(200);
      const rest = await app.inject({ url: '/v1/learners/u1/events', headers: { authorization: `Bearer ${b.secret}` } });
      expect(rest.headers['ratelimit-remaining']).toBe('0');
    } finally {
      await app.close();
    }
  });
});
