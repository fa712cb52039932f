import { describe, expect, it } from 'vitest';
import type { Store, StartedPath } from '@learnpath/store';
import { viewOf } from '../src/catalog/view.js';
import { listLearnerPaths } from '../src/rest/learner-operations.js';
import { fixtureCatalog } from './support/fixtures.js';

// The database keeps microseconds; the cursor of the started-path listing carries milliseconds.
// Paths changed within one millisecond must still each be listed exactly once, page after page.

describe('the started-path listing', () => {
  it('lists every path once across pages when several changed within the same millisecond', async () => {
    const catalog = fixtureCatalog();
    const slugs = [...catalog.paths.keys()];
    expect(slugs.length).toBeGreaterThanOrEqual(3);
    const at = '2026-06-01T10:00:00.123Z';
    // As the database may return them: ordered by its microseconds, not by slug within the millisecond.
    const started: StartedPath[] = [
      { slug: slugs[2]!, startedAt: at, updatedAt: at, revision: '3' },
      { slug: slugs[0]!, startedAt: at, updatedAt: at, revision: '1' },
      { slug: slugs[1]!, startedAt: at, updatedAt: '2026-06-01T10:00:00.122Z', revision: '2' },
    ];
    const store = { listStartedPaths: async () => started, listCompletions: async () => [] } as unknown as Store;
    const view = viewOf(catalog);
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listLearnerPaths(() => store, view, 'learner-1', { limit: 1, cursor });
      listed.push(...page.items.map((item) => item.slug));
      cursor = page.nextCursor;
    } while (cursor !== null);
    // Newest first, by slug within the millisecond.
    expect(listed).toEqual([...[slugs[0]!, slugs[2]!].sort(), slugs[1]]);
  });
});
