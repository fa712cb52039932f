import { createCatalog, type Catalog } from '@learnpath/content';
import { compilePath, type LearningPath, type LearningPathDocument } from '@learnpath/schema';
import { seedDocument } from '@learnpath/schema/examples';

/** The seed's slug. */
export const SEED = 'batch-vs-stream-processing';

/** A second path that exercises what the seed leaves empty: links, videos, tags, level, cross-path references. */
export const streamingDocument: LearningPathDocument = {
  slug: 'stream-processing-in-practice',
  title: 'Stream Processing in Practice',
  overview: 'Build a small streaming pipeline with windows and exactly-once delivery.',
  prerequisites: [{ text: 'Finish Batch vs Stream Processing first.', path: SEED }, 'Comfort with a command line.'],
  level: 'intermediate',
  tags: ['streaming', 'data'],
  phases: [
    {
      title: 'Setup',
      dependsOn: [{ path: SEED }],
      resources: [
        { title: 'Install Kafka', kind: 'tutorial', url: 'https://kafka.apache.org/quickstart', durationMinutes: 20, focus: 'A local broker' },
        { title: 'Windowing Explained', kind: 'video', durationMinutes: 12.5, dependsOn: [{ resource: 'install-kafka' }], next: { path: SEED } },
      ],
    },
    {
      title: 'Build',
      sequential: true,
      dependsOn: [{ phase: 'setup' }],
      resources: [
        { title: 'Exactly Once', kind: 'documentation', durationMinutes: 45 },
        { title: 'Pipeline Project', kind: 'project', durationMinutes: null },
      ],
    },
  ],
  additionalResources: [{ title: 'Streaming 101', url: 'https://www.oreilly.com/radar/the-world-beyond-batch-streaming-101/', description: 'The classic essay.' }],
  supplementaryVideos: [{ title: 'Kafka in 100 Seconds', url: null, durationMinutes: 2.5, channel: 'Fireship' }],
  checklist: [
    { label: 'Setup done', target: { phase: 'setup' }, checked: false },
    { label: 'Extras read', target: 'supplementary', checked: true },
    { label: 'Told a friend', target: null, checked: false },
  ],
  notes: 'Keep the broker running between phases.',
};

/** A third, short path for filters and sorting. */
export const quickDocument: LearningPathDocument = {
  slug: 'a-quick-tour',
  title: 'A Quick Tour',
  level: 'beginner',
  tags: ['data'],
  phases: [{ title: 'Only Phase', resources: [{ title: 'Podcast Episode', kind: 'podcast', durationMinutes: 30, focus: 'Listen for the word latency' }] }],
};

/** The three fixture paths, compiled. */
export function fixturePaths(): LearningPath[] {
  return [compilePath(seedDocument), compilePath(streamingDocument), compilePath(quickDocument)];
}

/** A catalog of the fixture paths. */
export function fixtureCatalog(): Catalog {
  return createCatalog(fixturePaths());
}
