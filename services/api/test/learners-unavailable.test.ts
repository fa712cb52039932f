import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import { dropSchema, freshSchema, postgresUnavailableReason, testDatabaseUrl } from '@learnpath/store/testing';
import { startProxy } from '../../../packages/store/test/tcp-proxy.js';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';
import { expectProblem } from './support/problems.js';

// The database goes away mid-run (a TCP proxy to the shared test server is cut): learner routes
// answer 503 with Retry-After, content routes 200, /healthz degraded; all recover by themselves.
const key = createApiKey('writer', ['progress:read', 'progress:write']);
const headers = { authorization: `Bearer ${key.secret}` };
const skip = await postgresUnavailableReason();

describe.skipIf(skip !== null)('learner routes while PostgreSQL is away', () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let store: Store;
  let app: App;
  const schema = freshSchema();
  beforeAll(async () => {
    const target = new URL(testDatabaseUrl ?? '');
    proxy = await startProxy(target);
    const url = new URL(target.href);
    url.port = String(proxy.port);
    store = await openStore({ databaseUrl: url.href, schema, connectTimeoutMs: 1000 });
    app = await createTestApp({ catalog: fixtureCatalog(), learnerStore: store, apiKeys: [key], rateLimit: false });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await proxy?.close();
    await dropSchema(schema);
  });

  it('answers 503 with Retry-After, keeps serving content, reports degraded, and recovers', async () => {
    const put = () => app.inject({ method: 'PUT', url: `/v1/learners/u1/paths/${SEED}/completions/batch-processing`, headers });
    expect((await put()).statusCode).toBe(200);
    expect((await app.inject('/healthz')).json().status).toBe('ok');

    await proxy.cut();
    const down = await put();
    expectProblem(down, 503);
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
    expectProblem(await app.inject({ url: `/v1/learners/u1/paths/${SEED}/progress`, headers }), 503);
    expect((await app.inject(`/v1/paths/${SEED}`)).statusCode).toBe(200);
    const health = (await app.inject('/healthz')).json();
    expect(health.status).toBe('degraded');
    expect(health.reasons.map((r: { code: string }) => r.code)).toContain('database-unavailable');

    await proxy.restore();
    const back = await app.inject({ url: `/v1/learners/u1/paths/${SEED}/progress`, headers });
    expect(back.statusCode).toBe(200);
    expect(back.json().completedCount).toBe(1);
    expect((await app.inject('/healthz')).json().status).toBe('ok');
  });
});
