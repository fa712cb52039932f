import { evaluateProgress, type Dependency, type LearningPath, type ProgressReport, type ResourceState } from '@learnpath/schema';

/** A resource as the learner sees it: its state and, when locked, why. */
export interface ResourceView {
  /** Id of the resource. */
  id: string;
  /** Id of its phase. */
  phaseId: string;
  /** completed, available or locked, as `evaluateProgress` says. */
  state: ResourceState;
  /** Why a locked resource is locked ("Complete Phase 1 first"), else null. */
  reason: string | null;
}

/** What the pages show of a learner's progress; computed the same way on the server and in the browser. */
export interface LearnerView {
  /** The report of `evaluateProgress`. */
  report: ProgressReport;
  /** Every resource by id. */
  resources: Map<string, ResourceView>;
}

/** Joins names as people write them: "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Evaluates progress and explains every lock, from the path and the ids of completed resources. */
export function describeLearnerView(path: LearningPath, completedIds: readonly string[]): LearnerView {
  const report = evaluateProgress(path, completedIds);
  const completed = new Set(completedIds);
  const titles = new Map<string, string>();
  for (const phase of path.phases) for (const r of phase.resources) if (!titles.has(r.id)) titles.set(r.id, r.title);
  const phases = new Map(path.phases.map((p) => [p.id, p] as const));
  // The same rules as evaluateProgress: a phase holds when all its resources are done; other paths are not enforced.
  const unmet = (dep: Dependency): string | null => {
    if ('resource' in dep) return completed.has(dep.resource) ? null : `“${titles.get(dep.resource) ?? dep.resource}”`;
    if ('phase' in dep) {
      const phase = phases.get(dep.phase);
      if (!phase || phase.resources.every((r) => completed.has(r.id))) return null;
      return `Phase ${phase.number}`;
    }
    return null;
  };
  const states = new Map(report.resources.map((r) => [r.id, r.state] as const));
  const resources = new Map<string, ResourceView>();
  for (const phase of path.phases) {
    phase.resources.forEach((resource, index) => {
      if (resources.has(resource.id)) return;
      const state = states.get(resource.id) ?? 'locked';
      let reason: string | null = null;
      if (state === 'locked') {
        const names: string[] = [];
        for (const dep of phase.dependsOn) {
          const name = unmet(dep);
          if (name !== null && !names.includes(name)) names.push(name);
        }
        for (const dep of resource.dependsOn) {
          const name = unmet(dep);
          if (name !== null && !names.includes(name)) names.push(name);
        }
        const previous = index > 0 ? phase.resources[index - 1] : undefined;
        if (phase.sequential && previous && !completed.has(previous.id)) {
          const name = `“${previous.title}”`;
          if (!names.includes(name)) names.push(name);
        }
        reason = names.length > 0 ? `Complete ${joinNames(names)} first` : 'Waits on another resource';
      }
      resources.set(resource.id, { id: resource.id, phaseId: phase.id, state, reason });
    });
  }
  return { report, resources };
}

/** Minutes as a short duration: 235 → "3 h 55 min", 40 → "40 min". */
export function formatMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** How a state reads on the page. */
export const STATE_LABELS: Readonly<Record<ResourceState, string>> = { completed: 'Completed', available: 'Available', locked: 'Locked' };
