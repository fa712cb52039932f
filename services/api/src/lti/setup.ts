import type { LearningPath } from '@learnpath/schema';
import type { Store } from '@learnpath/store';
import { AgsTokenClient } from './ags.js';
import { DatabaseKeyStore, DatabaseNonceStore, DatabaseOutbox, DatabasePlatformRegistry } from './database.js';
import { GradeReporter } from './grades.js';
import { StoreSessionStarter, type LtiSessionStarter } from './learner.js';
import { MemoryNonceStore, type LtiNonceStore } from './nonce-store.js';
import { createScoreSender, OutboxDeliverer, type OutboxDelivererOptions } from './outbox-delivery.js';
import { readPlatforms, StaticPlatformRegistry } from './platforms.js';
import type { LtiOptions } from './routes.js';
import { MemoryKeyStore, ToolKeySet, type KeyCacheOptions, type LtiKeyStore } from './tool-keys.js';

/** The LTI settings of the environment. */
export interface LtiEnvironment {
  LTI_PLATFORMS?: string | undefined;
  LTI_PLATFORMS_FILE?: string | undefined;
  /** One or more PEM files, comma-separated; the first signs. */
  LTI_PRIVATE_KEY_FILE?: string | undefined;
  /** Encrypts the generated tool keys kept in the database; without it they are stored in plain JSON. */
  LTI_KEY_SECRET?: string | undefined;
  /** Whether platforms registered dynamically may leave names and emails (default false). */
  LTI_KEEP_PERSONAL_DATA?: boolean | undefined;
}

/** Whether the environment turns the LTI tool on (platforms or a key configured). */
export function isLtiConfigured(env: LtiEnvironment): boolean {
  return Boolean(env.LTI_PLATFORMS || env.LTI_PLATFORMS_FILE || env.LTI_PRIVATE_KEY_FILE);
}

const pemFilesOf = (env: LtiEnvironment): string[] =>
  (env.LTI_PRIVATE_KEY_FILE ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');

/**
 * Builds the tool's options from the environment without a database: key, nonce and state
 * storage is this process's (`Memory…` stores), right for one instance and no grades.
 * `createDatabaseLtiOptions` is the version for a learner store.
 */
export async function createLtiOptions(env: LtiEnvironment, stores: { keys?: LtiKeyStore; nonces?: LtiNonceStore } = {}, baseUrl?: string): Promise<LtiOptions> {
  const platforms = await readPlatforms(env);
  const keys = await ToolKeySet.load({ store: stores.keys ?? new MemoryKeyStore(), pemFiles: pemFilesOf(env) });
  return { registry: new StaticPlatformRegistry(platforms), keys, nonces: stores.nonces ?? new MemoryNonceStore(), ...(baseUrl ? { baseUrl } : {}) };
}

/** The tool on a learner store, and the deliverer of its grade outbox (start it with the server, stop it before closing the store). */
export interface DatabaseLtiSetup {
  options: LtiOptions;
  deliverer: OutboxDeliverer;
  /** Whether generated tool keys are encrypted at rest (`LTI_KEY_SECRET` set). */
  keysEncrypted: boolean;
  /** Where the tool keys are kept: a key added here (`options.keys.rotate(keyStore)`) reaches every replica. */
  keyStore: DatabaseKeyStore;
}

/**
 * Builds the tool on a learner store: nonces, generated keys, dynamically registered platforms
 * and the grade outbox live in the database, so replicas share them; launches sign learners in.
 */
export async function createDatabaseLtiOptions(
  env: LtiEnvironment,
  context: {
    store: Store;
    /** The catalog's paths now (for scores). */
    paths: () => Iterable<LearningPath>;
    baseUrl?: string;
    sessions?: LtiSessionStarter;
    fetch?: typeof globalThis.fetch;
    delivery?: Omit<OutboxDelivererOptions, 'outbox' | 'send'>;
    /** How long the stored tool keys are trusted before they are read again. */
    keyCache?: KeyCacheOptions;
  },
): Promise<DatabaseLtiSetup> {
  const secret = env.LTI_KEY_SECRET?.trim() || null;
  const registry = new DatabasePlatformRegistry(context.store, await readPlatforms(env));
  const keyStore = new DatabaseKeyStore(context.store, secret);
  const pemFiles = pemFilesOf(env);
  // Replicas starting together must not each generate (and sign with) a key of their own.
  if (pemFiles.length === 0) await keyStore.ensureKey();
  const keys = await ToolKeySet.load({ store: keyStore, pemFiles, ...(context.keyCache ? { cache: context.keyCache } : {}) });
  const outbox = new DatabaseOutbox(context.store);
  const client = new AgsTokenClient({ keys, ...(context.fetch ? { fetch: context.fetch } : {}) });
  const deliverer = new OutboxDeliverer({ outbox, send: createScoreSender(registry, client), ...context.delivery });
  const grades = new GradeReporter({ store: context.store, outbox, paths: context.paths, onEnqueued: () => deliverer.wake() });
  return {
    options: {
      registry,
      keys,
      nonces: new DatabaseNonceStore(context.store),
      registrations: registry,
      keepRegisteredPersonalData: env.LTI_KEEP_PERSONAL_DATA === true,
      learners: { store: context.store, sessions: context.sessions ?? new StoreSessionStarter(context.store), grades },
      ...(context.baseUrl ? { baseUrl: context.baseUrl } : {}),
    },
    deliverer,
    keysEncrypted: secret !== null,
    keyStore,
  };
}
