import { afterAll, beforeAll, onTestFinished } from 'vitest';
import type { App } from '../../src/app.js';
import { createTestApp as create, type TestAppOptions } from './listening-app.js';

export { createTestApp, listenApp, type ListeningApp, type TestAppOptions } from './listening-app.js';

/** An app over the fixture catalog (or the given options) for one test; closed when the test ends. */
export async function build(options: TestAppOptions = {}): Promise<App> {
  const app = await create(options);
  onTestFinished(() => app.close());
  return app;
}

/**
 * One app for every test of a file or `describe`: built before the first test, closed after
 * the last. Returned as a handle that can be declared beside the tests: it reads through to
 * the app once `beforeAll` has built it (options may be a function, run then).
 */
export function buildShared(options: TestAppOptions | (() => TestAppOptions | Promise<TestAppOptions>) = {}): App {
  let app: App | undefined;
  beforeAll(async () => {
    app = await create(typeof options === 'function' ? await options() : options);
  });
  afterAll(async () => {
    await app?.close();
  });
  return new Proxy({} as App, {
    get(_, key) {
      if (app === undefined) throw new Error('the shared app is built before the tests run; use it inside a test or hook');
      const value: unknown = Reflect.get(app, key, app);
      // Fastify's methods expect the instance itself as `this`.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(app) : value;
    },
    has: (_, key) => app !== undefined && Reflect.has(app, key),
  });
}
