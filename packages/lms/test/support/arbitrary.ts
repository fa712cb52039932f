import fc from 'fast-check';
import { compilePath, UrlSchema, type LearningPath, type LearningPathDocument } from '@learnpath/schema';

// Any text an author might paste, including control characters and lone surrogates.
const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
const url = fc.option(fc.webUrl({ withQueryParameters: true, withFragments: true }), { nil: null }).map((u) => (u !== null && UrlSchema.safeParse(u).success ? u : null));
const resource = fc.record({
  title: text,
  kind: fc.constantFrom('article', 'video', 'course', 'book', 'exercise', 'other' as const),
  url,
  durationMinutes: fc.option(fc.integer({ min: 0, max: 6000 }).map((n) => n / 4), { nil: null }),
  focus: fc.option(text, { nil: null }),
});
const phase = fc.record({ title: text, sequential: fc.boolean(), resources: fc.array(resource, { maxLength: 4 }), dependOnEarlier: fc.boolean() });

/** Random valid paths: explicit ids, dependencies only on earlier phases. */
export const pathArbitrary: fc.Arbitrary<LearningPath> = fc
  .record({
    slug: fc.stringMatching(/^[a-z0-9]{1,12}(?:-[a-z0-9]{1,12}){0,3}$/),
    title: text,
    overview: fc.string({ unit: 'binary', maxLength: 200 }),
    tags: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: 4 }),
    phases: fc.array(phase, { maxLength: 4 }),
    notes: fc.option(fc.string({ unit: 'binary', maxLength: 100 }), { nil: null }),
  })
  .map((raw): LearningPath => {
    const doc: LearningPathDocument = {
      slug: raw.slug,
      title: raw.title,
      overview: raw.overview,
      tags: raw.tags,
      notes: raw.notes,
      phases: raw.phases.map((p, n) => ({
        id: `p${n}`,
        title: p.title,
        sequential: p.sequential,
        resources: p.resources.map((r, i) => ({
          ...r,
          id: `r${n}-${i}`,
          dependsOn: i === 0 && n > 0 && p.dependOnEarlier ? [{ phase: `p${n - 1}` }] : [],
        })),
      })),
    };
    return compilePath(doc);
  });
