import { evaluateProgress, type LearningPath, type ProgressReport } from '@learnpath/schema';
import type { Completion } from './model.js';

/** The paths of the current content: every path, or a lookup by slug (a `Map` is both; the lookup is used then). */
export type CatalogPaths = Iterable<LearningPath> | { get(slug: string): LearningPath | undefined };

const isLookup = (paths: CatalogPaths): paths is { get(slug: string): LearningPath | undefined } => typeof (paths as { get?: unknown }).get === 'function';

/**
 * Slugs of the paths whose every resource the learner has completed, judged against the
 * current content (completions of resources the content no longer has do not count).
 * With a lookup, only the paths the learner has completions on are looked at.
 */
export function completedPathSlugs(paths: CatalogPaths, completions: readonly Completion[]): string[] {
  const done = new Map<string, Set<string>>();
  for (const c of completions) {
    let ids = done.get(c.slug);
    if (!ids) done.set(c.slug, (ids = new Set()));
    ids.add(c.resourceId);
  }
  const slugs: string[] = [];
  const isDone = (path: LearningPath, ids: Set<string>): boolean => path.phases.every((phase) => phase.resources.every((r) => ids.has(r.id)));
  if (isLookup(paths)) {
    for (const [slug, ids] of done) {
      const path = paths.get(slug);
      if (path && isDone(path, ids)) slugs.push(slug);
    }
    return slugs.sort();
  }
  for (const path of paths) {
    const ids = done.get(path.slug);
    if (ids && isDone(path, ids)) slugs.push(path.slug);
  }
  return slugs;
}

/**
 * A stored learner's progress on `path`: `evaluateProgress` over their completions on it, with
 * `{ path }` dependencies judged from their completions on the other paths of `catalogPaths`.
 */
export function evaluateStoredProgress(path: LearningPath, catalogPaths: CatalogPaths, completions: readonly Completion[]): ProgressReport {
  const ids = completions.filter((c) => c.slug === path.slug).map((c) => c.resourceId);
  // The other paths only matter to a path that depends on one.
  if (!dependsOnOtherPaths(path)) return evaluateProgress(path, ids);
  return evaluateProgress(path, ids, { completedPaths: completedPathSlugs(catalogPaths, completions) });
}

const pathDependencies = new WeakMap<LearningPath, boolean>();

/** Whether any phase or resource of `path` depends on another path. */
export function dependsOnOtherPaths(path: LearningPath): boolean {
  let known = pathDependencies.get(path);
  if (known === undefined) {
    known = path.phases.some((phase) => phase.dependsOn.some((d) => 'path' in d) || phase.resources.some((r) => r.dependsOn.some((d) => 'path' in d)));
    pathDependencies.set(path, known);
  }
  return known;
}
