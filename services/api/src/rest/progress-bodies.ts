import type { LearningPath } from '@learnpath/schema';
import { BoundedCache } from '../http/bounded-cache.js';

// A learner's progress on a path that depends on no other path follows from two things: the
// path (a new object with every content version) and the learner's revision on it, the id of
// their last change there. Event ids are unique in a store, so within one store a revision names
// one learner, one path and one state (each store has its own bodies). The JSON written for a revision is kept and sent again while the
// content stays the same, so a learner polling their progress costs one lookup instead of an
// evaluation and a serialization. A learner with no data on the path (no revision) gets the
// empty report, the same for everyone.

// About 32 MiB of bodies per store (a seed-sized report is 3 KB).
const BUDGET = 32 * 2 ** 20;
const byStore = new WeakMap<object, BoundedCache<{ path: LearningPath; body: string }>>();

/** The JSON body of the progress report for `revision` on `path` in `store`: kept, or made by `make` and kept. */
export async function progressBody(store: object, path: LearningPath, revision: string | null, make: () => Promise<unknown>): Promise<string> {
  let bodies = byStore.get(store);
  if (bodies === undefined) byStore.set(store, (bodies = new BoundedCache(BUDGET, (kept) => kept.body.length)));
  const key = revision ?? `none:${path.slug}`;
  const kept = bodies.get(key);
  if (kept !== undefined && kept.path === path) return kept.body;
  const body = JSON.stringify(await make());
  bodies.set(key, { path, body });
  return body;
}
