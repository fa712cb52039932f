import type { Catalog } from '@learnpath/content';
import type { LearningPath } from '@learnpath/schema';

// The one path index lives with the model, where the exports use it too.
export { indexPath, type PathIndex, type PlacedResource } from '@learnpath/schema';

/** The path with `slug`, or undefined when the catalog has none. */
export function findPath(catalog: Catalog, slug: string): LearningPath | undefined {
  return catalog.paths.get(slug);
}
