import { formatDiagnostic, type Diagnostic } from '@learnpath/schema';
import { countDiagnostics } from './diagnostics.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 errors, 7 warnings in 4 files". */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const { errors, warnings } = countDiagnostics(diagnostics);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(fileCount, 'file')}`;
}

/** One `file:line:col severity code message` line per diagnostic, each ending in a newline. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
}
