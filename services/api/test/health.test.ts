import { afterEach, describe, expect, it } from 'vitest';
import { createCatalog } from '@learnpath/content';
import type { Diagnostic } from '@learnpath/schema';
import { buildApp, type App, type BuildAppOptions } from '../src/app.js';
import { CatalogStore } from '../src/catalog/store.js';
import { runHealthChecks } from '../src/rest/health-checks.js';
import { fixturePaths } from './support/fixtures.js';

const warning: Diagnostic = { file: 'a.md', line: 3, column: 1, severity: 'warning', code: 'LP210', message: 'placeholder' };
const error: Diagnostic = { file: 'a.md', line: 5, column: 1, severity: 'error', code: 'LP204', message: 'bad duration' };

const opened: App[] = [];
async function open(options: BuildAppOptions): Promise<App> {
  const app = await buildApp({ rateLimit: false, ...options });
  opened.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

describe('GET /healthz', () => {
  it('is ok, and counts the warnings of the served content', async () => {
    const store = new CatalogStore(createCatalog(fixturePaths), [warning, warning]);
    const response = await (await open({ store })).inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', reasons: [], stale: false, diagnostics: { errors: 0, warnings: 2 } });
  });

  it('is degraded, still 200, while stale content is served, and counts errors and warnings apart', async () => {
    const store = new CatalogStore(createCatalog(fixturePaths));
    const app = await open({ store });
    store.markStale([error, warning, error]);
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'degraded',
      reasons: [{ code: 'stale-content', message: expect.stringContaining('2 errors') }],
      stale: true,
      diagnostics: { errors: 2, warnings: 1 },
    });
    store.swap(createCatalog(fixturePaths));
    expect((await app.inject('/healthz')).json()).toMatchObject({ status: 'ok', reasons: [], diagnostics: { errors: 0, warnings: 0 } });
  });

  it('is degraded with the reason another check gives (e.g. an unreachable database)', async () => {
    let reachable = false;
    const app = await open({
      catalog: createCatalog(fixturePaths),
      healthChecks: [async () => (reachable ? undefined : { code: 'database-unreachable', message: 'The learner database does not answer.' })],
    });
    const down = await app.inject('/healthz');
    expect(down.statusCode).toBe(200);
    expect(down.json()).toMatchObject({ status: 'degraded', reasons: [{ code: 'database-unreachable', message: 'The learner database does not answer.' }] });
    reachable = true;
    expect((await app.inject('/healthz')).json()).toMatchObject({ status: 'ok', reasons: [] });
  });

  it('reports a check that fails or hangs instead of failing or hanging itself', async () => {
    const app = await open({ catalog: createCatalog(fixturePaths), healthChecks: [() => Promise.reject(new Error('connection refused'))] });
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'degraded', reasons: [{ code: 'health-check-failed', message: 'A health check failed: connection refused' }] });

    const reasons = await runHealthChecks([() => new Promise(() => undefined)], 50);
    expect(reasons).toEqual([{ code: 'health-check-timeout', message: 'A health check took longer than 50 ms.' }]);
  });
});
