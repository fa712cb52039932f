import type { LearningPath } from '@learnpath/schema';
import { evaluateStoredProgress, type Store } from '@learnpath/store';

/** A course's progress on one path, as an instructor sees it. */
export interface CourseSummary {
  /** Learners who opened the path from the course. */
  learners: number;
  /** Of them, those who completed every resource. */
  completed: number;
  /** Those who completed some but not all. */
  inProgress: number;
  /** Average percent over the learners (0 when there are none). */
  averagePercent: number;
  /** Each learner's percent, highest first (learners are not named: the tool keeps no names). */
  percents: number[];
}

/** The progress of the learners who launched `path` from one course of a platform. */
export async function summariseCourse(store: Store, course: { issuer: string; clientId: string; contextId: string }, path: LearningPath, catalogPaths: readonly LearningPath[]): Promise<CourseSummary> {
  const learnerIds = await store.lti.listCourseLearners({ ...course, slug: path.slug });
  const percents: number[] = [];
  for (const id of learnerIds) percents.push(evaluateStoredProgress(path, catalogPaths, await store.listCompletions(id)).percent);
  percents.sort((a, b) => b - a);
  return {
    learners: percents.length,
    completed: percents.filter((p) => p === 100).length,
    inProgress: percents.filter((p) => p > 0 && p < 100).length,
    averagePercent: percents.length === 0 ? 0 : Math.round(percents.reduce((a, b) => a + b, 0) / percents.length),
    percents,
  };
}
