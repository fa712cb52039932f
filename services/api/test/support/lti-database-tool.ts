import { openStore, type Store, type StoreOptions } from '@learnpath/store';
import type { App } from '../../src/app.js';
import { createDatabaseLtiOptions, PlatformKeySets, type DatabaseLtiSetup } from '../../src/lti/index.js';
import { fixtureCatalog } from './fixtures.js';
import { listenApp } from './listening-app.js';
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
  const { app, base, host } = await listenApp({ catalog, learnerStore: store, lti: { ...lti.options, platformKeys: new PlatformKeySets({ refreshCooldownMs: 0 }) } });
  lti.deliverer.start();
  return {
    app,
    store,
    lti,
    base,
    host,
    async close() {
      await app.close();
      await lti.deliverer.stop();
      await store.close();
    },
  };
}
