import { openStore, type ApiKey, type Store, type StoreOptions } from '@learnpath/store';
import type { App } from '../../src/app.js';
import { createDatabaseLtiOptions, PlatformKeySets, type DatabaseLtiSetup, type KeyCacheOptions, type LtiPlatform } from '../../src/lti/index.js';
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

/** How a replica is set up beyond its store. */
export interface ReplicaSetup {
  env?: { LTI_KEY_SECRET?: string; LTI_KEEP_PERSONAL_DATA?: boolean };
  /** Fields added to the platform's configured entry (e.g. `keepPersonalData`). */
  platform?: Partial<LtiPlatform>;
  apiKeys?: ApiKey[];
  keyCache?: KeyCacheOptions;
}

/** Starts a replica on `storeOptions` that knows `platform` from its configuration; its deliverer runs. */
export async function startReplica(platform: LtiPlatformEmulator, storeOptions: StoreOptions, setup: ReplicaSetup = {}): Promise<DatabaseReplica> {
  const store = await openStore(storeOptions);
  const catalog = fixtureCatalog();
  const lti = await createDatabaseLtiOptions(
    { LTI_PLATFORMS: JSON.stringify([{ ...platform.registration, ...setup.platform }]), ...setup.env },
    { store, paths: () => catalog.paths.values(), delivery: { retryBaseMs: 50, retryMaxMs: 400, pollMs: 500 }, ...(setup.keyCache ? { keyCache: setup.keyCache } : {}) },
  );
  const { app, base, host } = await listenApp({
    catalog,
    learnerStore: store,
    ...(setup.apiKeys ? { apiKeys: setup.apiKeys } : {}),
    lti: { ...lti.options, platformKeys: new PlatformKeySets({ refreshCooldownMs: 0 }) },
  });
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
