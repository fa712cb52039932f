import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateProgress, validatePath } from '@learnpath/schema';
import { parseMarkdownPath } from './parse-markdown.js';
import { renderPathDocument } from './render.js';

const seedText = readFileSync(new URL('../../../../content/batch-vs-stream-processing.md', import.meta.url), 'utf8');
const seed = parseMarkdownPath(seedText, { file: 'batch-vs-stream-processing.md', fallbackSlug: 'batch-vs-stream-processing' });
const path = seed.path!;

describe('the seed document', () => {
  it('compiles without errors, with the seven template placeholders as warnings', () => {
    expect(seed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const warnings = seed.diagnostics.filter((d) => d.severity === 'warning');
    expect(warnings.map((d) => d.code)).toEqual(Array(7).fill('LP210'));
    // 3 link descriptions (lines 58–60), then duration and channel of 2 videos (lines 64–65).
    expect(warnings.map((d) => d.line)).toEqual([58, 59, 60, 64, 64, 65, 65]);
    expect(warnings.every((d) => d.file === 'batch-vs-stream-processing.md')).toBe(true);
    expect(warnings[3]!.column).toBe('- Batch vs Stream Processing — '.length + 1);
  });

  it('has its title, slug, overview and prerequisites', () => {
    expect(path.slug).toBe('batch-vs-stream-processing');
    expect(path.title).toBe('Batch vs Stream Processing');
    expect(path.overview).toMatch(/^Batch and stream processing are two different approaches/);
    expect(path.prerequisites).toEqual([{ text: 'Understanding of data processing concepts and system architecture.', path: null }]);
    expect(path.level).toBeNull();
    expect(path.tags).toEqual([]);
  });

  it('has three sequential phases with ids from their names', () => {
    expect(path.phases.map((p) => [p.id, p.number, p.title, p.sequential])).toEqual([
      ['foundations', 1, 'Foundations', true],
      ['core-concepts', 2, 'Core Concepts', true],
      ['advanced-topics', 3, 'Advanced Topics', true],
    ]);
    expect(path.phases.map((p) => p.totalMinutes)).toEqual([75, 95, 65]);
    expect(path.totalMinutes).toBe(235);
  });

  it('has seven articles with ids from titles, durations and focus', () => {
    const resources = path.phases.flatMap((p) => p.resources);
    expect(resources.map((r) => r.id)).toEqual([
      'batch-processing',
      'stream-processing',
      'processing-comparison',
      'use-case-selection',
      'processing-implementation',
      'hybrid-processing',
      'processing-optimization',
    ]);
    expect(resources.map((r) => r.durationMinutes)).toEqual([35, 40, 30, 25, 40, 35, 30]);
    expect(resources.every((r) => r.kind === 'article' && r.url === null)).toBe(true);
    expect(resources[0]!.focus).toBe('Understanding batch processing and its characteristics');
  });

  it('reads next steps and dependencies as typed references', () => {
    const [foundations, core] = path.phases;
    expect(foundations!.resources[0]!.next).toEqual({ resource: 'stream-processing' });
    expect(foundations!.resources[1]!.next).toEqual({ phase: 'core-concepts' });
    expect(core!.resources[0]!.dependsOn).toEqual([{ phase: 'foundations' }]);
    expect(core!.resources[1]!.dependsOn).toEqual([]);
    expect(validatePath(path)).toEqual([]);
  });

  it('has placeholder links and videos with null values', () => {
    expect(path.additionalResources).toEqual([
      { title: 'Data Processing Guide', url: null, description: null },
      { title: 'Stream Processing', url: null, description: null },
      { title: 'Batch Processing', url: null, description: null },
    ]);
    expect(path.supplementaryVideos).toEqual([
      { title: 'Batch vs Stream Processing', url: null, durationMinutes: null, channel: null },
      { title: 'Data Processing', url: null, durationMinutes: null, channel: null },
    ]);
  });

  it('has a checklist of three phases and the supplementary material, and its notes', () => {
    expect(path.checklist).toEqual([
      { label: 'Phase 1 completed', target: { phase: 'foundations' }, checked: false },
      { label: 'Phase 2 completed', target: { phase: 'core-concepts' }, checked: false },
      { label: 'Phase 3 completed', target: { phase: 'advanced-topics' }, checked: false },
      { label: 'Supplementary materials reviewed', target: 'supplementary', checked: false },
    ]);
    expect(path.notes).toBe(
      'The choice between batch and stream processing depends on your specific requirements. Consider factors like data volume, latency, and complexity when choosing a processing approach.',
    );
  });

  it('locates what validatePath and others point at', () => {
    expect(seed.locate(['phases', 1, 'resources', 0, 'dependsOn', 0])).toEqual({ line: 34, column: 20 });
    expect(seed.locate(['phases', 1, 'resources', 0, 'dependsOn'])).toEqual({ line: 34, column: 20 });
    expect(seed.locate(['phases', 0, 'resources', 1, 'next'])).toEqual({ line: 25, column: 17 });
    expect(seed.locate(['phases', 0, 'resources', 1, 'durationMinutes'])).toEqual({ line: 23, column: 16 });
    expect(seed.locate(['phases', 0, 'resources', 1, 'id']).line).toBe(22);
    expect(seed.locate(['phases', 2])).toEqual({ line: 44, column: 1 });
    expect(seed.locate(['checklist', 3]).line).toBe(72);
    expect(seed.locate(['title'])).toEqual({ line: 1, column: 1 });
    // Nothing recorded deeper: the nearest enclosing place.
    expect(seed.locate(['phases', 1, 'resources', 0, 'dependsOn', 7]).line).toBe(34);
    expect(seed.locate(['nowhere', 3])).toEqual({ line: 1, column: 1 });
  });

  it('feeds evaluateProgress: with batch-processing done, stream-processing is next', () => {
    const report = evaluateProgress(path, ['batch-processing']);
    expect(report.next?.id).toBe('stream-processing');
    const states = Object.fromEntries(report.resources.map((r) => [r.id, r.state]));
    expect(states['stream-processing']).toBe('available');
    expect(states['processing-comparison']).toBe('locked');
  });

  it('renders back to a document that parses to the same path', () => {
    const again = parseMarkdownPath(renderPathDocument(path), { file: 'x.md' });
    expect(again.diagnostics).toEqual([]);
    expect(again.path).toEqual(path);
  });

  it('renders back to the seed text itself when template placeholders are kept', () => {
    expect(renderPathDocument(path, { placeholders: true })).toBe(seedText);
  });
});
