import type { PathState, WriteResult } from './model.js';
import { RecentMap } from './recent-map.js';

// PGlite's data folder belongs to one process (see data-dir-lock.ts), and every change to a
// learner's completions goes through that process's store: it knows each (learner, path) state
// as well as the database does. The states last read or written are kept here, so that reading
// progress costs no statement. A read fills the cache only if no write or erasure of that learner
// began while it ran; a write replaces the entry with the state it committed once it is the last
// write of that pair in flight; a failed write drops the entry.

/** Reads and writes of (learner, path) states through a bounded cache, for a database only this process writes. */
export interface PathStateCache {
  /** The state of `key`: from the cache, or read (and kept). */
  read(key: string, learnerId: string, load: () => Promise<PathState>): Promise<PathState>;
  /** Runs a write of `key` and keeps the state it committed. */
  write(key: string, learnerId: string, apply: () => Promise<WriteResult>): Promise<WriteResult>;
  /** Runs an erasure of the learner: their entries are dropped before and after it. */
  erase<T>(learnerId: string, apply: () => Promise<T>): Promise<T>;
}

/** A cache of at most `limit` states, the least recently used dropped first. */
export function createPathStateCache(limit: number): PathStateCache {
  const entries = new RecentMap<{ learnerId: string; state: PathState }>(limit);
  // The writes of each key that are running and the last one begun, and when each learner's last
  // change (a write or an erasure) began, in a sequence a read compares with its own start. The
  // second map is emptied when it grows large; `epoch` then tells the reads running at that
  // moment not to keep theirs.
  const writing = new Map<string, { running: number; last: number }>();
  const lastChange = new Map<string, number>();
  let sequence = 0;
  let epoch = 0;

  const keep = (key: string, learnerId: string, state: PathState): void => entries.set(key, { learnerId, state: freeze(state) });
  const begin = (learnerId: string): number => {
    lastChange.set(learnerId, ++sequence);
    if (lastChange.size > 10_000) {
      lastChange.clear();
      epoch++;
    }
    return sequence;
  };
  const forget = (learnerId: string): void => entries.deleteWhere((entry) => entry.learnerId === learnerId);

  return {
    async read(key, learnerId, load) {
      const hit = entries.get(key);
      if (hit !== undefined) return hit.state;
      const started = sequence;
      const startedEpoch = epoch;
      const state = await load();
      if (epoch === startedEpoch && (lastChange.get(learnerId) ?? 0) <= started && !writing.has(key)) keep(key, learnerId, state);
      return state;
    },

    async write(key, learnerId, apply) {
      const mine = begin(learnerId);
      entries.delete(key);
      const running = writing.get(key) ?? { running: 0, last: 0 };
      running.running++;
      running.last = mine;
      writing.set(key, running);
      let result: WriteResult | null = null;
      try {
        result = await apply();
        return result;
      } finally {
        running.running--;
        if (running.running === 0) writing.delete(key);
        // The state is kept when this write was the last one begun and none other still runs.
        if (result !== null && running.running === 0 && running.last === mine) keep(key, learnerId, result.state);
        else entries.delete(key);
      }
    },

    async erase(learnerId, apply) {
      begin(learnerId);
      forget(learnerId);
      try {
        return await apply();
      } finally {
        begin(learnerId);
        forget(learnerId);
      }
    },
  };
}

// Several callers get the same object: frozen, so that none can change what the others see.
function freeze(state: PathState): PathState {
  for (const completion of state.completions) Object.freeze(completion);
  Object.freeze(state.completions);
  return Object.freeze(state);
}
