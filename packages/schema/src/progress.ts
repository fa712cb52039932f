import { z } from 'zod';
import { SlugSchema } from './slug.js';
import { ChecklistItemSchema, type Dependency, type LearningPath } from './model.js';
import { topologicalOrder } from './graph.js';

/** The state of a resource for a learner. */
export const ResourceStateSchema = z
  .enum(['completed', 'available', 'locked'])
  .describe('completed: done; available: every dependency is done; locked: something it depends on is not done.');
export type ResourceState = z.output<typeof ResourceStateSchema>;

/** The state of a phase for a learner. */
export const PhaseStateSchema = z
  .enum(['completed', 'in-progress', 'available', 'locked'])
  .describe('completed: every resource done; in-progress: some done; available: can start; locked: waits on a dependency.');
export type PhaseState = z.output<typeof PhaseStateSchema>;

// Bounds from the limits of the model (model.ts): at most 200 phases of 1000 resources, 500 checklist items.
const MAX_PHASES = 200;
const MAX_RESOURCES = MAX_PHASES * 1000;

/** What `evaluateProgress` reports for a learner. */
export const ProgressReportSchema = z
  .object({
    slug: SlugSchema.describe('Slug of the path.'),
    percent: z.number().int().min(0).max(100).describe('Share of resources completed, 0–100.'),
    completedCount: z.number().int().nonnegative().describe('Resources completed.'),
    totalCount: z.number().int().nonnegative().describe('Resources in the path.'),
    completedMinutes: z.number().nonnegative().describe('Minutes of the completed resources.'),
    remainingMinutes: z.number().nonnegative().describe('Minutes of the resources not completed yet.'),
    next: z
      .object({
        id: SlugSchema.describe('Id of the resource.'),
        title: z.string().max(500).describe('Title of the resource.'),
        phaseId: SlugSchema.describe('Id of its phase.'),
      })
      .nullable()
      .describe('The resource to study next: the first available one in dependency order, or null when none is.'),
    resources: z
      .array(
        z.object({
          id: SlugSchema.describe('Id of the resource.'),
          phaseId: SlugSchema.describe('Id of its phase.'),
          state: ResourceStateSchema,
        }),
      )
      .max(MAX_RESOURCES)
      .describe('Every resource with its state, in document order.'),
    phases: z
      .array(
        z.object({
          id: SlugSchema.describe('Id of the phase.'),
          percent: z.number().int().min(0).max(100).describe('Share of its resources completed, 0–100.'),
          state: PhaseStateSchema,
          remainingMinutes: z.number().nonnegative().describe('Minutes of its resources not completed yet.'),
        }),
      )
      .max(MAX_PHASES)
      .describe('Every phase with its state, in order.'),
    checklist: z.array(ChecklistItemSchema).max(500).describe('The completion checklist; a phase item is checked once the phase is completed.'),
  })
  .describe('A learner\'s progress through a path.');
export type ProgressReport = z.output<typeof ProgressReportSchema>;

/** Options of `evaluateProgress`. */
export interface ProgressOptions {
  /**
   * Slugs of other paths the learner has completed. When given, a `{ path }` dependency holds
   * only if its slug is listed; when omitted, dependencies on other paths are not enforced.
   */
  completedPaths?: readonly string[];
}

/** Ids in `ids` that name no resource of the path. */
export function unknownResourceIds(path: LearningPath, ids: readonly string[]): string[] {
  const known = new Set(path.phases.flatMap((p) => p.resources.map((r) => r.id)));
  return [...new Set(ids.filter((id) => !known.has(id)))];
}

const percentOf = (done: number, total: number): number => (total === 0 ? 0 : Math.floor((done * 100) / total));
const roundMinutes = (m: number): number => Math.round(m * 1000) / 1000;

// The order in which a path's resources come due depends on the path alone; catalog paths are
// evaluated again and again, so it is worked out once per path object.
const resourceOrders = new WeakMap<LearningPath, readonly string[]>();

function resourceOrder(path: LearningPath): readonly string[] {
  let order = resourceOrders.get(path);
  if (order === undefined) {
    try {
      order = topologicalOrder(path);
    } catch {
      order = path.phases.flatMap((phase) => phase.resources.map((r) => r.id));
    }
    resourceOrders.set(path, order);
  }
  return order;
}

/**
 * Evaluates a learner's progress: which resources are completed, available or locked, the
 * percent per phase and overall, the minutes left, the next resource and the checklist.
 * A resource is available when its own and its phase's dependencies are complete and, in a
 * sequential phase, the resource before it is. Ids that name no resource are ignored
 * (see `unknownResourceIds`).
 */
export function evaluateProgress(path: LearningPath, completedIds: readonly string[], options: ProgressOptions = {}): ProgressReport {
  const completed = new Set(completedIds);
  const completedPaths = options.completedPaths ? new Set(options.completedPaths) : null;
  const phaseDone = new Map(path.phases.map((p) => [p.id, p.resources.every((r) => completed.has(r.id))]));
  const holds = (dep: Dependency): boolean => {
    if ('resource' in dep) return completed.has(dep.resource);
    if ('phase' in dep) return phaseDone.get(dep.phase) ?? true;
    return completedPaths === null || completedPaths.has(dep.path);
  };

  const resources: ProgressReport['resources'] = [];
  const phases: ProgressReport['phases'] = [];
  const state = new Map<string, { state: ResourceState; title: string; phaseId: string }>();
  let completedMinutes = 0;
  let remainingMinutes = 0;
  let completedCount = 0;
  for (const phase of path.phases) {
    const phaseOpen = phase.dependsOn.every(holds);
    let done = 0;
    let phaseRemaining = 0;
    phase.resources.forEach((r, i) => {
      const previous = i > 0 ? phase.resources[i - 1] : undefined;
      let s: ResourceState;
      if (completed.has(r.id)) s = 'completed';
      else if (phaseOpen && r.dependsOn.every(holds) && !(phase.sequential && previous && !completed.has(previous.id))) s = 'available';
      else s = 'locked';
      if (s === 'completed') {
        done++;
        completedMinutes += r.durationMinutes ?? 0;
      } else {
        phaseRemaining += r.durationMinutes ?? 0;
      }
      if (!state.has(r.id)) state.set(r.id, { state: s, title: r.title, phaseId: phase.id });
      resources.push({ id: r.id, phaseId: phase.id, state: s });
    });
    completedCount += done;
    remainingMinutes += phaseRemaining;
    const total = phase.resources.length;
    const anyAvailable = resources.slice(resources.length - total).some((r) => r.state === 'available');
    const phaseState: PhaseState =
      total === 0 ? (phaseOpen ? 'completed' : 'locked') : done === total ? 'completed' : done > 0 ? 'in-progress' : anyAvailable ? 'available' : 'locked';
    phases.push({ id: phase.id, percent: percentOf(done, total), state: phaseState, remainingMinutes: roundMinutes(phaseRemaining) });
  }

  const order = resourceOrder(path);
  const nextId = order.find((id) => state.get(id)?.state === 'available');
  const nextInfo = nextId === undefined ? undefined : state.get(nextId);
  const phaseStates = new Map(phases.map((p) => [p.id, p.state]));

  return {
    slug: path.slug,
    percent: percentOf(completedCount, resources.length),
    completedCount,
    totalCount: resources.length,
    completedMinutes: roundMinutes(completedMinutes),
    remainingMinutes: roundMinutes(remainingMinutes),
    next: nextId !== undefined && nextInfo ? { id: nextId, title: nextInfo.title, phaseId: nextInfo.phaseId } : null,
    resources,
    phases,
    checklist: path.checklist.map((item) => ({
      ...item,
      checked:
        item.checked ||
        (item.target !== null && typeof item.target === 'object' && phaseStates.get(item.target.phase) === 'completed'),
    })),
  };
}
