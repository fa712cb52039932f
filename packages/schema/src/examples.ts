// Example data published as `@learnpath/schema/examples`: the seed path of the bundled content
// as plain data, for documentation examples, benchmarks and tests that must not depend on the
// Markdown parser or on the content folder.
import { compilePath, type LearningPath, type LearningPathDocument } from './index.js';

/** The seed document (content/batch-vs-stream-processing.md) as data. */
export const seedDocument: LearningPathDocument = {
  slug: 'batch-vs-stream-processing',
  title: 'Batch vs Stream Processing',
  overview: 'Batch and stream processing are two different approaches to data processing.',
  prerequisites: ['Understanding of data processing concepts and system architecture.'],
  phases: [
    {
      title: 'Foundations',
      sequential: true,
      resources: [
        { title: 'Batch Processing', kind: 'article', durationMinutes: 35, focus: 'Understanding batch processing and its characteristics', next: { resource: 'stream-processing' } },
        { title: 'Stream Processing', kind: 'article', durationMinutes: 40, focus: 'Understanding stream processing and its characteristics', next: { phase: 'core-concepts' } },
      ],
    },
    {
      title: 'Core Concepts',
      sequential: true,
      resources: [
        { title: 'Processing Comparison', kind: 'article', durationMinutes: 30, dependsOn: [{ phase: 'foundations' }] },
        { title: 'Use Case Selection', kind: 'article', durationMinutes: 25 },
        { title: 'Processing Implementation', kind: 'article', durationMinutes: 40 },
      ],
    },
    {
      title: 'Advanced Topics',
      sequential: true,
      resources: [
        { title: 'Hybrid Processing', kind: 'article', durationMinutes: 35 },
        { title: 'Processing Optimization', kind: 'article', durationMinutes: 30 },
      ],
    },
  ],
  checklist: [
    { label: 'Phase 1 completed', target: { phase: 'foundations' }, checked: false },
    { label: 'Phase 2 completed', target: { phase: 'core-concepts' }, checked: false },
    { label: 'Phase 3 completed', target: { phase: 'advanced-topics' }, checked: false },
    { label: 'Supplementary materials reviewed', target: 'supplementary', checked: false },
  ],
};

/** The seed compiled. */
export const seedPath: LearningPath = compilePath(seedDocument);
