import { formatDiagnostic, type Diagnostic } from '@learnpath/schema';
import { summarizeDiagnostics } from '@learnpath/content';

/** What to log about one content load. */
export interface LoadReport {
  /** Every error, one `file:line:col severity code message` line each. */
  errors: string[];
  /** The warnings that were not there at the previous load, in the same form. */
  newWarnings: string[];
  /** One line: "1 error, 7 warnings in 3 files (6 unchanged warnings not repeated)". */
  summary: string;
}

// A warning is the same one when its file, code and message are: an edit above it moves its
// line without changing it.
const keyOf = (d: Diagnostic): string => `${d.file}\u0000${d.code}\u0000${d.message}`;

function countWarnings(diagnostics: readonly Diagnostic[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of diagnostics) if (d.severity === 'warning') counts.set(keyOf(d), (counts.get(keyOf(d)) ?? 0) + 1);
  return counts;
}

/**
 * Reports successive loads of the same content for a log: every error each time, warnings only
 * when they changed since the previous load, so that a save does not reprint what the author
 * has seen already.
 */
export class LoadReporter {
  #previous: Map<string, number>;

  /** `initial`: the diagnostics of the load already reported (at start-up). */
  constructor(initial: readonly Diagnostic[] = []) {
    this.#previous = countWarnings(initial);
  }

  /** Reports a load and remembers its warnings for the next one. */
  report(diagnostics: readonly Diagnostic[], fileCount: number): LoadReport {
    const seen = new Map<string, number>();
    const errors: string[] = [];
    const newWarnings: string[] = [];
    let unchanged = 0;
    for (const d of diagnostics) {
      if (d.severity === 'error') {
        errors.push(formatDiagnostic(d));
        continue;
      }
      const key = keyOf(d);
      const occurrence = (seen.get(key) ?? 0) + 1;
      seen.set(key, occurrence);
      if (occurrence > (this.#previous.get(key) ?? 0)) newWarnings.push(formatDiagnostic(d));
      else unchanged++;
    }
    this.#previous = seen;
    const note = unchanged > 0 ? ` (${unchanged} unchanged warning${unchanged === 1 ? '' : 's'} not repeated)` : '';
    return { errors, newWarnings, summary: `${summarizeDiagnostics(diagnostics, fileCount)}${note}` };
  }
}
