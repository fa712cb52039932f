import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportPath } from './export.js';
import { pathArbitrary } from '../test/support/arbitrary.js';

describe('exports of random valid paths', () => {
  it('are deterministic', () => {
    fc.assert(
      fc.property(pathArbitrary, (path) => {
        for (const format of ['jsonld', 'imscc', 'imscc-1.1', 'imscc-lti', 'cmi5'] as const) {
          const a = exportPath(path, format, { baseUrl: 'https://learn.example.com' }).body;
          const b = exportPath(path, format, { baseUrl: 'https://learn.example.com' }).body;
          expect(typeof a === 'string' ? a : Buffer.from(a).toString('base64')).toBe(typeof b === 'string' ? b : Buffer.from(b).toString('base64'));
        }
      }),
      { numRuns: 25 },
    );
  });
});
