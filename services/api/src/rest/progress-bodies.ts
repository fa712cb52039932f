import type { LearningPath } from '@learnpath/schema';

// A learner's progress on a path that depends on no other path follows from two things: the
// path (a new object with every content version) and the learner's revision on it, the id of
// their last change there. Event ids are unique in a store, so within one store a revision names
// one learner, one path and one state (each store has its own bodies). The JSON written for a revision is kept and sent again while the
// content stays the same, so a learner polling their progress costs one lookup instead of an
// evaluation and a serialization. A learner with no data on the path (no revision) gets the
// empty report, the same for everyone.

const LIMIT = 10_000;
const byStore = new WeakMap<object, Map<string, { path: LearningPath; body: string }>>();

/** The JSON body of the progress report for `revision` on `path` in `store`: kept, or made by `make` and kept. */
export async function progressBody(store: object, path: LearningPath, revision: string | null, make: () => Promise<unknown>): Promise<string> {
  let bodies = byStore.get(store);
  if (bodies === undefined) byStore.set(store, (bodies = new Map()));
  const key = revision ?? `none:${path.slug}`;
  const kept = bodies.get(key);
  if (kept !== undefined && kept.path === path) {
    bodies.delete(key);
    bodies.set(key, kept);
    return kept.body;
  }
  const body = JSON.stringify(await make());
  bodies.delete(key);
  bodies.set(key, { path, body });
  if (bodies.size > LIMIT) bodies.delete(bodies.keys().next().value!);
  return body;
}
