// Test support (not exported from the package): fast-check arbitraries for valid learning paths
// and for Markdown-like documents, used by the round-trip and robustness property tests.
import fc from 'fast-check';
import { Parser } from 'commonmark';
import { RESOURCE_KINDS, UrlSchema, compilePath, slugify, type LearningPath, type LearningPathDocument, type Reference } from '@learnpath/schema';
import { roundMinutes } from '../duration.js';
import { formatDestination, isPlaceholder } from './inline.js';

const WORDS = ['Kafka', 'data', 'stream', 'Batch', 'Flink', 'SQL', 'été', '漢字', 'naïve', '🙂', 'Phase 2', 'supplementary', 'v1.2', 'C#', 'x', 'Guide - Chapter 7', 'Data-Intensive', 'Part 2 – Joins'];
const SPECIALS = ['*', '**', '_', '[', ']', '(', ')', '<', '>', '#', '&', '&amp;', '!', '`', '\\', '~', '|', ':', '"', "'", '—', '–', '-', ' — ', ' - ', '1.', '+', '=', '%', '{', '}', '\u00a0'];

/** Plain text such as a title: words, Markdown syntax characters, dashes and unicode. */
export const plainTextArbitrary: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...SPECIALS), fc.constant(' ')), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) },
  )
  .map((text) => text.trim())
  // Control characters (and the replacement CommonMark makes for NUL) are not text authors write.
  .filter((text) => text !== '' && !/[\p{Cc}\p{Cs}\u2028\u2029\ufffd]/u.test(text));

const INLINE = ['Learn', 'the', 'basics', '*emphasis*', '**strong**', '`code — span`', '[a link](https://example.com/a-b)', 'a_b', '&', '&amp;', '<kbd>x</kbd>', 'C#', '100%', '"quoted"', '—', '[x]', 'Phase 1', ':', 'naïve', '🙂', '\\*'];

/** A line of Markdown inline text, kept as written (focus, descriptions, prerequisites). */
export const inlineMarkdownArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('Learn', 'Read', 'Know', 'Understand', 'Kafka'), fc.array(fc.constantFrom(...INLINE), { maxLength: 6 }))
  .map(([first, rest]) => [first, ...rest].join(' '))
  .filter((text) => !isPlaceholder(text));

/** A few blocks of Markdown (overview, notes): paragraphs, lists, a code block, a sub-heading. */
export const blockMarkdownArbitrary: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      inlineMarkdownArbitrary,
      fc.array(inlineMarkdownArbitrary, { minLength: 1, maxLength: 3 }).map((items) => items.map((i) => `- ${i}`).join('\n')),
      fc.constant('```sql\nSELECT * FROM events;\n## not a section\n```'),
      fc.constant('### A sub-heading'),
      fc.constant('> A quote'),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((blocks) => blocks.join('\n\n'));

const slugArbitrary: fc.Arbitrary<string> = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('-'));

const destinationParser = new Parser();

/** Any http(s) URL the schema accepts (resources keep it verbatim, in a URL bullet if need be). */
const anyUrlArbitrary: fc.Arbitrary<string> = fc
  .oneof(
    fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }),
    fc.constantFrom('https://example.com/a b', 'https://example.com/ä?q=`x`', 'http://example.com/*a*_b_'),
  )
  .filter((url) => UrlSchema.safeParse(url).success);

/** An http(s) URL that survives Markdown link syntax unchanged (links and videos). */
const urlArbitrary: fc.Arbitrary<string> = anyUrlArbitrary.filter((url) => {
  const link = destinationParser.parse(`[x](${formatDestination(url)})`).firstChild?.firstChild;
  return link?.type === 'link' && link.destination === url;
});

const durationArbitrary: fc.Arbitrary<number | null> = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 3000 }),
  // Lengths in whole seconds: written back as mm:ss or h:mm:ss.
  fc.integer({ min: 1, max: 20_000 }).map((seconds) => roundMinutes(seconds / 60)),
  fc.integer({ min: 0, max: 100_000 }).map((n) => n / 1000),
);

const someOf = <T>(items: T[]): fc.Arbitrary<T[]> => fc.subarray(items, { maxLength: Math.min(3, items.length) });

const nullable = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arbitrary, { nil: null });

interface ResourceShape {
  title: string;
  id: string | null;
  kind: (typeof RESOURCE_KINDS)[number];
  url: string | null;
  durationMinutes: number | null;
  focus: string | null;
}
interface PhaseShape {
  title: string;
  id: string | null;
  sequential: boolean;
  resources: ResourceShape[];
}

const resourceShape: fc.Arbitrary<ResourceShape> = fc.record({
  title: plainTextArbitrary,
  id: nullable(slugArbitrary),
  kind: fc.constantFrom(...RESOURCE_KINDS),
  url: nullable(anyUrlArbitrary),
  durationMinutes: durationArbitrary,
  focus: nullable(inlineMarkdownArbitrary),
});

const phaseShape: fc.Arbitrary<PhaseShape> = fc.record({
  title: plainTextArbitrary,
  id: nullable(slugArbitrary),
  sequential: fc.boolean(),
  resources: fc.array(resourceShape, { maxLength: 4 }),
});

/** Makes ids unique by suffixing repeats; explicit ids stay explicit. */
function uniqueIds<T extends { title: string; id: string | null }>(items: T[], taken: Set<string>): string[] {
  return items.map((item) => {
    const base = item.id ?? slugify(item.title);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 100)}-${n}`;
    taken.add(id);
    return id;
  });
}

/**
 * A valid learning path: ids unique (explicit or from titles), dependencies only on what comes
 * earlier (so there are no cycles), next steps anywhere, links to other paths by slug.
 */
export const learningPathArbitrary: fc.Arbitrary<LearningPath> = fc
  .record({
    title: plainTextArbitrary,
    slug: nullable(slugArbitrary),
    overview: fc.oneof(fc.constant(''), blockMarkdownArbitrary),
    level: fc.constantFrom(null, 'beginner', 'intermediate', 'advanced' as const),
    tags: fc.uniqueArray(slugArbitrary, { maxLength: 3 }),
    phases: fc.array(phaseShape, { maxLength: 4 }),
    otherPaths: fc.uniqueArray(slugArbitrary, { minLength: 1, maxLength: 3 }),
    notes: nullable(fc.oneof(fc.constant(''), blockMarkdownArbitrary)),
  })
  .chain((shape) => {
    const resourceIds = new Set<string>();
    const phaseIdSet = new Set<string>();
    const phaseIds = uniqueIds(shape.phases, phaseIdSet);
    const ids = shape.phases.map((phase) => uniqueIds(phase.resources, resourceIds));
    const slug = shape.slug ?? slugify(shape.title);
    const others = shape.otherPaths.filter((s) => s !== slug);
    const pathRefs: Reference[] = others.map((path) => ({ path }));
    const everything: Reference[] = [...phaseIds.map((phase) => ({ phase })), ...ids.flat().map((resource) => ({ resource })), ...pathRefs];
    // Only what comes earlier in document order: no dependency can close a cycle.
    const earlierThanPhase = (p: number): Reference[] => [
      ...phaseIds.slice(0, p).map((phase) => ({ phase })),
      ...ids.slice(0, p).flat().map((resource) => ({ resource })),
      ...pathRefs,
    ];
    const phases = shape.phases.map((phase, p) =>
      fc.record({
        dependsOn: someOf(earlierThanPhase(p)),
        resources: fc.tuple(
          ...phase.resources.map((_, r) =>
            fc.record({
              dependsOn: someOf([...earlierThanPhase(p), ...ids[p]!.slice(0, r).map((resource) => ({ resource }))]),
              next: everything.length === 0 ? fc.constant(null) : nullable(fc.constantFrom(...everything)),
            }),
          ),
        ),
      }),
    );
    const targets = fc.oneof(fc.constant(null), fc.constant('supplementary' as const), ...(phaseIds.length > 0 ? [fc.constantFrom(...phaseIds).map((phase) => ({ phase }))] : []));
    return fc.record({
      phases: fc.tuple(...phases),
      prerequisites: fc.array(
        fc.oneof(
          fc.record({ text: inlineMarkdownArbitrary, path: fc.constant(null) }),
          fc.record({ text: inlineMarkdownArbitrary, path: fc.constantFrom(...others, 'other-path') }),
          fc.constantFrom(...others, 'other-path').map((path) => ({ text: `Complete [the ${path} path](${path}.md)`, path })),
        ),
        { maxLength: 3 },
      ),
      additionalResources: fc.array(fc.record({ title: plainTextArbitrary, url: nullable(urlArbitrary), description: nullable(inlineMarkdownArbitrary) }), { maxLength: 3 }),
      supplementaryVideos: fc.array(
        fc.record({ title: plainTextArbitrary, url: nullable(urlArbitrary), durationMinutes: durationArbitrary, channel: nullable(plainTextArbitrary) }),
        { maxLength: 3 },
      ),
      checklist: fc.array(fc.record({ label: plainTextArbitrary, target: targets, checked: fc.boolean() }), { maxLength: 4 }),
    }).map((extra): LearningPath => {
      const document: LearningPathDocument = {
        slug,
        title: shape.title,
        overview: shape.overview,
        prerequisites: extra.prerequisites,
        level: shape.level,
        tags: shape.tags,
        phases: shape.phases.map((phase, p) => ({
          id: phaseIds[p]!,
          title: phase.title,
          sequential: phase.sequential,
          dependsOn: extra.phases[p]!.dependsOn,
          resources: phase.resources.map((r, i) => ({
            id: ids[p]![i]!,
            title: r.title,
            kind: r.kind,
            url: r.url,
            durationMinutes: r.durationMinutes,
            focus: r.focus,
            dependsOn: extra.phases[p]!.resources[i]!.dependsOn,
            next: extra.phases[p]!.resources[i]!.next,
          })),
        })),
        additionalResources: extra.additionalResources,
        supplementaryVideos: extra.supplementaryVideos,
        checklist: extra.checklist,
        notes: shape.notes,
      };
      return compilePath(document);
    });
  });

const MARKDOWN_LINES = [
  '# Title',
  '## Overview',
  '## Learning Path',
  '## Completion Checklist',
  '## Supplementary Videos',
  '## Additional Resources',
  '## Prerequisites',
  '## Notes',
  '## Unknown',
  '### Phase 1: Foundations',
  '### Phase 2 Basics',
  '### Phase x',
  '**Resources to consume in order:**',
  '1. **Batch Processing** — [Article]',
  '2. [**Linked**](https://example.com) – [Video]',
  '1. **No kind**',
  '1. Plain — [Unknown]',
  '   - Duration: 35 minutes',
  '   - Duration: forever',
  '   - Duration: [Duration]',
  '   - Focus: *something*',
  '   - Next step: Move to resource 2',
  '   - Next step: Move to Phase 9',
  '   - Dependencies: Complete Phase 1 and Phase 2',
  '   - Dependencies: Complete resource 1, resource 3 and path `other`',
  '   - Dependencies: whatever this is',
  '   - URL: https://example.com',
  '   - URL: not a url',
  '   - Id: `custom-id`',
  '   - Colour: blue',
  '- [ ] Phase 1 completed',
  '- [x] Supplementary reviewed',
  '- Title — [URL/Link description]',
  '- Video — 10:42 — Channel',
  '- Video — [Duration] — [Channel/Source]',
  'Dependencies: Complete Phase 1',
  'A paragraph of text.',
  '---',
  'slug: Bad Slug',
  'tags: [a, B]',
  'phases: {1: x}',
  '```',
  '> quote',
  '<!-- comment -->',
  '<div>',
  '',
  '',
  '   ',
  '\t- tabbed',
  '[ref]: https://example.com',
];

/** A Markdown-like document: lines of the format's vocabulary in random order, with noise. */
export const markdownLikeArbitrary: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...MARKDOWN_LINES) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }), { maxLength: 60 }),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([lines, end]) => lines.join(end));
