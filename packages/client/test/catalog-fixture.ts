import { createCatalog, type Catalog } from '@learnpath/content';
import { compilePath, type LearningPath } from '@learnpath/schema';

const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;

/** A catalog of `count` small paths, `path-000` … , with varied levels, tags and lengths. */
export function createLargeCatalog(count: number): Catalog {
  const paths: LearningPath[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(3, '0');
    paths.push(
      compilePath(
        {
          slug: `path-${n}`,
          // Titles collide in groups of three so that the sort's tie-break by slug is exercised.
          title: `Path ${Math.floor(i / 3)}`,
          overview: `Overview of path ${n}.`,
          level: LEVELS[i % 3]!,
          tags: [`tag-${i % 5}`],
          phases: [{ title: 'Only', resources: [{ title: `Resource ${n}`, kind: 'article', durationMinutes: (i % 40) + 1 }] }],
        },
        `path-${n}`,
      ),
    );
  }
  return createCatalog(paths);
}
