import { EventEmitter } from 'node:events';
import { AgsDeliveryError, type AgsTokenClient } from './ags.js';
import type { LtiOutbox, OutboxEntry } from './outbox.js';
import { resolvePlatform, type LtiPlatformRegistry } from './platforms.js';

/** Delivers one entry; throws `AgsDeliveryError` (or any error, taken as retryable) when it did not arrive. */
export type SendScore = (entry: OutboxEntry) => Promise<void>;

/** Options of `OutboxDeliverer`. */
export interface OutboxDelivererOptions {
  outbox: LtiOutbox;
  send: SendScore;
  /** First retry delay; each further failure doubles it. Default 1 s. */
  retryBaseMs?: number;
  /** Longest retry delay. Default 10 minutes. */
  retryMaxMs?: number;
  /** How long a claim holds an entry before another deliverer may take it. Default 60 s. */
  leaseMs?: number;
  /** Entries claimed per round. Default 20. */
  batchSize?: number;
  /** Longest sleep between rounds (other replicas enqueue too). Default 5 s. */
  pollMs?: number;
  now?: () => Date;
}

/** The delay before attempt `attempts + 1` after `attempts` failures: doubling from `baseMs`, at most `maxMs`. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** Events of an `OutboxDeliverer`. */
export interface OutboxDelivererEvents {
  delivered: [entry: OutboxEntry];
  failed: [entry: OutboxEntry, error: Error, nextAttemptAt: Date];
  abandoned: [entry: OutboxEntry, error: Error];
  /** The outbox itself failed (e.g. the database is away); the next round tries again. */
  problem: [error: Error];
}

/**
 * Drains the grade outbox: each round claims the head of every due queue, delivers the heads
 * side by side (queues are independent), and goes on until nothing is due; a failure puts the
 * entry back with a doubling delay, so a queue waits for its head and order is kept. Learners
 * never wait for this: their write only enqueues.
 */
export class OutboxDeliverer extends EventEmitter<OutboxDelivererEvents> {
  readonly #o: Required<Omit<OutboxDelivererOptions, 'now'>> & { now: () => Date };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(options: OutboxDelivererOptions) {
    super();
    this.#o = { retryBaseMs: 1000, retryMaxMs: 600_000, leaseMs: 60_000, batchSize: 20, pollMs: 5000, now: () => new Date(), ...options };
  }

  /** Runs rounds until nothing is due; resolves with the number of entries delivered. */
  async runOnce(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const now = this.#o.now();
      const claimed = await this.#o.outbox.claimDue(now, new Date(now.getTime() + this.#o.leaseMs), this.#o.batchSize);
      if (claimed.length === 0) return delivered;
      const results = await Promise.all(claimed.map((entry) => this.#deliver(entry)));
      delivered += results.filter(Boolean).length;
    }
  }

  async #deliver(entry: OutboxEntry): Promise<boolean> {
    try {
      await this.#o.send(entry);
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      if (error instanceof AgsDeliveryError && !error.retryable) {
        await this.#o.outbox.markAbandoned(entry.id, error.message);
        this.emit('abandoned', entry, error);
        return false;
      }
      const next = new Date(this.#o.now().getTime() + retryDelay(entry.attempts + 1, this.#o.retryBaseMs, this.#o.retryMaxMs));
      await this.#o.outbox.markFailed(entry.id, next, error.message);
      this.emit('failed', { ...entry, attempts: entry.attempts + 1 }, error, next);
      return false;
    }
    await this.#o.outbox.markDelivered(entry.id);
    this.emit('delivered', entry);
    return true;
  }

  /** Delivers in the background until `stop`: on `wake`, when a retry is due, and every `pollMs`. */
  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Asks for a round soon (after an enqueue). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#round().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async #round(): Promise<void> {
    try {
      await this.runOnce();
    } catch (error) {
      // The outbox itself failed (database away): the entries stay, the next round retries.
      this.emit('problem', error instanceof Error ? error : new Error(String(error)));
    }
    if (this.#stopped) return;
    const due = await this.#o.outbox.nextDueAt().catch(() => null);
    const wait = due === null ? this.#o.pollMs : Math.max(0, Math.min(this.#o.pollMs, due.getTime() - this.#o.now().getTime()));
    this.#timer = setTimeout(() => this.wake(), wait);
    this.#timer.unref();
  }

  /** Stops background delivery and waits for the running round. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}

/** Sends outbox entries with AGS: the platform looked up by issuer and client id, the token cached. */
export function createScoreSender(registry: LtiPlatformRegistry, client: AgsTokenClient): SendScore {
  return async (entry) => {
    const platform = await resolvePlatform(registry, entry.issuer, entry.clientId);
    if (typeof platform === 'string') throw new AgsDeliveryError('the platform is no longer registered', false);
    await client.postScore(platform, entry.lineItem, entry.score);
  };
}
