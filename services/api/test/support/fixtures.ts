import { createCatalog, type Catalog } from '@learnpath/content';
import { compilePath, type LearningPath, type LearningPathDocument } from '@learnpath/schema';
import { seedDocument, seedPath } from '@learnpath/schema/examples';

export { seedPath };

/** The seed's slug. */
export const SEED = 'batch-vs-stream-processing';

const documents: LearningPathDocument[] = [
  {
    slug: 'alpha-streams',
    title: 'Alpha Streams',
    overview: 'A **short** tour of [Kafka](https://kafka.apache.org) streams.\n\nSecond paragraph is not in the excerpt.',
    level: 'beginner',
    tags: ['streaming', 'kafka'],
    phases: [
      {
        title: 'Basics',
        resources: [
          { title: 'Kafka in 10 Minutes', kind: 'video', durationMinutes: 10 },
          { title: 'Topics and Partitions', kind: 'article', durationMinutes: 50, focus: 'Partition keys' },
        ],
      },
    ],
  },
  {
    slug: 'zeta-warehouse',
    title: 'Zeta Warehouse',
    overview: 'Dimensional modelling for analytics. '.repeat(20),
    level: 'advanced',
    tags: ['warehouse'],
    prerequisites: [{ text: 'Batch basics', path: 'batch-vs-stream-processing' }],
    phases: [
      {
        title: 'Modelling',
        resources: [
          { title: 'The Data Warehouse Toolkit', kind: 'book', durationMinutes: 240 },
          { title: 'Build a Star Schema', kind: 'project', durationMinutes: null },
        ],
      },
    ],
  },
  {
    slug: 'machine-learning-basics',
    title: 'machine learning basics',
    overview: 'Models <script>alert(1)</script> and "features".',
    level: 'intermediate',
    tags: ['ml'],
    phases: [
      {
        title: 'Course "Part" #1',
        sequential: true,
        resources: [
          { title: 'Intro <ML> & "Friends" #1', kind: 'course', durationMinutes: 90 },
          { title: 'end', kind: 'exercise', durationMinutes: 30, dependsOn: [{ path: 'alpha-streams' }] },
        ],
      },
    ],
  },
];

/** The fixture paths: the seed and three more with levels, tags and kinds to filter on. */
export const fixturePaths: LearningPath[] = [seedPath, ...documents.map((d) => compilePath(d))];

/** A catalog of the fixture paths. */
export function fixtureCatalog(): Catalog {
  return createCatalog(fixturePaths);
}

/** A catalog of `count` generated paths (`path-01`, …) for pagination. */
export function numberedCatalog(count: number): Catalog {
  return createCatalog(
    Array.from({ length: count }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return compilePath({
        slug: `path-${n}`,
        title: `Path ${n}`,
        phases: [{ title: 'Only', resources: [{ title: `Resource ${n}`, kind: 'article', durationMinutes: (i * 7) % 25 }] }],
      });
    }),
  );
}

// GraphQL tests read fields the REST fixtures leave empty, so they have a set of their own.

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

/** The GraphQL fixture paths, compiled: the seed, a path with links, videos and cross-path references, and a short one. */
export function graphqlFixturePaths(): LearningPath[] {
  return [compilePath(seedDocument), compilePath(streamingDocument), compilePath(quickDocument)];
}

/** A catalog of the GraphQL fixture paths. */
export function graphqlFixtureCatalog(): Catalog {
  return createCatalog(graphqlFixturePaths());
}
