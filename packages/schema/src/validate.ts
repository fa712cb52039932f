import type { DiagnosticCode, Severity } from './diagnostics.js';
import { findCycles } from './graph.js';
import { MAX_MINUTES, type LearningPath, type Reference } from './model.js';

/** Where in a path an issue is: property names and array indexes from the root. */
export type PathPointer = (string | number)[];

/** A problem `validatePath` found, pointing into the path. */
export interface PathIssue {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  at: PathPointer;
  /** For a cycle: each of its edges, said in words, with where it was written. */
  edges?: { text: string; at: PathPointer }[];
  /** For an unknown reference: the known id closest to it, when it is a likely typo. */
  suggestion?: string;
}

function describeRef(ref: Reference): string {
  if ('phase' in ref) return `phase "${ref.phase}"`;
  if ('resource' in ref) return `resource "${ref.resource}"`;
  return `path "${ref.path}"`;
}

/**
 * Checks a compiled path: ids are unique, every dependency and next step names a phase or
 * resource that exists, checklist targets exist, there are no cycles (each named), and the
 * derived totals are within the schema's limit (each duration is, but their sum may not be).
 * References to other paths are checked by the catalog, which knows the other paths.
 */
export function validatePath(path: LearningPath): PathIssue[] {
  const issues: PathIssue[] = [];
  const phaseIds = new Set<string>();
  const resourceIds = new Set<string>();
  const duplicates = { phases: new Set<string>(), resources: new Set<string>() };
  path.phases.forEach((phase, p) => {
    if (phaseIds.has(phase.id)) {
      duplicates.phases.add(phase.id);
      issues.push({ code: 'LP103', severity: 'error', message: `duplicate phase id "${phase.id}": give one of the phases another title or an explicit id`, at: ['phases', p, 'id'] });
    }
    phaseIds.add(phase.id);
    phase.resources.forEach((r, i) => {
      if (resourceIds.has(r.id)) {
        duplicates.resources.add(r.id);
        issues.push({ code: 'LP103', severity: 'error', message: `duplicate resource id "${r.id}": resource ids must be unique within a path; give one of them another title or an explicit id`, at: ['phases', p, 'resources', i, 'id'] });
      }
      resourceIds.add(r.id);
    });
  });

  const checkRef = (ref: Reference, at: PathPointer, code: DiagnosticCode, what: string): void => {
    const known = 'phase' in ref ? phaseIds.has(ref.phase) : 'resource' in ref ? resourceIds.has(ref.resource) : true;
    if (!known) {
      const suggestion = closestId('phase' in ref ? ref.phase : 'resource' in ref ? ref.resource : '', 'phase' in ref ? phaseIds : resourceIds);
      const hint = suggestion === null ? '' : `; did you mean "${suggestion}"?`;
      issues.push({ code, severity: 'error', message: `${what} names unknown ${describeRef(ref)}${hint}`, at, ...(suggestion === null ? {} : { suggestion }) });
    }
    if ('path' in ref && ref.path === path.slug) {
      issues.push({ code: 'LP102', severity: 'error', message: `${what} names this path itself ("${path.slug}")`, at });
    }
  };
  path.phases.forEach((phase, p) => {
    phase.dependsOn.forEach((dep, d) => checkRef(dep, ['phases', p, 'dependsOn', d], 'LP101', `dependency of phase "${phase.id}"`));
    phase.resources.forEach((r, i) => {
      r.dependsOn.forEach((dep, d) => checkRef(dep, ['phases', p, 'resources', i, 'dependsOn', d], 'LP101', `dependency of "${r.id}"`));
      if (r.next) checkRef(r.next, ['phases', p, 'resources', i, 'next'], 'LP104', `next step of "${r.id}"`);
    });
  });
  const overLimit = (minutes: number, what: string): string =>
    `the durations of ${what} add up to ${minutes.toLocaleString('en-US')} minutes, more than the ${MAX_MINUTES.toLocaleString('en-US')} a phase or a path can total: check for a duration in the wrong unit`;
  let phaseOver = false;
  path.phases.forEach((phase, p) => {
    if (phase.totalMinutes <= MAX_MINUTES) return;
    phaseOver = true;
    issues.push({ code: 'LP004', severity: 'error', message: overLimit(phase.totalMinutes, `phase "${phase.id}"`), at: ['phases', p, 'totalMinutes'] });
  });
  if (!phaseOver && path.totalMinutes > MAX_MINUTES) {
    issues.push({ code: 'LP004', severity: 'error', message: overLimit(path.totalMinutes, 'the path'), at: ['totalMinutes'] });
  }
  path.checklist.forEach((item, c) => {
    if (item.target !== null && typeof item.target === 'object' && !phaseIds.has(item.target.phase)) {
      issues.push({ code: 'LP107', severity: 'error', message: `checklist item "${item.label}" names unknown phase "${item.target.phase}"`, at: ['checklist', c] });
    }
  });

  // Cycles are computed without the ambiguous nodes: a duplicate id is reported once, as such.
  for (const cycle of findCycles(withoutDuplicates(path, duplicates))) {
    const edges = cycle.slice(1).map((to, i) => explainEdge(path, cycle[i]!, to));
    issues.push({
      code: 'LP102',
      severity: 'error',
      message: `dependency cycle: ${cycle.join(' → ')}: ${edges.map((e) => e.text).join('; ')}; to break it, remove one of these dependencies`,
      at: pointerOf(path, cycle[0] ?? ''),
      edges,
    });
  }
  return issues;
}

/** A copy of the path in which duplicated ids are isolated: renamed, and references to them dropped. */
function withoutDuplicates(path: LearningPath, duplicates: { phases: Set<string>; resources: Set<string> }): LearningPath {
  if (duplicates.phases.size === 0 && duplicates.resources.size === 0) return path;
  const keep = (ref: Reference): boolean => !('phase' in ref && duplicates.phases.has(ref.phase)) && !('resource' in ref && duplicates.resources.has(ref.resource));
  return {
    ...path,
    phases: path.phases.map((phase, p) => ({
      ...phase,
      id: duplicates.phases.has(phase.id) ? `\u0000phase-${p}` : phase.id,
      dependsOn: phase.dependsOn.filter(keep),
      resources: phase.resources.map((r, i) => ({
        ...r,
        id: duplicates.resources.has(r.id) ? `\u0000resource-${p}-${i}` : r.id,
        dependsOn: r.dependsOn.filter(keep),
      })),
    })),
  };
}

/** Where a node named in a cycle ("id" or "phase id") sits. */
function findNode(path: LearningPath, name: string): { phase: number; resource: number | null } | null {
  const phaseName = name.startsWith('phase ') ? name.slice(6) : null;
  for (let p = 0; p < path.phases.length; p++) {
    const phase = path.phases[p]!;
    if (phaseName !== null) {
      if (phase.id === phaseName) return { phase: p, resource: null };
      continue;
    }
    const i = phase.resources.findIndex((r) => r.id === name);
    if (i >= 0) return { phase: p, resource: i };
  }
  return null;
}

const refersTo = (ref: Reference, name: string): boolean => (name.startsWith('phase ') ? 'phase' in ref && ref.phase === name.slice(6) : 'resource' in ref && ref.resource === name);

/** Why `to` waits for `from` in the dependency graph, and where that was written. */
function explainEdge(path: LearningPath, from: string, to: string): { text: string; at: PathPointer } {
  const node = findNode(path, to);
  const said = (name: string): string => (name.startsWith('phase ') ? name : `"${name}"`);
  if (node === null) return { text: `${said(to)} depends on ${said(from)}`, at: [] };
  const phase = path.phases[node.phase]!;
  if (node.resource === null) {
    const d = phase.dependsOn.findIndex((ref) => refersTo(ref, from));
    if (d >= 0) return { text: `phase "${phase.id}" depends on ${said(from)}`, at: ['phases', node.phase, 'dependsOn', d] };
    const i = phase.resources.findIndex((r) => r.id === from);
    return { text: `phase "${phase.id}" is complete only when its resource ${said(from)} is`, at: i >= 0 ? ['phases', node.phase, 'resources', i] : ['phases', node.phase] };
  }
  const resource = phase.resources[node.resource]!;
  const own = resource.dependsOn.findIndex((ref) => refersTo(ref, from));
  if (own >= 0) return { text: `"${resource.id}" depends on ${said(from)}`, at: ['phases', node.phase, 'resources', node.resource, 'dependsOn', own] };
  const ofPhase = phase.dependsOn.findIndex((ref) => refersTo(ref, from));
  if (ofPhase >= 0) return { text: `phase "${phase.id}" (with "${resource.id}") depends on ${said(from)}`, at: ['phases', node.phase, 'dependsOn', ofPhase] };
  if (phase.sequential && phase.resources[node.resource - 1]?.id === from) {
    return { text: `"${resource.id}" comes after ${said(from)} in phase "${phase.id}", whose resources are consumed in order`, at: ['phases', node.phase, 'sequential'] };
  }
  return { text: `"${resource.id}" depends on ${said(from)}`, at: ['phases', node.phase, 'resources', node.resource] };
}

/** The known id closest to an unknown one, when it is a likely typo (a small edit distance). */
function closestId(id: string, known: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(id, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const length = Math.max(id.length, best?.length ?? 0);
  return best !== null && bestDistance > 0 && bestDistance <= (length <= 3 ? 1 : Math.max(2, Math.floor(length / 3))) ? best : null;
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The pointer to a resource id or `phase <id>` named in a cycle. */
function pointerOf(path: LearningPath, name: string): PathPointer {
  const phaseName = name.startsWith('phase ') ? name.slice(6) : null;
  for (let p = 0; p < path.phases.length; p++) {
    const phase = path.phases[p]!;
    if (phaseName !== null && phase.id === phaseName) return ['phases', p, 'dependsOn'];
    const i = phase.resources.findIndex((r) => r.id === name);
    if (i >= 0) return ['phases', p, 'resources', i, 'dependsOn'];
  }
  return [];
}

/** Every `{ path }` reference of a path (prerequisites, dependencies, next steps), with where it is. */
export function pathReferences(path: LearningPath): { slug: string; at: PathPointer }[] {
  const refs: { slug: string; at: PathPointer }[] = [];
  path.prerequisites.forEach((p, i) => {
    if (p.path !== null) refs.push({ slug: p.path, at: ['prerequisites', i] });
  });
  path.phases.forEach((phase, p) => {
    phase.dependsOn.forEach((d, j) => {
      if ('path' in d) refs.push({ slug: d.path, at: ['phases', p, 'dependsOn', j] });
    });
    phase.resources.forEach((r, i) => {
      r.dependsOn.forEach((d, j) => {
        if ('path' in d) refs.push({ slug: d.path, at: ['phases', p, 'resources', i, 'dependsOn', j] });
      });
      if (r.next && 'path' in r.next) refs.push({ slug: r.next.path, at: ['phases', p, 'resources', i, 'next'] });
    });
  });
  return refs;
}
