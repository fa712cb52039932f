import type { LearningPath, Phase } from '@learnpath/schema';

/** Where an object of the catalog lives: resolved fields (`target`, `phase`, `learningPath`) need it. */
export interface Owner {
  path: LearningPath;
  phase?: Phase;
}

const owners = new WeakMap<object, Owner>();
const adopted = new WeakSet<LearningPath>();

/** Records `owner` for every object under `value` that has none yet (catalog objects are frozen, so they cannot carry it). */
export function adopt(value: unknown, owner: Owner): void {
  if (value === null || typeof value !== 'object' || owners.has(value)) return;
  owners.set(value, owner);
  for (const child of Array.isArray(value) ? value : Object.values(value)) adopt(child, owner);
}

/** Records the owner of every object of a path, once per path object; returns the path. */
export function adoptPath(path: LearningPath): LearningPath {
  if (adopted.has(path)) return path;
  for (const phase of path.phases) {
    for (const resource of phase.resources) adopt(resource, { path, phase });
    adopt(phase, { path, phase });
  }
  adopt(path, { path });
  adopted.add(path);
  return path;
}

/** The path (and phase) an object of the catalog belongs to. */
export function ownerOf(value: object): Owner | undefined {
  return owners.get(value);
}
