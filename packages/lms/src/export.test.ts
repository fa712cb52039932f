import { describe, expect, it } from 'vitest';
import { parsePathDocument } from '@learnpath/content';
import { EXPORT_FORMATS, EXPORT_FORMAT_NAMES, exportFilename, isExportFormat } from './formats.js';
import { exportPath } from './export.js';
import { ExportOptionsError } from './options.js';
import { seedPath, shippedSeedPath, trickyPath } from '../test/support/fixtures.js';

describe('EXPORT_FORMATS', () => {
  it('lists markdown, jsonld, imscc, imscc-1.1, imscc-lti and cmi5 with content types and file names', () => {
    expect(EXPORT_FORMATS.map((f) => f.format)).toEqual([...EXPORT_FORMAT_NAMES]);
    expect(EXPORT_FORMAT_NAMES).toEqual(['markdown', 'jsonld', 'imscc', 'imscc-1.1', 'imscc-lti', 'cmi5']);
    expect(EXPORT_FORMAT_NAMES.map((f) => exportFilename('a-path', f))).toEqual(['a-path.md', 'a-path.jsonld', 'a-path.imscc', 'a-path.cc11.imscc', 'a-path.lti.imscc', 'a-path.cmi5.xml']);
    expect(isExportFormat('imscc-1.1')).toBe(true);
    expect(isExportFormat('scorm')).toBe(false);
  });
});

describe('exportPath', () => {
  it.each(['jsonld', 'imscc', 'imscc-1.1', 'imscc-lti', 'cmi5'] as const)('exports %s with the descriptor’s name, type and body kind', (format) => {
    const info = EXPORT_FORMATS.find((f) => f.format === format)!;
    const file = exportPath(seedPath(), format, { baseUrl: 'https://learn.example.com' });
    expect(file.filename).toBe(exportFilename('batch-vs-stream-processing', format));
    expect(file.contentType).toBe(info.contentType);
    expect(typeof file.body === 'string').toBe(!info.binary);
  });

  it('exports markdown as the learning path document, which parses back to the same path', () => {
    for (const path of [shippedSeedPath(), trickyPath()]) {
      const file = exportPath(path, 'markdown');
      expect(file.filename).toBe(`${path.slug}.md`);
      expect(file.contentType).toBe('text/markdown; charset=utf-8');
      const parsed = parsePathDocument(file.body as string, { file: `${path.slug}.md` });
      expect(parsed.path).toEqual(path);
    }
    expect(exportPath(shippedSeedPath(), 'markdown').body).toMatch(/^# Batch vs Stream Processing$/m);
  });

  it('refuses cmi5 without a base URL and rejects malformed options', () => {
    expect(() => exportPath(seedPath(), 'cmi5')).toThrow(ExportOptionsError);
    expect(() => exportPath(seedPath(), 'imscc', { baseUrl: 'javascript:alert(1)' })).toThrow(ExportOptionsError);
    expect(() => exportPath(seedPath(), 'jsonld', { language: 'not a language' })).toThrow(ExportOptionsError);
  });
});
