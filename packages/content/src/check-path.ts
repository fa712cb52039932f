import { validatePath, type Diagnostic } from '@learnpath/schema';
import type { ParseResult } from './types.js';

/**
 * Runs `validatePath` on a parsed document and places every issue (unknown references,
 * duplicate ids, cycles) at its line and column through the result's `locate`.
 * Returns only the new diagnostics; the parse diagnostics stay in `result.diagnostics`.
 */
export function checkPath(result: ParseResult, file: string): Diagnostic[] {
  if (!result.path) return [];
  return validatePath(result.path).map((issue) => ({
    file,
    ...result.locate(issue.at),
    severity: issue.severity,
    code: issue.code,
    message: issue.message,
  }));
}
