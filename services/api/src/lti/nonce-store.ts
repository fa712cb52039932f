/**
 * Single use of launch nonces. The database implements it (an insert that fails on a duplicate),
 * so that every replica refuses a replayed id_token; `MemoryNonceStore` serves one process.
 */
export interface LtiNonceStore {
  /** Records `nonce` as used until `expiresAt`; false when it was already used (a replay). Atomic. */
  useNonce(nonce: string, expiresAt: Date): Promise<boolean>;
}

/** Nonces kept in this process only: a single instance without a database, and tests. */
export class MemoryNonceStore implements LtiNonceStore {
  readonly #used = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async useNonce(nonce: string, expiresAt: Date): Promise<boolean> {
    const now = this.#now();
    for (const [key, until] of this.#used) if (until < now) this.#used.delete(key);
    if (this.#used.has(nonce)) return false;
    this.#used.set(nonce, expiresAt.getTime());
    return true;
  }
}
