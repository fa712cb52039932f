import type { LearningPath, Phase, Reference, Resource } from '@learnpath/schema';

/** How a phase is named in exports: `Phase 2: Core Concepts`. */
export function phaseLabel(phase: Pick<Phase, 'number' | 'title'>): string {
  return `Phase ${phase.number}: ${phase.title}`;
}

/** How a resource kind reads: `article` → `Article`. */
export function kindLabel(kind: Resource['kind']): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** Lookups by id over one path. */
export interface PathIndex {
  phases: Map<string, Phase>;
  resources: Map<string, { resource: Resource; phase: Phase; index: number }>;
}

/** Indexes the phases and resources of a path by id (first wins, as `validatePath` reports duplicates). */
export function indexPath(path: LearningPath): PathIndex {
  const phases = new Map<string, Phase>();
  const resources = new Map<string, { resource: Resource; phase: Phase; index: number }>();
  for (const phase of path.phases) {
    if (!phases.has(phase.id)) phases.set(phase.id, phase);
    phase.resources.forEach((resource, index) => {
      if (!resources.has(resource.id)) resources.set(resource.id, { resource, phase, index });
    });
  }
  return { phases, resources };
}

/** A dependency as a reader sees it: `Phase 1: Foundations`, a resource title, or another path. */
export function describeReference(index: PathIndex, ref: Reference): string {
  if ('phase' in ref) {
    const phase = index.phases.get(ref.phase);
    return phase ? phaseLabel(phase) : `phase "${ref.phase}"`;
  }
  if ('resource' in ref) return index.resources.get(ref.resource)?.resource.title ?? `resource "${ref.resource}"`;
  return `the learning path "${ref.path}"`;
}

/**
 * The earlier phases each phase depends on, for LMS module prerequisites. A phase depends on
 * phase Q when the phase itself, or any of its resources, names `{ phase: Q }` — in the seed
 * the first resource of Phase 2 depends on Phase 1, so Phase 2 requires Phase 1. A
 * dependency on a single resource of another phase is not widened to the whole phase (that
 * would demand more than the author asked); it stays in the resource's page text. Canvas
 * only lets a module require modules placed before it, so references to the same or a later
 * phase are left out. Result: phase id → prerequisite phase ids in path order.
 */
export function phasePrerequisites(path: LearningPath): Map<string, string[]> {
  const position = new Map(path.phases.map((p, i) => [p.id, i] as const));
  const result = new Map<string, string[]>();
  path.phases.forEach((phase, i) => {
    const wanted = new Set<string>();
    const refs = [...phase.dependsOn, ...phase.resources.flatMap((r) => r.dependsOn)];
    for (const ref of refs) {
      if (!('phase' in ref)) continue;
      const at = position.get(ref.phase);
      if (at !== undefined && at < i) wanted.add(ref.phase);
    }
    result.set(
      phase.id,
      [...wanted].sort((a, b) => position.get(a)! - position.get(b)!),
    );
  });
  return result;
}

/** The service's URL for a path, phase or resource (no trailing slash in `baseUrl`). */
export function serviceUrl(baseUrl: string, slug: string, part?: { phase: string } | { resource: string }): string {
  const root = `${baseUrl}/v1/paths/${encodeURIComponent(slug)}`;
  if (!part) return root;
  if ('phase' in part) return `${root}/phases/${encodeURIComponent(part.phase)}`;
  return `${root}/resources/${encodeURIComponent(part.resource)}`;
}

/** The learner page of a path or resource (`/learn/{slug}[/{resourceId}]`): where exports send people. */
export function learnerUrl(baseUrl: string, slug: string, resourceId?: string): string {
  const root = `${baseUrl}/learn/${encodeURIComponent(slug)}`;
  return resourceId === undefined ? root : `${root}/${encodeURIComponent(resourceId)}`;
}
