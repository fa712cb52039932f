import type { Diagnostic, PathPointer, Severity } from '@learnpath/schema';
import type { SourcePosition } from './types.js';

/** What the cross-path checks need of one compiled document. */
export interface CompiledFile {
  file: string;
  /** The slug of the compiled path. */
  slug: string;
  /** Where the slug is written (or where the document starts when the slug comes from the file name). */
  slugAt: SourcePosition;
  /** Every `{ path }` reference, with where it is written. */
  references: { slug: string; at: PathPointer; position: SourcePosition }[];
}

function describeReference(at: PathPointer): string {
  if (at[0] === 'prerequisites') return 'prerequisite';
  if (at[at.length - 1] === 'next') return 'next step';
  return 'dependency';
}

/**
 * Checks across paths: every slug is used once (LP106), every `{ path }` reference names a path
 * of the catalog or, when `partial`, one of `neighbours` (the other documents in the folders of the
 * checked files; LP105, a warning when `partial`, since the rest of the catalog is unknown), and
 * prerequisites and dependencies between paths form no cycle (LP102).
 */
export function checkAcrossPaths(compiled: readonly CompiledFile[], partial = false, neighbours: ReadonlySet<string> = new Set()): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const bySlug = new Map<string, CompiledFile[]>();
  for (const entry of compiled) {
    const list = bySlug.get(entry.slug);
    if (list) list.push(entry);
    else bySlug.set(entry.slug, [entry]);
  }
  for (const [slug, entries] of bySlug) {
    if (entries.length < 2) continue;
    for (const entry of entries) {
      const others = entries.filter((e) => e !== entry).map((e) => e.file).join(', ');
      diagnostics.push({
        file: entry.file,
        ...entry.slugAt,
        severity: 'error',
        code: 'LP106',
        message: `duplicate slug "${slug}": also used by ${others}; every path needs its own slug (set "slug" or rename the file)`,
      });
    }
  }
  const unknownSeverity: Severity = partial ? 'warning' : 'error';
  for (const entry of compiled) {
    for (const ref of entry.references) {
      if (bySlug.has(ref.slug) || neighbours.has(ref.slug)) continue;
      diagnostics.push({
        file: entry.file,
        ...ref.position,
        severity: unknownSeverity,
        code: 'LP105',
        message: `${describeReference(ref.at)} names unknown path "${ref.slug}"${partial ? ' (neither among the checked files nor in the folder of this file)' : ': expected the slug of a path in the catalog'}`,
      });
    }
  }
  diagnostics.push(...findPathCycles(compiled, bySlug));
  return diagnostics;
}

// Requirements between paths (prerequisites and dependencies; a "next step" is a suggestion,
// not a requirement) must not loop, or no learner could ever start any path of the loop.
function findPathCycles(compiled: readonly CompiledFile[], bySlug: Map<string, CompiledFile[]>): Diagnostic[] {
  const edges = new Map<string, { to: string; entry: CompiledFile; position: SourcePosition }[]>();
  for (const entry of compiled) {
    const list = edges.get(entry.slug) ?? [];
    for (const ref of entry.references) {
      if (describeReference(ref.at) === 'next step' || !bySlug.has(ref.slug) || ref.slug === entry.slug) continue;
      list.push({ to: ref.slug, entry, position: ref.position });
    }
    edges.set(entry.slug, list);
  }
  const diagnostics: Diagnostic[] = [];
  const state = new Map<string, 1 | 2>();
  // Depth-first search with an explicit stack: a long chain of paths must not overflow the call stack.
  for (const root of [...edges.keys()].sort()) {
    if (state.has(root)) continue;
    const stack: { slug: string; next: number }[] = [{ slug: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const edge = (edges.get(frame.slug) ?? [])[frame.next++];
      if (!edge) {
        state.set(frame.slug, 2);
        stack.pop();
        continue;
      }
      const seen = state.get(edge.to);
      if (seen === 1) {
        const slugs = stack.map((f) => f.slug);
        const cycle = [...slugs.slice(slugs.indexOf(edge.to)), edge.to];
        diagnostics.push({
          file: edge.entry.file,
          ...edge.position,
          severity: 'error',
          code: 'LP102',
          message: `cycle of paths: ${cycle.join(' → ')}; a path cannot (indirectly) require itself`,
        });
      } else if (seen === undefined) {
        state.set(edge.to, 1);
        stack.push({ slug: edge.to, next: 0 });
      }
    }
  }
  return diagnostics;
}
