import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { LtiConfigurationError } from './platforms.js';

/** A tool key as the database keeps it: the private key as a JWK. */
export interface StoredToolKey {
  /** The key id published in the JWKS and set in every JWT header. */
  kid: string;
  /** The RSA private key (JWK with `d`). */
  privateJwk: JWK;
  /** When the key was made; the newest active key signs. */
  createdAt: Date;
}

/**
 * Where generated tool keys live so that every replica signs with the same keys and a restart
 * keeps them. The database implements it; `MemoryKeyStore` serves one process.
 */
export interface LtiKeyStore {
  /** Every active key, any order. */
  listKeys(): Promise<StoredToolKey[]>;
  /** Adds a key; it signs from now on (it is the newest). */
  addKey(key: StoredToolKey): Promise<void>;
  /** Stops publishing and using a key (after a rotation, once no platform can still hold it). */
  retireKey(kid: string): Promise<void>;
}

/** An active signing key of the tool. */
export interface ToolKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
  createdAt: Date;
}

/** The public key set document served at `/lti/jwks`. */
export interface JwksDocument {
  keys: JWK[];
}

async function toolKeyFrom(privateKey: KeyObject, createdAt: Date, kid?: string): Promise<ToolKey> {
  if (privateKey.asymmetricKeyType !== 'rsa') throw new LtiConfigurationError(`LTI keys must be RSA keys (RS256), got ${privateKey.asymmetricKeyType ?? 'a non-asymmetric key'}`);
  const { kty, n, e } = await exportJWK(createPublicKey(privateKey));
  const thumbprint = await calculateJwkThumbprint({ kty: kty!, n: n!, e: e! });
  const id = kid ?? thumbprint;
  return { kid: id, privateKey, publicJwk: { kty, n, e, kid: id, alg: 'RS256', use: 'sig' }, createdAt };
}

/** Generates a new RS256 key pair as a key to store. */
export async function generateToolKey(now = new Date()): Promise<StoredToolKey> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const key = await toolKeyFrom(createPrivateKey({ key: privateJwk as never, format: 'jwk' }), now);
  return { kid: key.kid, privateJwk, createdAt: now };
}

/** How long the tool trusts its copy of the stored keys, and its clock (tests move it). */
export interface KeyCacheOptions {
  /** Milliseconds between reads of the stored keys. Default 30 000. */
  ttlMs?: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** Default time the stored keys are trusted before they are read again. */
export const KEY_CACHE_TTL_MS = 30_000;
// A token naming an unknown kid reads the store again, at most this often (bogus kids must not flood the database).
const MISS_REFRESH_MS = 1_000;

async function readPemFiles(pemFiles: readonly string[]): Promise<ToolKey[]> {
  const fromFiles: ToolKey[] = [];
  for (const file of pemFiles) {
    let pem: string;
    try {
      pem = await readFile(file, 'utf8');
    } catch (error) {
      throw new LtiConfigurationError(`LTI_PRIVATE_KEY_FILE ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new LtiConfigurationError(`LTI_PRIVATE_KEY_FILE ${file} does not hold a PEM private key`);
    }
    fromFiles.push(await toolKeyFrom(key, new Date(0)));
  }
  return fromFiles;
}

/**
 * The tool's RS256 keys: the newest signs, all are published, so a platform that cached the
 * previous key set goes on verifying while the new key spreads. The stored keys are read again
 * after a short time and whenever a token names a key this copy does not know, so a key added
 * or retired through one replica reaches every other without a restart.
 */
export class ToolKeySet {
  #keys: ToolKey[];
  readonly #fromFiles: readonly ToolKey[];
  readonly #store: LtiKeyStore | null;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #readAt: number;
  #lastMissRead = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | null = null;

  private constructor(fromFiles: readonly ToolKey[], stored: ToolKey[], store: LtiKeyStore | null, cache: KeyCacheOptions) {
    this.#fromFiles = fromFiles;
    this.#keys = [...fromFiles, ...stored];
    this.#store = store;
    this.#ttlMs = cache.ttlMs ?? KEY_CACHE_TTL_MS;
    this.#now = cache.now ?? Date.now;
    this.#readAt = this.#now();
  }

  /**
   * Loads the keys: from PEM files when given (the first signs), followed by the stored keys
   * (still published, so a move from generated keys to files does not break platforms);
   * otherwise the stored keys, generating and storing one when there is none.
   */
  static async load(options: { store: LtiKeyStore; pemFiles?: readonly string[]; cache?: KeyCacheOptions }): Promise<ToolKeySet> {
    const fromFiles = await readPemFiles(options.pemFiles ?? []);
    let stored = await options.store.listKeys();
    if (fromFiles.length === 0 && stored.length === 0) {
      await options.store.addKey(await generateToolKey());
      stored = await options.store.listKeys();
    }
    return new ToolKeySet(fromFiles, await toolKeysOf(stored, []), options.store, options.cache ?? {});
  }

  /** The key that signs now. */
  get signingKey(): ToolKey {
    return this.#keys[0]!;
  }

  /** Every published key, the signing key first. */
  get keys(): readonly ToolKey[] {
    return this.#keys;
  }

  /** The key with id `kid`, if active. */
  find(kid: string): ToolKey | undefined {
    return this.#keys.find((k) => k.kid === kid);
  }

  /** The JWKS document: public parts only. */
  jwks(): JwksDocument {
    return { keys: this.#keys.map((k) => ({ ...k.publicJwk })) };
  }

  /** Reads the stored keys again when this copy is older than the cache time. */
  async refresh(): Promise<void> {
    if (this.#now() - this.#readAt < this.#ttlMs) return;
    await this.#read();
  }

  /** Makes sure key `kid` is known when the store has it: reads the stored keys again on a miss (at most once a second). */
  async refreshFor(kid: string | undefined): Promise<void> {
    if (kid === undefined || this.find(kid) !== undefined) return this.refresh();
    if (this.#now() - this.#lastMissRead < MISS_REFRESH_MS) return;
    this.#lastMissRead = this.#now();
    await this.#read();
  }

  #read(): Promise<void> {
    const store = this.#store;
    if (store === null) return Promise.resolve();
    // Concurrent requests share one read.
    this.#reading ??= (async () => {
      try {
        const stored = await toolKeysOf(await store.listKeys(), this.#keys);
        // Files always stay; the store never empties a set that has no files (a key is generated at start).
        if (this.#fromFiles.length > 0 || stored.length > 0) this.#keys = [...this.#fromFiles, ...stored];
      } finally {
        // A store that cannot be read leaves the keys as they were until the next cache period.
        this.#readAt = this.#now();
        this.#reading = null;
      }
    })();
    return this.#reading;
  }

  /** Generates a new signing key, stores it and signs with it from now on; the old keys stay published. */
  async rotate(store: LtiKeyStore | null = this.#store, now = new Date()): Promise<ToolKey> {
    if (store === null) throw new LtiConfigurationError('the tool keys have no store to keep a new key in');
    const stored = await generateToolKey(now);
    await store.addKey(stored);
    const key = await toolKeyFrom(createPrivateKey({ key: stored.privateJwk as never, format: 'jwk' }), stored.createdAt, stored.kid);
    this.#keys = [...this.#fromFiles, key, ...this.#keys.filter((k) => !this.#fromFiles.includes(k))];
    return key;
  }
}

// Stored keys as signing keys, newest first; keys already known are reused rather than parsed again.
async function toolKeysOf(stored: readonly StoredToolKey[], known: readonly ToolKey[]): Promise<ToolKey[]> {
  const keys = await Promise.all(
    stored.map((s) => known.find((k) => k.kid === s.kid) ?? toolKeyFrom(createPrivateKey({ key: s.privateJwk as never, format: 'jwk' }), s.createdAt, s.kid)),
  );
  return keys.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Keys kept in this process only: a single instance without a database, and tests. */
export class MemoryKeyStore implements LtiKeyStore {
  readonly #keys = new Map<string, StoredToolKey>();
  async listKeys(): Promise<StoredToolKey[]> {
    return [...this.#keys.values()];
  }
  async addKey(key: StoredToolKey): Promise<void> {
    this.#keys.set(key.kid, key);
  }
  async retireKey(kid: string): Promise<void> {
    this.#keys.delete(kid);
  }
}
