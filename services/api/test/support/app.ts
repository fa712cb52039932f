import type { Catalog } from '@learnpath/content';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { buildApp, type App, type BuildAppOptions } from '../../src/app.js';
import { fixtureCatalog } from './fixtures.js';

/** Options of a test app: anything `buildApp` takes; the catalog defaults to the fixture catalog. */
export type TestAppOptions = Partial<BuildAppOptions>;

function create(options: TestAppOptions): Promise<App> {
  const source: { catalog: Catalog } | Pick<BuildAppOptions, 'store'> = options.store ? { store: options.store } : { catalog: options.catalog ?? fixtureCatalog() };
  return buildApp({ ...options, ...source });
}

/** An app over the fixture catalog (or the given options) for one test; closed when the test ends. */
export async function build(options: TestAppOptions = {}): Promise<App> {
  const app = await create(options);
  onTestFinished(() => app.close());
  return app;
}

/**
 * One app for every test of a file or `describe`: built before the first test, closed after
 * the last. Returns a getter, since the app exists only once the tests run.
 */
export function buildShared(options: TestAppOptions | (() => TestAppOptions | Promise<TestAppOptions>) = {}): () => App {
  let app: App | undefined;
  beforeAll(async () => {
    app = await create(typeof options === 'function' ? await options() : options);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (app === undefined) throw new Error('the shared app is built before the tests run; call the getter inside a test');
    return app;
  };
}
