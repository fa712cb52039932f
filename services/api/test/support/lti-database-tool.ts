import type { AddressInfo } from 'node:net';
import { openStore, type Store, type StoreOptions } from '@learnpath/store';
import { buildApp, type App } from '../../src/app.js';
import { createDatabaseLtiOptions, PlatformKeySets, type DatabaseLtiSetup } from '../../src/lti/index.js';
import { fixtureCatalog } from './fixtures.js';
import type { LtiPlatformEmulator } from './lti-platform.js';

/** One replica of the tool on a learner store, listening on 127.0.0.1. */
export interface DatabaseReplica {
  app: App;
  store: Store;
  lti: DatabaseLtiSetup;
  base: string;
  host: string;
  close(): Promise<void>;
}

/** Starts a replica on `storeOptions` that knows `platform` from its configuration; its deliverer runs. */
export async function startReplica(platform: LtiPlatformEmulator, storeOptions: StoreOptions, env: { LTI_KEY_SECRET?: string } = {}): Promise<DatabaseReplica> {
  const store = await openStore(storeOptions);
  const catalog = fixtureCatalog();
  const lti = await createDatabaseLtiOptions(
    { LTI_PLATFORMS: JSON.stringify([platform.registration]), ...env },
    { store, paths: () => catalog.paths.values(), delivery: { retryBaseMs: 50, retryMaxMs: 400, pollMs: 500 } },
  );
  const app = await buildApp({ catalog, rateLimit: false, learnerStore: store, lti: { ...lti.options, platformKeys: new PlatformKeySets({ refreshCooldownMs: 0 }) } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  lti.deliverer.start();
  return {
    app,
    store,
    lti,
    base: `http://${host}`,
    host,
    async close() {
      await app.close();
      await lti.deliverer.stop();
      await store.close();
    },
  };
}
