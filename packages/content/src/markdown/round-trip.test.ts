import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticSchema, validatePath } from '@learnpath/schema';
import { parseMarkdownPath } from './parse-markdown.js';
import { renderPathDocument } from './render.js';
import { learningPathArbitrary, markdownLikeArbitrary } from './path-arbitrary.js';

const options = { file: 'generated.md' };

describe('renderPathDocument and parseMarkdownPath', () => {
  it('generated paths are valid, so the round trip is tested on real input', () => {
    fc.assert(
      fc.property(learningPathArbitrary, (path) => {
        expect(validatePath(path).filter((i) => i.code !== 'LP102' || !i.message.includes('this path itself'))).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('generated paths include reference lists across phases, titles with spaced hyphens and mm:ss lengths', () => {
    const texts = fc.sample(learningPathArbitrary, { numRuns: 300, seed: 42 }).map((path) => renderPathDocument(path));
    expect(texts.some((t) => /Dependencies: Complete resource \d+ of Phase \d+(,| and) resource \d+ of Phase \d+/.test(t))).toBe(true);
    expect(texts.some((t) => /^(\d+\.|-) .*\S - \S.* — /m.test(t))).toBe(true);
    expect(texts.some((t) => /(Duration: | — )\d+:\d\d(:\d\d)?( —|$)/m.test(t))).toBe(true);
  });

  it('parse(render(p)) equals p for generated paths, without errors', () => {
    fc.assert(
      fc.property(learningPathArbitrary, (path) => {
        const text = renderPathDocument(path);
        const result = parseMarkdownPath(text, options);
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(result.path).toEqual(path);
      }),
      { numRuns: 300 },
    );
  });

  it('the round trip holds with template placeholders written for missing values', () => {
    fc.assert(
      fc.property(learningPathArbitrary, (path) => {
        const result = parseMarkdownPath(renderPathDocument(path, { placeholders: true }), options);
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(result.path).toEqual(path);
      }),
      { numRuns: 100 },
    );
  });

  it('random strings never throw and every diagnostic is well formed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const result = parseMarkdownPath(text, options);
        for (const d of result.diagnostics) expect(DiagnosticSchema.safeParse(d).success).toBe(true);
        // Without a "# Title" there is no path, and the author is told why.
        if (result.path === null) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        expect(result.locate(['phases', 0, 'resources', 0, 'dependsOn', 0]).line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('random Markdown-like documents never throw and yield diagnostics', () => {
    fc.assert(
      fc.property(markdownLikeArbitrary, (text) => {
        const result = parseMarkdownPath(text, options);
        for (const d of result.diagnostics) {
          expect(DiagnosticSchema.safeParse(d).success).toBe(true);
          expect(d.line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
        }
        if (result.path === null) expect(result.diagnostics.map((d) => d.code)).toContain('LP201');
      }),
      { numRuns: 300 },
    );
  });
});
