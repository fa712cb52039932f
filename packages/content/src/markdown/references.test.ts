import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceIndex, normalizeTitle, resolveReference, titleWords, tokenizeReference } from './references.js';

const index = new ReferenceIndex({
  phases: [
    { id: 'basics', title: 'Phase Basics', resources: [{ id: 'cafe', title: 'Café Systems: Über-Design' }, { id: 'kafka', title: 'Kafka — The (Definitive) Guide' }] },
    { id: 'more', title: 'İstanbul Notes', resources: [{ id: 'intro', title: 'Intro' }] },
  ],
});
const read = (text: string, mode: 'next' | 'dependency' = 'dependency') => resolveReference(tokenizeReference([{ kind: 'text', text }]), { phaseIndex: 0, mode }, index);

describe('reference phrases by title', () => {
  it('reads titles in any case, with punctuation and accents, as runs of words', () => {
    expect(read('Complete café systems über design').refs).toEqual([{ resource: 'cafe' }]);
    expect(read('Complete "Café Systems: Über-Design" and kafka the definitive guide').refs).toEqual([{ resource: 'cafe' }, { resource: 'kafka' }]);
    expect(read('Read İSTANBUL NOTES').refs).toEqual([{ phase: 'more' }]);
    expect(index.byTitle('KAFKA: the definitive GUIDE!')).toEqual({ resource: 'kafka' });
  });

  it('reads words that only start like a title as nothing', () => {
    const { refs, problems } = read('Complete café society');
    expect(refs).toEqual([]);
    expect(problems[0]!.code).toBe('LP206');
  });

  it('reads "none" and its kin as no reference, and only those', () => {
    for (const phrase of ['None', 'n/a', 'No dependencies.', '—']) expect(read(phrase)).toEqual({ refs: [], problems: [] });
    expect(read('none of them').problems[0]!.code).toBe('LP206');
  });

  it('strips quotes and punctuation around words, and keeps separators', () => {
    expect(tokenizeReference([{ kind: 'text', text: '"Phase 1", (resource 2); intro.' }])).toEqual([
      { t: 'word', v: 'Phase' },
      { t: 'word', v: '1' },
      { t: 'sep', v: ',' },
      { t: 'word', v: 'resource' },
      { t: 'word', v: '2' },
      { t: 'sep', v: ';' },
      { t: 'word', v: 'intro' },
    ]);
  });

  it('reads a title that is also a filler word as the filler when more than a separator follows it', () => {
    const fillers = new ReferenceIndex({
      phases: [
        { id: 'to', title: 'To', resources: [{ id: 'review', title: 'Review' }] },
        { id: 'later', title: 'Later', resources: [{ id: 'other', title: 'Other' }] },
      ],
    });
    const readIn = (text: string, mode: 'next' | 'dependency') => resolveReference(tokenizeReference([{ kind: 'text', text }]), { phaseIndex: 1, mode }, fillers);
    expect(readIn('Move to Phase 1', 'next')).toEqual({ refs: [{ phase: 'to' }], problems: [] });
    expect(readIn('Review resource 1 of Phase 1', 'dependency')).toEqual({ refs: [{ resource: 'review' }], problems: [] });
    // Alone, or before a separator, the word is the title.
    expect(readIn('Move to', 'next')).toEqual({ refs: [{ phase: 'to' }], problems: [] });
    expect(readIn('Complete review and Phase 1', 'dependency')).toEqual({ refs: [{ resource: 'review' }, { phase: 'to' }], problems: [] });
  });
});

describe('titleWords', () => {
  it("gives the first word and the word count of the normalised title, for any text", () => {
    const expected = (title: string) => {
      const normal = normalizeTitle(title);
      return normal === '' ? null : { first: normal.split(' ')[0], count: normal.split(' ').length };
    };
    for (const title of ['Café Systems: Über-Design', 'İstanbul Notes', '  --  ', 'a', 'Kafka — The (Definitive) Guide', 'x1 2y', '日本語 の ガイド']) {
      expect(titleWords(title)).toEqual(expected(title));
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[A-Za-z0-9 .,:()-]{0,40}$/)), (title) => {
        expect(titleWords(title)).toEqual(expected(title));
      }),
      { numRuns: 2000 },
    );
  });
});
