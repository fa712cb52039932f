import { evaluateProgress, type LearningPath, type ProgressReport } from '@learnpath/schema';
import type { Completion } from './model.js';

/**
 * Slugs of the paths whose every resource the learner has completed, judged against the
 * current content (completions of resources the content no longer has do not count).
 */
export function completedPathSlugs(paths: Iterable<LearningPath>, completions: readonly Completion[]): string[] {
  const done = new Map<string, Set<string>>();
  for (const c of completions) {
    let ids = done.get(c.slug);
    if (!ids) done.set(c.slug, (ids = new Set()));
    ids.add(c.resourceId);
  }
  const slugs: string[] = [];
  for (const path of paths) {
    const ids = done.get(path.slug);
    if (ids && path.phases.every((phase) => phase.resources.every((r) => ids.has(r.id)))) slugs.push(path.slug);
  }
  return slugs;
}

/**
 * A stored learner's progress on `path`: `evaluateProgress` over their completions on it, with
 * `{ path }` dependencies judged from their completions on the other paths of `catalogPaths`.
 */
export function evaluateStoredProgress(path: LearningPath, catalogPaths: Iterable<LearningPath>, completions: readonly Completion[]): ProgressReport {
  const ids = completions.filter((c) => c.slug === path.slug).map((c) => c.resourceId);
  return evaluateProgress(path, ids, { completedPaths: completedPathSlugs(catalogPaths, completions) });
}
