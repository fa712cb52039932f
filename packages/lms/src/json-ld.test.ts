import { describe, expect, it } from 'vitest';
import { describeDuration, isoDuration } from './duration.js';
import { exportJsonLd, renderJsonLd } from './json-ld.js';
import { seedPath, trickyPath } from '../test/support/fixtures.js';

type Json = Record<string, unknown>;

describe('isoDuration', () => {
  it('writes ISO 8601 durations', () => {
    expect([isoDuration(75), isoDuration(35), isoDuration(60), isoDuration(10.7), isoDuration(0), isoDuration(1501)]).toEqual(['PT1H15M', 'PT35M', 'PT1H', 'PT10M42S', 'PT0M', 'PT25H1M']);
    expect(describeDuration(75)).toBe('1 hour 15 minutes');
  });
});

describe('schema.org JSON-LD', () => {
  it('describes the seed as a Course with one Syllabus per phase', () => {
    const file = exportJsonLd(seedPath(), { baseUrl: 'https://learn.example.com' });
    expect(file.filename).toBe('batch-vs-stream-processing.jsonld');
    expect(file.contentType).toBe('application/ld+json; charset=utf-8');
    const course = JSON.parse(file.body as string) as Json;
    expect(course).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Course',
      '@id': 'https://learn.example.com/v1/paths/batch-vs-stream-processing',
      url: 'https://learn.example.com/learn/batch-vs-stream-processing',
      name: 'Batch vs Stream Processing',
      timeRequired: 'PT3H55M',
      coursePrerequisites: ['Understanding of data processing concepts and system architecture.'],
    });
    const sections = course.syllabusSections as Json[];
    expect(sections.map((s) => [s['@type'], s.name, s.timeRequired])).toEqual([
      ['Syllabus', 'Phase 1: Foundations', 'PT1H15M'],
      ['Syllabus', 'Phase 2: Core Concepts', 'PT1H35M'],
      ['Syllabus', 'Phase 3: Advanced Topics', 'PT1H5M'],
    ]);
    const first = (sections[0]!.hasPart as Json[])[0]!;
    expect(first).toEqual({
      '@type': 'LearningResource',
      '@id': 'https://learn.example.com/v1/paths/batch-vs-stream-processing/resources/batch-processing',
      identifier: 'batch-processing',
      name: 'Batch Processing',
      position: 1,
      learningResourceType: 'article',
      timeRequired: 'PT35M',
      url: 'https://learn.example.com/learn/batch-vs-stream-processing/batch-processing',
      teaches: 'Understanding batch processing and its characteristics',
    });
    const comparison = (sections[1]!.hasPart as Json[])[0]!;
    expect(comparison.competencyRequired).toEqual([{ '@id': 'https://learn.example.com/v1/paths/batch-vs-stream-processing/phases/foundations' }]);
  });

  it('works without a base URL, keeping resource URLs and fragment ids', () => {
    const path = seedPath();
    path.phases[0]!.resources[0]!.url = 'https://example.com/batch';
    const course = renderJsonLd(path) as Json;
    expect(course['@id']).toBe('#batch-vs-stream-processing');
    const parts = (course.syllabusSections as Json[]).flatMap((s) => s.hasPart as Json[]);
    expect(parts[0]!.url).toBe('https://example.com/batch');
    expect(parts[1]!.url).toBeUndefined();
  });

  it('keeps XML-special and non-ASCII text intact', () => {
    const path = trickyPath();
    const course = JSON.parse(exportJsonLd(path).body as string) as Json;
    expect(course.name).toBe(path.title);
    const parts = (course.syllabusSections as Json[]).flatMap((s) => s.hasPart as Json[]);
    expect(parts.map((p) => p.name)).toEqual(path.phases.flatMap((p) => p.resources.map((r) => r.title)));
    expect(parts[0]!.url).toBe(path.phases[0]!.resources[0]!.url);
  });
});
