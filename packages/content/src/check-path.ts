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
    // A cycle names each of its edges with the line it was written on.
    message: issue.edges ? cycleMessage(issue.message, issue.edges, result) : issue.message,
  }));
}

function cycleMessage(message: string, edges: readonly { text: string; at: (string | number)[] }[], result: ParseResult): string {
  const head = message.slice(0, message.indexOf(': ', 'dependency cycle: '.length));
  return `${head}: ${edges.map((e) => `${e.text} (line ${result.locate(e.at).line})`).join('; ')}; to break it, remove one of these dependencies`;
}
