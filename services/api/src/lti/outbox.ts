import type { Score } from './ags.js';

/** A score waiting to reach a platform's line item. */
export interface OutboxScore {
  issuer: string;
  clientId: string;
  lineItem: string;
  /** The learner on the platform (`sub`); with the line item it names the queue the score waits in. */
  userId: string;
  score: Score;
}

/** An outbox entry. */
export interface OutboxEntry extends OutboxScore {
  id: string;
  /** Failed attempts so far. */
  attempts: number;
  enqueuedAt: Date;
}

/**
 * The durable grade outbox. Scores wait in one queue per learner and line item and are
 * delivered in the order they were enqueued; the database implements it so that a score
 * survives restarts and any replica may deliver it (`claimDue` with a lease, e.g.
 * `SELECT DISTINCT ON (line_item, user_id) … ORDER BY seq FOR UPDATE SKIP LOCKED`).
 */
export interface LtiOutbox {
  /** Adds a score at the end of its queue. */
  enqueue(score: OutboxScore, now: Date): Promise<OutboxEntry>;
  /**
   * Claims the oldest undelivered entry of each queue whose next attempt is due and that no one
   * else holds, until `leaseUntil` (a deliverer that dies lets it go then). Never two of one queue.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<OutboxEntry[]>;
  /** Removes a delivered entry; the next of its queue becomes the head. */
  markDelivered(id: string): Promise<void>;
  /** Releases a failed entry, counting the attempt, to be tried again at `nextAttemptAt`. */
  markFailed(id: string, nextAttemptAt: Date, error: string): Promise<void>;
  /** Sets aside an entry the platform refuses for good (e.g. the line item is gone), so its queue moves on. */
  markAbandoned(id: string, error: string): Promise<void>;
  /** When the earliest waiting entry is due, or null when nothing waits. */
  nextDueAt(): Promise<Date | null>;
}

interface OutboxRow {
  entry: OutboxEntry;
  seq: number;
  dueAt: number;
  leaseUntil: number;
  state: 'waiting' | 'delivered' | 'abandoned';
  error?: string;
}

/** Scores kept in this process only: a single instance without a database, and tests. */
export class MemoryOutbox implements LtiOutbox {
  readonly #entries: OutboxRow[] = [];
  #seq = 0;

  async enqueue(score: OutboxScore, now: Date): Promise<OutboxEntry> {
    const seq = ++this.#seq;
    const entry: OutboxEntry = { ...score, id: String(seq), attempts: 0, enqueuedAt: now };
    this.#entries.push({ entry, seq, dueAt: now.getTime(), leaseUntil: 0, state: 'waiting' });
    return { ...entry };
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<OutboxEntry[]> {
    const heads = new Map<string, OutboxRow>();
    for (const row of this.#entries) {
      if (row.state !== 'waiting') continue;
      const queue = `${row.entry.issuer}\u0000${row.entry.clientId}\u0000${row.entry.lineItem}\u0000${row.entry.userId}`;
      if (!heads.has(queue)) heads.set(queue, row);
    }
    const claimed: OutboxEntry[] = [];
    for (const row of heads.values()) {
      if (claimed.length >= limit) break;
      if (row.dueAt > now.getTime() || row.leaseUntil > now.getTime()) continue;
      row.leaseUntil = leaseUntil.getTime();
      claimed.push({ ...row.entry });
    }
    return claimed;
  }

  async markDelivered(id: string): Promise<void> {
    const row = this.#row(id);
    if (row) row.state = 'delivered';
  }

  async markFailed(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    const row = this.#row(id);
    if (!row) return;
    row.entry.attempts += 1;
    row.dueAt = nextAttemptAt.getTime();
    row.leaseUntil = 0;
    row.error = error;
  }

  async markAbandoned(id: string, error: string): Promise<void> {
    const row = this.#row(id);
    if (!row) return;
    row.state = 'abandoned';
    row.error = error;
  }

  async nextDueAt(): Promise<Date | null> {
    const waiting = this.#entries.filter((r) => r.state === 'waiting').map((r) => Math.max(r.dueAt, r.leaseUntil));
    return waiting.length === 0 ? null : new Date(Math.min(...waiting));
  }

  /** Entries not yet delivered (waiting), in order. */
  pending(): OutboxEntry[] {
    return this.#entries.filter((r) => r.state === 'waiting').map((r) => ({ ...r.entry }));
  }

  #row(id: string): OutboxRow | undefined {
    return this.#entries.find((r) => r.entry.id === id);
  }
}
