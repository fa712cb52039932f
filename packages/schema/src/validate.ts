import type { DiagnosticCode, Severity } from './diagnostics.js';
import { findCycles } from './graph.js';
import type { LearningPath, Reference } from './model.js';

/** Where in a path an issue is: property names and array indexes from the root. */
export type PathPointer = (string | number)[];

/** A problem `validatePath` found, pointing into the path. */
export interface PathIssue {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  at: PathPointer;
}

function describeRef(ref: Reference): string {
  if ('phase' in ref) return `phase "${ref.phase}"`;
  if ('resource' in ref) return `resource "${ref.resource}"`;
  return `path "${ref.path}"`;
}

/**
 * Checks a compiled path: ids are unique, every dependency and next step names a phase or
 * resource that exists, checklist targets exist, and there are no cycles (each named).
 * References to other paths are checked by the catalog, which knows the other paths.
 */
export function validatePath(path: LearningPath): PathIssue[] {
  const issues: PathIssue[] = [];
  const phaseIds = new Set<string>();
  const resourceIds = new Set<string>();
  path.phases.forEach((phase, p) => {
    if (phaseIds.has(phase.id)) {
      issues.push({ code: 'LP103', severity: 'error', message: `duplicate phase id "${phase.id}": give one of the phases another title or an explicit id`, at: ['phases', p, 'id'] });
    }
    phaseIds.add(phase.id);
    phase.resources.forEach((r, i) => {
      if (resourceIds.has(r.id)) {
        issues.push({ code: 'LP103', severity: 'error', message: `duplicate resource id "${r.id}": resource ids must be unique within a path; give one of them another title or an explicit id`, at: ['phases', p, 'resources', i, 'id'] });
      }
      resourceIds.add(r.id);
    });
  });

  const checkRef = (ref: Reference, at: PathPointer, code: DiagnosticCode, what: string): void => {
    const known = 'phase' in ref ? phaseIds.has(ref.phase) : 'resource' in ref ? resourceIds.has(ref.resource) : true;
    if (!known) issues.push({ code, severity: 'error', message: `${what} names unknown ${describeRef(ref)}`, at });
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
  path.checklist.forEach((item, c) => {
    if (item.target !== null && typeof item.target === 'object' && !phaseIds.has(item.target.phase)) {
      issues.push({ code: 'LP107', severity: 'error', message: `checklist item "${item.label}" names unknown phase "${item.target.phase}"`, at: ['checklist', c] });
    }
  });

  for (const cycle of findCycles(path)) {
    issues.push({ code: 'LP102', severity: 'error', message: `dependency cycle: ${cycle.join(' → ')}`, at: pointerOf(path, cycle[0] ?? '') });
  }
  return issues;
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
