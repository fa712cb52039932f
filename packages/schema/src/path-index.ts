import type { LearningPath, Phase, Resource } from './model.js';

/** A resource with the path and phase it sits in. */
export interface PlacedResource {
  path: LearningPath;
  phase: Phase;
  resource: Resource;
}

/** Lookups of one path by id. */
export interface PathIndex {
  phases: ReadonlyMap<string, Phase>;
  resources: ReadonlyMap<string, PlacedResource>;
}

// Paths are immutable once compiled, so an index is built once per path object.
const indexes = new WeakMap<LearningPath, PathIndex>();

/** The phases and resources of a path by id (first wins, as `validatePath` reports duplicates). */
export function indexPath(path: LearningPath): PathIndex {
  let index = indexes.get(path);
  if (index === undefined) {
    const phases = new Map<string, Phase>();
    const resources = new Map<string, PlacedResource>();
    for (const phase of path.phases) {
      if (!phases.has(phase.id)) phases.set(phase.id, phase);
      for (const resource of phase.resources) if (!resources.has(resource.id)) resources.set(resource.id, { path, phase, resource });
    }
    index = { phases, resources };
    indexes.set(path, index);
  }
  return index;
}
