import { LearningPathDocumentSchema, compilePath, type Diagnostic, type PathPointer } from '@learnpath/schema';
import type { ParseResult, SourcePosition } from './types.js';
import { describeIssues } from './zod-issues.js';

/**
 * Validates the plain value of a YAML or JSON document against `LearningPathDocumentSchema` and
 * compiles it; every schema issue becomes a diagnostic at the place `locate` finds for it.
 */
export function compileStructuredDocument(
  value: unknown,
  locate: (at: PathPointer) => SourcePosition,
  file: string,
  fallbackSlug: string | undefined,
  diagnostics: Diagnostic[],
): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = value === null || value === undefined ? 'an empty document' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    diagnostics.push({ file, ...locate([]), severity: 'error', code: 'LP004', message: `expected a learning path (a mapping with at least "title"), got ${what}` });
    return { path: null, diagnostics, locate };
  }
  const parsed = LearningPathDocumentSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of describeIssues(parsed.error.issues, value)) {
      diagnostics.push({ file, ...locate(issue.at), severity: 'error', code: issue.code, message: issue.message });
    }
    return { path: null, diagnostics, locate };
  }
  return { path: compilePath(parsed.data, fallbackSlug), diagnostics, locate };
}
