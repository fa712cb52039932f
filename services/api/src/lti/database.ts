import type { Store } from '@learnpath/store';
import type { JWK } from 'jose';
import type { Score } from './ags.js';
import type { LtiNonceStore } from './nonce-store.js';
import type { LtiOutbox, OutboxEntry, OutboxScore } from './outbox.js';
import type { LtiPlatform, LtiPlatformRegistry } from './platforms.js';
import { generateToolKey, type LtiKeyStore, type StoredToolKey } from './tool-keys.js';

/** Launch nonces in the database: a replayed id_token is refused by every replica. */
export class DatabaseNonceStore implements LtiNonceStore {
  constructor(readonly store: Store) {}
  useNonce(nonce: string, expiresAt: Date): Promise<boolean> {
    return this.store.lti.useNonce(nonce, expiresAt);
  }
}

/** Tool keys in the database, private keys encrypted with `secret` when one is configured. */
export class DatabaseKeyStore implements LtiKeyStore {
  readonly #keys: ReturnType<Store['lti']['toolKeys']>;
  constructor(store: Store, secret: string | null) {
    this.#keys = store.lti.toolKeys(secret);
  }
  async listKeys(): Promise<StoredToolKey[]> {
    return (await this.#keys.listKeys()).map((k) => ({ kid: k.kid, privateJwk: k.privateJwk as JWK, createdAt: k.createdAt }));
  }
  addKey(key: StoredToolKey): Promise<void> {
    return this.#keys.addKey({ kid: key.kid, privateJwk: { ...key.privateJwk }, createdAt: key.createdAt });
  }
  retireKey(kid: string): Promise<void> {
    return this.#keys.retireKey(kid);
  }
  /** Generates and stores the first key unless one exists, atomically across replicas. */
  async ensureKey(): Promise<void> {
    if ((await this.#keys.listKeys()).length > 0) return;
    const key = await generateToolKey();
    await this.#keys.addFirstKey({ kid: key.kid, privateJwk: { ...key.privateJwk }, createdAt: key.createdAt });
  }
}

/** The configured platforms followed by those registered dynamically (kept in the database). */
export class DatabasePlatformRegistry implements LtiPlatformRegistry {
  constructor(
    readonly store: Store,
    readonly configured: readonly LtiPlatform[] = [],
  ) {}
  async findByIssuer(issuer: string): Promise<LtiPlatform[]> {
    const fromConfig = this.configured.filter((p) => p.issuer === issuer);
    const stored = (await this.store.lti.findPlatforms(issuer)).filter((p) => !fromConfig.some((c) => c.clientId === p.clientId));
    return [...fromConfig, ...stored];
  }
  /** Stores a platform that registered itself. */
  insert(platform: LtiPlatform): Promise<void> {
    return this.store.lti.savePlatform(platform);
  }
}

/** The grade outbox in the database: durable, shared by replicas, claimed with leases. */
export class DatabaseOutbox implements LtiOutbox {
  readonly #box: Store['lti']['outbox'];
  constructor(store: Store) {
    this.#box = store.lti.outbox;
  }
  async enqueue(score: OutboxScore, now: Date): Promise<OutboxEntry> {
    return toEntry(await this.#box.enqueue({ ...score, score: { ...score.score } }, now));
  }
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<OutboxEntry[]> {
    return (await this.#box.claimDue(now, leaseUntil, limit)).map(toEntry);
  }
  markDelivered(id: string): Promise<void> {
    return this.#box.markDelivered(id);
  }
  markFailed(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    return this.#box.markFailed(id, nextAttemptAt, error);
  }
  markAbandoned(id: string, error: string): Promise<void> {
    return this.#box.markAbandoned(id, error);
  }
  nextDueAt(): Promise<Date | null> {
    return this.#box.nextDueAt();
  }
}

// The outbox only holds scores this service built (buildScore), so the stored document is a Score.
const toEntry = (entry: Awaited<ReturnType<Store['lti']['outbox']['enqueue']>>): OutboxEntry => ({ ...entry, score: entry.score as unknown as Score });
