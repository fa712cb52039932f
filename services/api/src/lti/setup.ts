import { MemoryKeyStore, ToolKeySet, type LtiKeyStore } from './tool-keys.js';
import { MemoryNonceStore, type LtiNonceStore } from './nonce-store.js';
import { readPlatforms, StaticPlatformRegistry } from './platforms.js';
import type { LtiOptions } from './routes.js';

/** The LTI settings of the environment. */
export interface LtiEnvironment {
  LTI_PLATFORMS?: string | undefined;
  LTI_PLATFORMS_FILE?: string | undefined;
  /** One or more PEM files, comma-separated; the first signs. */
  LTI_PRIVATE_KEY_FILE?: string | undefined;
}

/** Whether the environment turns the LTI tool on (platforms or a key configured). */
export function isLtiConfigured(env: LtiEnvironment): boolean {
  return Boolean(env.LTI_PLATFORMS || env.LTI_PLATFORMS_FILE || env.LTI_PRIVATE_KEY_FILE);
}

/**
 * Builds the tool's options from the environment. Without a database the key, nonce and state
 * storage is this process's (`Memory…` stores): right for one instance; replicas need the
 * database implementations passed as `stores`.
 */
export async function createLtiOptions(env: LtiEnvironment, stores: { keys?: LtiKeyStore; nonces?: LtiNonceStore } = {}, baseUrl?: string): Promise<LtiOptions> {
  const platforms = await readPlatforms(env);
  const pemFiles = (env.LTI_PRIVATE_KEY_FILE ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
  const keys = await ToolKeySet.load({ store: stores.keys ?? new MemoryKeyStore(), pemFiles });
  return { registry: new StaticPlatformRegistry(platforms), keys, nonces: stores.nonces ?? new MemoryNonceStore(), ...(baseUrl ? { baseUrl } : {}) };
}
