import { createCatalog, type Catalog } from '@learnpath/content';
import { compilePath, type LearningPath, type LearningPathDocument } from '@learnpath/schema';
import { seedPath } from '@learnpath/schema/examples';

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
