import type { LearnerPath, LearnerProgress, LearningPath } from '@learnpath/schema';
import { dependsOnOtherPaths, evaluateStoredProgress, type Completion, type PathState, type Store } from '@learnpath/store';
import type { CatalogView } from '../catalog/view.js';

// Progress of stored learners: `evaluateProgress` over the current catalog and their completions,
// with `{ path }` dependencies judged from their completions on the other paths.

/**
 * The learner's progress on `path` from the state a write returned or a read found. Only a path
 * with `{ path }` dependencies costs a second query (the completions on every path).
 */
export async function learnerProgressOf(store: Store, view: CatalogView, path: LearningPath, learnerId: string, state: PathState): Promise<LearnerProgress> {
  const completions: readonly Completion[] = dependsOnOtherPaths(path)
    ? [...(await store.listCompletions(learnerId)).filter((c) => c.slug !== path.slug), ...state.completions]
    : state.completions;
  return { ...evaluateStoredProgress(path, view.catalog.paths, completions), updatedAt: state.updatedAt };
}

/** A started path as listed, from the learner's completions on every path. */
export function learnerPathOf(view: CatalogView, path: LearningPath, completions: readonly Completion[], updatedAt: string): LearnerPath {
  const report = evaluateStoredProgress(path, view.catalog.paths, completions);
  return {
    slug: path.slug,
    title: path.title,
    percent: report.percent,
    completedCount: report.completedCount,
    totalCount: report.totalCount,
    remainingMinutes: report.remainingMinutes,
    updatedAt,
  };
}
