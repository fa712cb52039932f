import type { Catalog } from '@learnpath/content';
import type { LearningPath, Phase, Resource } from '@learnpath/schema';

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

const indexes = new WeakMap<LearningPath, PathIndex>();

/** The phases and resources of a path by id (first wins, as `validatePath` reports duplicates); built once per path object. */
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

/** The path with `slug`, or undefined when the catalog has none. */
export function findPath(catalog: Catalog, slug: string): LearningPath | undefined {
  return catalog.paths.get(slug);
}
