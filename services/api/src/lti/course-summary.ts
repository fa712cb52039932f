import type { LearningPath } from '@learnpath/schema';
import { evaluateStoredProgress, type Store } from '@learnpath/store';
import type { ClassProgressRow, ClassProgressView } from '../learn/pages/class-progress.js';

/** A course's progress on one path, as an instructor sees it. */
export type CourseSummary = ClassProgressView;

/** One course of one platform. */
export interface Course {
  issuer: string;
  clientId: string;
  contextId: string;
}

// The learner id is a hash already (ltiLearnerId); a few of its characters tell learners apart without naming them.
const anonymisedLabel = (learnerId: string): string => `Learner ${learnerId.replace(/^lti-/, '').slice(0, 6)}`;

/** The progress of the learners who launched `path` from one course of a platform, named only where names were kept. */
export async function summariseCourse(store: Store, course: Course, path: LearningPath, catalogPaths: readonly LearningPath[], title: string | null = null): Promise<CourseSummary> {
  const learnerIds = await store.lti.listCourseLearners({ ...course, slug: path.slug });
  const people = new Map((await store.lti.listPeople(learnerIds)).map((p) => [p.learnerId, p] as const));
  const rows: ClassProgressRow[] = [];
  for (const id of learnerIds) {
    const report = evaluateStoredProgress(path, catalogPaths, await store.listCompletions(id));
    const state = await store.getPathState(id, path.slug);
    const person = people.get(id);
    const name = person?.name ?? person?.email ?? null;
    rows.push({ label: name ?? anonymisedLabel(id), named: name !== null, percent: report.percent, completed: report.completedCount, total: report.totalCount, updatedAt: state.updatedAt });
  }
  rows.sort((a, b) => b.percent - a.percent || a.label.localeCompare(b.label, 'en'));
  return {
    course: title,
    learners: rows.length,
    completed: rows.filter((r) => r.percent === 100).length,
    inProgress: rows.filter((r) => r.percent > 0 && r.percent < 100).length,
    averagePercent: rows.length === 0 ? 0 : Math.round(rows.reduce((sum, r) => sum + r.percent, 0) / rows.length),
    rows,
  };
}

/**
 * The class progress a session may see on a path: the course of the instructor launch that
 * opened the session, or null for any other session (a learner's never sees it).
 */
export function createClassProgress(store: Store, catalogPaths: () => Iterable<LearningPath>): (sessionId: string, path: LearningPath) => Promise<CourseSummary | null> {
  return async (sessionId, path) => {
    const view = await store.lti.findCourseView(sessionId);
    if (view === null) return null;
    return summariseCourse(store, view, path, [...catalogPaths()], view.title);
  };
}
