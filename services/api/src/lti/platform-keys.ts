import { importJWK, type JWK } from 'jose';
import { discardBody, readLimitedJson } from '../http/read-limited.js';
import { LtiError } from './errors.js';

interface CachedKeySet {
  keys: JWK[];
  fetchedAt: number;
}

/** Options of `PlatformKeySets`. */
export interface PlatformKeySetsOptions {
  /** How long a fetched key set is used before it is fetched again. Default 10 minutes. */
  maxAgeMs?: number;
  /** Least time between two fetches of one key set prompted by an unknown `kid`. Default 30 s. */
  refreshCooldownMs?: number;
  /** Time allowed for one fetch. Default 5 s. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

// A key set is a few kilobytes; anything beyond this is refused unread.
const MAX_KEY_SET_BYTES = 256 * 1024;

/**
 * The platforms' public keys: fetched from each platform's JWKS URL, cached, and fetched again
 * when a token names a `kid` the cache does not know (the platform rotated its key). The
 * cooldown keeps forged tokens with random kids from turning the tool into a load generator.
 */
export class PlatformKeySets {
  readonly #cache = new Map<string, CachedKeySet>();
  readonly #inflight = new Map<string, Promise<CachedKeySet>>();
  readonly #maxAgeMs: number;
  readonly #cooldownMs: number;
  readonly #timeoutMs: number;
  readonly #fetch: typeof globalThis.fetch;
  readonly #now: () => number;

  constructor(options: PlatformKeySetsOptions = {}) {
    this.#maxAgeMs = options.maxAgeMs ?? 600_000;
    this.#cooldownMs = options.refreshCooldownMs ?? 30_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? Date.now;
  }

  /** The RS256 verification key `kid` of the key set at `jwksUrl` (the only key when the token names none). */
  async keyFor(jwksUrl: string, kid: string | undefined): Promise<CryptoKey | Uint8Array> {
    let set = this.#cache.get(jwksUrl);
    const now = this.#now();
    if (set === undefined || now - set.fetchedAt > this.#maxAgeMs) set = await this.#load(jwksUrl);
    let jwk = pick(set.keys, kid);
    if (jwk === undefined && this.#now() - set.fetchedAt >= this.#cooldownMs) {
      set = await this.#load(jwksUrl);
      jwk = pick(set.keys, kid);
    }
    if (jwk === undefined) {
      throw new LtiError('signature', kid === undefined ? 'The id_token names no key (kid) and the platform publishes several.' : 'The id_token is signed with a key the platform does not publish.');
    }
    try {
      return await importJWK({ ...jwk, alg: 'RS256' }, 'RS256');
    } catch {
      throw new LtiError('platform', 'The platform publishes a key that is not a usable RS256 key.', 502);
    }
  }

  #load(jwksUrl: string): Promise<CachedKeySet> {
    const running = this.#inflight.get(jwksUrl);
    if (running) return running;
    const loading = this.#fetchSet(jwksUrl).finally(() => this.#inflight.delete(jwksUrl));
    this.#inflight.set(jwksUrl, loading);
    return loading;
  }

  async #fetchSet(jwksUrl: string): Promise<CachedKeySet> {
    let body: unknown;
    try {
      const response = await this.#fetch(jwksUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.#timeoutMs), redirect: 'error' });
      if (!response.ok) {
        await discardBody(response);
        throw new Error(`status ${response.status}`);
      }
      body = await readLimitedJson(response, MAX_KEY_SET_BYTES);
    } catch (error) {
      throw new LtiError('platform', `The platform key set could not be fetched (${(error as Error).message}).`, 502);
    }
    const keys = (body as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new LtiError('platform', 'The platform key set is not a JWKS document.', 502);
    const set = { keys: keys.filter((k): k is JWK => typeof k === 'object' && k !== null && (k as JWK).kty === 'RSA'), fetchedAt: this.#now() };
    this.#cache.set(jwksUrl, set);
    return set;
  }
}

function pick(keys: readonly JWK[], kid: string | undefined): JWK | undefined {
  const usable = keys.filter((k) => (k.use === undefined || k.use === 'sig') && (k.alg === undefined || k.alg === 'RS256'));
  if (kid === undefined) return usable.length === 1 ? usable[0] : undefined;
  return usable.find((k) => k.kid === kid);
}
