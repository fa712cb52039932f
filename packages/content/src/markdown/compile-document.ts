import { LearningPathDocumentSchema, compilePath, type LearningPath, type LearningPathDocument } from '@learnpath/schema';
import { describeIssues } from '../zod-issues.js';
import type { Report } from './report.js';

/**
 * Compiles what the parser read into a path. A document the schema rejects (a title too long,
 * too many resources…) is reported (LP004, at the place the pointer names) and repaired by
 * dropping or shortening what each issue names, so that a path is compiled whenever there is
 * a title.
 */
export function compileDocument(input: LearningPathDocument & { title: string }, fallbackSlug: string | undefined, report: Report): LearningPath | null {
  // The common case: the document is valid and compilePath validates it once.
  try {
    return compilePath(input, fallbackSlug);
  } catch {
    // Fall through: find out what is wrong, report it and compile what is acceptable.
  }
  let doc: unknown = input;
  const reported = new Set<string>();
  for (let attempt = 0; attempt < 8; attempt++) {
    const parsed = LearningPathDocumentSchema.safeParse(doc);
    if (parsed.success) return compilePath(parsed.data, fallbackSlug);
    for (const issue of describeIssues(parsed.error.issues, doc)) {
      const key = `${issue.at.join('/')}|${issue.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      report.error(report.positions.locate(issue.at), issue.code, issue.message);
    }
    doc = repair(doc, parsed.error.issues);
  }
  try {
    return compilePath({ title: input.title.slice(0, 500) } satisfies LearningPathDocument, fallbackSlug);
  } catch {
    return null;
  }
}

type Issue = { code: string; path: PropertyKey[]; maximum?: unknown };

const NULLABLE = new Set(['url', 'durationMinutes', 'focus', 'description', 'channel', 'next', 'notes', 'level', 'path', 'target']);

/** Makes a document that failed the schema acceptable: drops or shortens what an issue names. */
function repair(doc: unknown, issues: readonly Issue[]): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const removals = new Map<unknown[], Set<number>>();
  for (const issue of issues) {
    if (issue.path.length === 0) continue;
    let parent: unknown = copy;
    for (const key of issue.path.slice(0, -1)) {
      parent = parent !== null && typeof parent === 'object' ? (parent as Record<PropertyKey, unknown>)[key] : undefined;
    }
    const key = issue.path[issue.path.length - 1]!;
    if (parent === null || typeof parent !== 'object') continue;
    const record = parent as Record<PropertyKey, unknown>;
    const value = record[key];
    const maximum = typeof issue.maximum === 'number' || typeof issue.maximum === 'bigint' ? Number(issue.maximum) : null;
    if (issue.code === 'too_big' && maximum !== null && (typeof value === 'string' || Array.isArray(value))) {
      record[key] = value.slice(0, maximum);
    } else if (Array.isArray(parent) && typeof key === 'number') {
      const indexes = removals.get(parent) ?? new Set<number>();
      indexes.add(key);
      removals.set(parent, indexes);
    } else if (key === 'title' || key === 'text' || key === 'label') {
      record[key] = 'untitled';
    } else if (typeof key === 'string' && NULLABLE.has(key)) {
      record[key] = null;
    } else {
      delete record[key];
    }
  }
  for (const [list, indexes] of removals) {
    for (const index of [...indexes].sort((a, b) => b - a)) list.splice(index, 1);
  }
  return copy;
}
