import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '@learnpath/schema';
import { LoadReporter } from '../src/catalog/reload-report.js';

const warning = (line: number, message = 'placeholder'): Diagnostic => ({ file: 'a.md', line, column: 3, severity: 'warning', code: 'LP210', message });
const error = (line: number): Diagnostic => ({ file: 'a.md', line, column: 5, severity: 'error', code: 'LP204', message: 'bad duration' });

describe('LoadReporter', () => {
  it('reports every error, the warnings that changed, and a summary', () => {
    const reporter = new LoadReporter([warning(3), warning(9)]);
    const report = reporter.report([warning(3), error(5), warning(9), warning(12, 'new one')], 2);
    expect(report).toEqual({
      errors: ['a.md:5:5 error LP204 bad duration'],
      newWarnings: ['a.md:12:3 warning LP210 new one'],
      summary: '1 error, 3 warnings in 2 files (2 unchanged warnings not repeated)',
    });
  });

  it('does not repeat a warning an edit only moved, and reports a second copy of one', () => {
    const reporter = new LoadReporter([warning(3)]);
    expect(reporter.report([warning(4)], 1).newWarnings).toEqual([]);
    expect(reporter.report([warning(4), warning(8)], 1).newWarnings).toEqual(['a.md:8:3 warning LP210 placeholder']);
    expect(reporter.report([warning(4), warning(8)], 1)).toMatchObject({ newWarnings: [], summary: '0 errors, 2 warnings in 1 file (2 unchanged warnings not repeated)' });
  });

  it('reports errors at every load, even unchanged ones', () => {
    const reporter = new LoadReporter();
    expect(reporter.report([error(5)], 1).errors).toHaveLength(1);
    expect(reporter.report([error(5)], 1)).toEqual({ errors: ['a.md:5:5 error LP204 bad duration'], newWarnings: [], summary: '1 error, 0 warnings in 1 file' });
  });
});
