import { createCatalog, type Catalog } from '@learnpath/content';
import { compilePath, type LearningPath } from '@learnpath/schema';
import { fixturePaths } from './fixtures.js';

/** The hostile title the pages must show as text. */
export const HOSTILE_TITLE = '<img src=x onerror=alert(1)>';

/** A path whose texts try to inject markup and script. */
export function hostilePath(): LearningPath {
  return compilePath({
    slug: 'hostile',
    title: 'Hostile <script>alert(1)</script>',
    overview: 'Raw <script>alert(2)</script> and [a link](javascript:alert(3)) and ![pic](https://evil.example/x.png)',
    tags: ['hostile'],
    phases: [
      {
        title: 'Phase "one" <b>',
        sequential: true,
        resources: [
          { title: HOSTILE_TITLE, kind: 'article', durationMinutes: 5, focus: '"><svg onload=alert(4)>' },
          { title: 'After the hostile one', kind: 'video', durationMinutes: 10, url: 'https://example.com/video' },
        ],
      },
    ],
    notes: '<iframe src="https://evil.example"></iframe>',
  });
}

/** A path of `count` resources in one sequential phase. */
export function hugePath(count = 1000): LearningPath {
  return compilePath({
    slug: 'huge',
    title: 'A thousand steps',
    phases: [
      {
        title: 'Everything',
        sequential: true,
        resources: Array.from({ length: count }, (_, i) => ({ title: `Step ${i + 1}`, kind: 'exercise' as const, durationMinutes: 3 })),
      },
    ],
  });
}

/** The fixture catalog of the service tests plus the hostile and huge paths. */
export function learnCatalog(): Catalog {
  return createCatalog([...fixturePaths, hostilePath(), hugePath()]);
}
