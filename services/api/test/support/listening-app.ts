import type { AddressInfo } from 'node:net';
import type { Catalog } from '@learnpath/content';
import { buildApp, type App, type BuildAppOptions } from '../../src/app.js';
import { fixtureCatalog } from './fixtures.js';

// Free of vitest imports: scripts (screenshots) start a listening app too.

/** Options of a test app: anything `buildApp` takes; the catalog defaults to the fixture catalog. */
export type TestAppOptions = Partial<BuildAppOptions>;

/** Builds the app; the catalog defaults to the fixture catalog. */
export function createTestApp(options: TestAppOptions): Promise<App> {
  const source: { catalog: Catalog } | Pick<BuildAppOptions, 'store'> = options.store ? { store: options.store } : { catalog: options.catalog ?? fixtureCatalog() };
  return buildApp({ ...options, ...source });
}

/** An app listening on a real socket: its base URL and the Host header that names it. */
export interface ListeningApp {
  app: App;
  /** `http://127.0.0.1:<port>`. */
  base: string;
  /** `127.0.0.1:<port>`. */
  host: string;
}

/**
 * The app listening on 127.0.0.1 and a free port, for browsers, raw sockets and other processes.
 * Rate limits are off unless the options set them: one client makes every request here.
 */
export async function listenApp(options: TestAppOptions = {}): Promise<ListeningApp> {
  const app = await createTestApp({ rateLimit: false, ...options });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const host = `127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, base: `http://${host}`, host };
}
