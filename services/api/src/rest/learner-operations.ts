import type { LearnerPath, LearnerProgress, LearningPath } from '@learnpath/schema';
import type { Store } from '@learnpath/store';
import type { CatalogView } from '../catalog/view.js';
import { ProblemError } from '../http/problem.js';
import { learnerPathOf, learnerProgressOf } from './learner-progress.js';
import { requirePath } from './paths.js';

// What the learner API does, once for REST and GraphQL: both answer with these results and
// turn the `ProblemError`s (404 unknown path or resource, 400 bad cursor) into their own errors.
// The store is asked for only once the request is known to be good, so that an unknown path is
// a 404 even while the database is away (then `learners()` throws `StoreUnavailableError`).

/** The learner store, or a `StoreUnavailableError` while there is none. */
export type LearnerStoreAccess = () => Store;

/** A resource of a learner's path: who, which path, which resource. */
export interface LearnerResourceInput {
  learnerId: string;
  slug: string;
  resourceId: string;
}

/** The resource `resourceId` of `path`; a 404 problem when the path has none. */
export function requireResource(path: LearningPath, resourceId: string): void {
  if (!path.phases.some((phase) => phase.resources.some((r) => r.id === resourceId))) {
    throw new ProblemError(404, `There is no resource "${resourceId}" in the learning path "${path.slug}".`);
  }
}

/** Marks a resource done through the API (`source: api`) once committed; the learner's progress after it. */
export async function completeLearnerResource(learners: LearnerStoreAccess, view: CatalogView, input: LearnerResourceInput & { completedAt?: string | undefined }): Promise<LearnerProgress> {
  const { learnerId, slug, resourceId, completedAt } = input;
  const path = requirePath(view, slug);
  requireResource(path, resourceId);
  const store = learners();
  const result = await store.completeResource({ learnerId, slug, resourceId, ...(completedAt === undefined ? {} : { completedAt }), source: 'api' });
  return learnerProgressOf(store, view, path, learnerId, result.state);
}

/** Marks a resource not done through the API once committed; the learner's progress after it. */
export async function uncompleteLearnerResource(learners: LearnerStoreAccess, view: CatalogView, input: LearnerResourceInput): Promise<LearnerProgress> {
  const { learnerId, slug, resourceId } = input;
  const path = requirePath(view, slug);
  requireResource(path, resourceId);
  const store = learners();
  const result = await store.uncompleteResource({ learnerId, slug, resourceId, source: 'api' });
  return learnerProgressOf(store, view, path, learnerId, result.state);
}

/** The learner's stored progress on a path of the current content (404 for an unknown path). */
export async function readLearnerProgress(learners: LearnerStoreAccess, view: CatalogView, learnerId: string, slug: string): Promise<LearnerProgress> {
  const path = requirePath(view, slug);
  const store = learners();
  return learnerProgressOf(store, view, path, learnerId, await store.getPathState(learnerId, slug));
}

/** A page of the paths a learner has started. */
export interface LearnerPathPage {
  /** The paths of the page, most recently changed first. */
  items: LearnerPath[];
  /** How many paths of the current content the learner has started. */
  total: number;
  /** Where the page starts in the whole list (0 for the first page). */
  offset: number;
  /** The cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

/** The cursor that continues a started-path listing after `item`: its position (updatedAt, slug). */
export function encodeLearnerPathCursor(item: LearnerPath): string {
  return Buffer.from(JSON.stringify([item.updatedAt, item.slug]), 'utf8').toString('base64url');
}

function decodeLearnerPathCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // answered below
  }
  throw new ProblemError(400, 'The cursor is not one this service returned.', { type: 'urn:learnpath:problem:invalid-request' });
}

/** The paths of the current content a learner has started, most recently changed first, `limit` after `cursor`. */
export async function listLearnerPaths(learners: LearnerStoreAccess, view: CatalogView, learnerId: string, page: { limit: number; cursor?: string | null | undefined }): Promise<LearnerPathPage> {
  const after = page.cursor == null ? null : decodeLearnerPathCursor(page.cursor);
  const store = learners();
  const [started, completions] = await Promise.all([store.listStartedPaths(learnerId), store.listCompletions(learnerId)]);
  // Paths the content no longer has are kept in the store (an author may restore them) but not listed.
  // In the cursor's order: newest change first at the millisecond the cursor carries, then by
  // slug. The database orders by its own microseconds, and two paths changed within one
  // millisecond could come in an order a cursor cannot resume, skipping one.
  const current = started.filter((p) => view.catalog.paths.has(p.slug)).sort((a, b) => (a.updatedAt === b.updatedAt ? (a.slug < b.slug ? -1 : 1) : a.updatedAt < b.updatedAt ? 1 : -1));
  let from = 0;
  if (after !== null) {
    const [updatedAt, slug] = after;
    from = current.findIndex((p) => p.updatedAt < updatedAt || (p.updatedAt === updatedAt && p.slug > slug));
    if (from < 0) from = current.length;
  }
  const items = current.slice(from, from + page.limit).map((p) => learnerPathOf(view, view.catalog.paths.get(p.slug)!, completions, p.updatedAt));
  const last = items[items.length - 1];
  const nextCursor = from + page.limit < current.length && last ? encodeLearnerPathCursor(last) : null;
  return { items, total: current.length, offset: from, nextCursor };
}
