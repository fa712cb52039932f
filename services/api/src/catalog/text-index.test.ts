import fc from 'fast-check';
import MiniSearch, { type SearchOptions } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { DocSet } from './doc-set.js';
import { PostingsBuilder } from './postings.js';
import { intersect, rank, RankedResults, selectTop } from './ranked-results.js';
import { foldTerm, fuzzinessOf } from './terms.js';

// The index scores from its own postings: it must find what MiniSearch finds for the same
// query with AND (words as typed, as prefixes from 2 letters, within one edit, and within two
// when one finds nothing) and rank it the same way. Its scores are MiniSearch's formula, kept
// as 32-bit floats per word and document (and summed into 32-bit floats), so two documents whose MiniSearch scores differ by
// less than a millionth may come in either order; on the fixture catalog the order is exact.

const NEAR: SearchOptions = { combineWith: 'AND', prefix: (term) => term.length >= 2, fuzzy: (term) => Math.min(1, fuzzinessOf(term)), maxFuzzy: 1 };
const FAR: SearchOptions = { ...NEAR, fuzzy: fuzzinessOf, maxFuzzy: 2 };

interface Fixture {
  readonly fields: readonly string[];
  readonly boosts: readonly number[];
  readonly docs: readonly (readonly string[])[];
}

function miniSearchOf({ fields, docs }: Fixture): MiniSearch {
  const index = new MiniSearch({ fields: [...fields], storeFields: [], processTerm: (term) => foldTerm(term) || null });
  docs.forEach((texts, id) => index.add({ id, ...Object.fromEntries(fields.map((f, i) => [f, texts[i]])) }));
  return index;
}

/** MiniSearch's results for `q`, most relevant first (ties by position), with their scores. */
function reference(index: MiniSearch, { fields, boosts }: Fixture, q: string): { id: number; score: number }[] {
  const boost = Object.fromEntries(fields.map((f, i) => [f, boosts[i]!]));
  let results = index.search(q, { ...NEAR, boost });
  if (results.length === 0) results = index.search(q, { ...FAR, boost });
  return results.map((r) => ({ id: r.id as number, score: r.score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/**
 * Every match of `q` in rank order; checks on the way that a first page (selected with a heap)
 * has the same first ranks as the whole list (ranked with a sort), and that both are kept.
 */
function ranksOf(results: RankedResults, q: string): number[] {
  const page = results.find(q, 3);
  const all = results.find(q, Number.MAX_SAFE_INTEGER);
  expect(page.total, q).toBe(all.total);
  expect([...page.positions], q).toEqual([...all.positions.subarray(0, 3)]);
  expect([...results.find(q, 2).positions], q).toEqual([...all.positions.subarray(0, 2)]);
  expect([...results.find(q, Number.MAX_SAFE_INTEGER).positions], q).toEqual([...all.positions]);
  return [...all.positions];
}

function rankedPostings({ boosts, docs }: Pick<Fixture, 'boosts' | 'docs'>) {
  const builder = new PostingsBuilder(boosts);
  for (const texts of docs) builder.add(texts);
  return builder.finish();
}

function rankedOf(fixture: Pick<Fixture, 'boosts' | 'docs'>): RankedResults {
  return new RankedResults(rankedPostings(fixture));
}

const TITLES = [
  'Stream Processing with Kafka',
  'Kafka Streams in Practice',
  'Batch Processing at Scale',
  'Données et réseaux: sécurité',
  'Processing Pipelines and Streaming Joins',
  'Streams, Windows and Watermarks',
  'SQL Window Functions',
  'Kafka Consumers and Partitions',
  'Stream Joins',
  'Processing Streams of Events',
];
const OVERVIEWS = ['Events as they arrive.', 'Brokers, partitions and stream processing.', 'Warehouses and batch loads.', 'Publier des données.', 'Joins over windows of events.'];
const FIXTURE: Fixture = { fields: ['title', 'overview'], boosts: [4, 2], docs: TITLES.map((title, id) => [title, OVERVIEWS[id % OVERVIEWS.length]!]) };
const WORDS = ['stream', 'streams', 'strem', 'proc', 'processing', 'kafka', 'kafak', 'joins', 'donnees', 'securite', 'windows', 'window', 'events', 'pa', 'zebra', 'sql'];

describe('RankedResults', () => {
  const index = miniSearchOf(FIXTURE);

  it('ranks every query of one to three words exactly as MiniSearch does with AND on the fixture', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }), (words) => {
        const q = words.join(' ');
        expect(ranksOf(rankedOf(FIXTURE), q), q).toEqual(reference(index, FIXTURE, q).map((r) => r.id));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same ranking for a query whose words were seen in other queries first', () => {
    const ranked = rankedOf(FIXTURE);
    ranksOf(ranked, 'stream');
    ranksOf(ranked, 'kafka joins');
    expect(ranksOf(ranked, 'stream kafka')).toEqual(reference(index, FIXTURE, 'stream kafka').map((r) => r.id));
    expect(ranksOf(ranked, 'kafak streams')).toEqual(reference(index, FIXTURE, 'kafak streams').map((r) => r.id));
    expect(ranksOf(ranked, '  ,  ')).toEqual([]);
  });

  // Random catalogs from a small vocabulary (shared prefixes, words one or two edits apart,
  // accents, numbers, repeated words): many words merge per query word, in both ways the
  // postings merge (few documents touched, and most of them).
  const VOCABULARY = ['stream', 'streams', 'streaming', 'strema', 'kafka', 'kafkas', 'café', 'cafe', 'données', 'donne', 'proc', 'process', 'processing', 'procès', 'pa', 'path', 'paths', 'pattern', '2024', '2025', '12', 'sql', 'sq', 'window', 'windows', 'widow', 'join', 'joins', 'joint'];
  const text = fc.array(fc.constantFrom(...VOCABULARY), { minLength: 0, maxLength: 8 }).map((words) => words.join(' '));
  const catalog = fc.record({
    docs: fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 60 }),
    filler: fc.nat({ max: 400 }),
  });
  const query = fc.array(fc.constantFrom(...VOCABULARY, 'strem', 'kafak', 'donnes', 'proce', 'wind', 'x', 'joi', '202'), { minLength: 1, maxLength: 3 }).map((words) => words.join(' '));

  it('finds what MiniSearch finds on random catalogs and ranks it the same, up to a millionth of a score', () => {
    fc.assert(
      fc.property(catalog, fc.array(query, { minLength: 1, maxLength: 5 }), ({ docs, filler }, queries) => {
        // Documents without any word of the vocabulary make the matches few among many.
        const fixture: Fixture = { fields: ['title', 'overview', 'resources'], boosts: [4, 2, 1], docs: [...docs, ...Array.from({ length: filler }, (_, i) => [`other ${i}`, 'nothing', ''] as const)] };
        const index = miniSearchOf(fixture);
        const ranked = rankedOf(fixture);
        for (const q of queries) {
          const expected = reference(index, fixture, q);
          const actual = ranksOf(ranked, q);
          expect(new Set(actual), q).toEqual(new Set(expected.map((r) => r.id)));
          const scoreOf = new Map(expected.map((r) => [r.id, r.score]));
          for (let k = 1; k < actual.length; k++) {
            const before = scoreOf.get(actual[k - 1]!)!;
            const after = scoreOf.get(actual[k]!)!;
            expect(before >= after * (1 - 1e-6), `${q}: ${actual[k - 1]} (${before}) before ${actual[k]} (${after})`).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('RankedResults with two words in many documents', () => {
  // The first ranks of such a query are read from the shorter list in score order, stopping
  // once nothing left can rank among them: every page size must give the first ranks of the
  // whole ranking, whatever the scores (field, repetitions, lengths) and ties.
  const field = fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'filler', 'more', 'words'), { maxLength: 6 }).map((w) => w.join(' '));
  it('gives every page size the first ranks of the whole ranking', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(field, field), { minLength: 20, maxLength: 300 }), fc.constantFrom('alpha beta', 'beta gamma', 'gamma alpha', 'alpha filler'), (docs, q) => {
        const ranked = rankedOf({ boosts: [4, 2], docs });
        const all = ranked.find(q, Number.MAX_SAFE_INTEGER);
        for (const limit of [1, 2, 5, 10, 20]) {
          // A fresh index each time: a page is not served from the first ranks kept of another.
          const page = rankedOf({ boosts: [4, 2], docs }).find(q, limit);
          expect(page.total, `${q} limit ${limit}`).toBe(all.total);
          expect([...page.positions], `${q} limit ${limit}`).toEqual([...all.positions.subarray(0, limit)]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('RankedResults numbering documents in groups (resources kind by kind)', () => {
  // The resource index numbers documents kind by kind, so that a search of one kind reads a
  // slice of each word's matches. Whatever the numbering, a search must give what an index
  // numbered by position gives: the same ranks (ties by position), the same totals, and within
  // a kind's range the matches of that kind, in every path (two long words, the general one,
  // deep pages, typos) and for every page size.
  const field = fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'gammon', 'filler', 'more', 'words'), { maxLength: 6 }).map((w) => w.join(' '));
  it('ranks as the index numbered by position, and keeps a range to its group', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(field, field, fc.nat({ max: 3 })), { minLength: 20, maxLength: 300 }),
        // "gamme" is one edit from "gamma" and two from "gammon": a group with "gammon" and no
        // "gamma" must find nothing, as the whole index finds "gamma" within one edit.
        fc.constantFrom('alpha beta', 'beta gamma', 'gamma alpha', 'alpha filler', 'alpha', 'alpha beta gamma', 'alpah', 'alpah betta', 'gamme', 'gamme words'),
        fc.nat({ max: 4 }),
        (rows, q, group) => {
          const docs = rows.map(([a, b]) => [a, b] as const);
          const groups = rows.map(([, , g]) => g);
          // Positions group by group, in position order within a group, and each group's range.
          const order = Int32Array.from([...groups.keys()].sort((x, y) => groups[x]! - groups[y]! || x - y));
          const from = groups.filter((g) => g < group).length;
          const range = { from, to: from + groups.filter((g) => g === group).length };
          const grouped = () => new RankedResults(rankedPostings({ boosts: [4, 2], docs: [...order].map((position) => docs[position]!) }), order);
          const whole = [...rankedOf({ boosts: [4, 2], docs }).find(q, Number.MAX_SAFE_INTEGER).positions];
          const inGroup = whole.filter((position) => groups[position] === group);
          const even = whole.filter((position) => position % 2 === 0);
          for (const limit of [1, 2, 5, 10, 20, 2000]) {
            // A fresh index each time: a page is not served from the first ranks kept of another.
            const all = grouped().find(q, limit);
            expect(all.total, `${q} limit ${limit}`).toBe(whole.length);
            expect([...all.positions], `${q} limit ${limit}`).toEqual(whole.slice(0, limit));
            const one = grouped().find(q, limit, range);
            expect(one.total, `${q} group ${group} limit ${limit}`).toBe(inGroup.length);
            expect([...one.positions], `${q} group ${group} limit ${limit}`).toEqual(inGroup.slice(0, limit));
            const tested = grouped().find(q, limit, (position) => position % 2 === 0);
            expect(tested.total, `${q} even limit ${limit}`).toBe(even.length);
            expect([...tested.positions], `${q} even limit ${limit}`).toEqual(even.slice(0, limit));
          }
          expect([...grouped().matching(q)]).toEqual([...whole].sort((a, b) => a - b));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('rank', () => {
  it('orders by descending score, ties by ascending id, for short and long lists', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 1000 })), { maxLength: 400 }), (pairs) => {
        // Ids unique and sorted; scores drawn from few values so that ties are common, and near ones.
        const ids = Int32Array.from(pairs, (_, i) => i * 3);
        const scores = Float32Array.from(pairs, ([bucket, fraction], i) => (i % 3 === 0 ? bucket : bucket + fraction / 1024));
        const expected = Array.from(ids.keys())
          .sort((x, y) => scores[y]! - scores[x]! || x - y)
          .map((k) => ids[k]!);
        expect([...rank({ ids, scores })]).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('selectTop', () => {
  it('selects the first ranks of the kept candidates and counts them all', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 20 }), { maxLength: 300 }), fc.nat({ max: 40 }), fc.nat({ max: 3 }), (buckets, limit, modulo) => {
        const ids = Int32Array.from(buckets, (_, i) => i * 2 + 1);
        const scores = Float32Array.from(buckets, (b) => b + 0.5);
        const keep = modulo === 0 ? undefined : (id: number): boolean => id % (modulo + 1) !== 0;
        const kept = Array.from(ids.keys()).filter((k) => keep === undefined || keep(ids[k]!));
        const expected = kept.sort((x, y) => scores[y]! - scores[x]! || x - y).map((k) => ids[k]!);
        const found = selectTop(ids, scores, ids.length, limit, keep);
        expect(found.total).toBe(expected.length);
        expect([...found.positions]).toEqual(expected.slice(0, limit));
      }),
      { numRuns: 300 },
    );
  });
});

describe('intersect', () => {
  it('keeps the ids in both, with the sum of their weighted scores, whatever the sizes', () => {
    // Sizes from alike to far apart: both ways of intersecting (marking one list, galloping).
    const sortedIds = fc.uniqueArray(fc.nat({ max: 2000 }), { maxLength: 600 }).map((ids) => Int32Array.from(ids.sort((a, b) => a - b)));
    fc.assert(
      fc.property(sortedIds, sortedIds, (a, b) => {
        const left = { ids: a, scores: Float32Array.from(a, (id) => id / 7), weight: 1 };
        const right = { ids: b, scores: Float32Array.from(b, (id) => id / 11), weight: 0.5 };
        const both = intersect(left, right);
        const inB = new Set(b);
        const expected = [...a].filter((id) => inB.has(id));
        expect([...both.ids]).toEqual(expected);
        expect([...both.scores]).toEqual(expected.map((id) => Math.fround(Math.fround(id / 7) + 0.5 * Math.fround(id / 11))));
      }),
      { numRuns: 200 },
    );
  });
});

describe('DocSet', () => {
  it('gives the index of every document of the list, and -1 for every other', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 300 }), { maxLength: 300 }), fc.nat({ max: 40 }), (list, extra) => {
        const ids = Int32Array.from(list.sort((a, b) => a - b));
        const documents = (list.at(-1) ?? 0) + 1 + extra;
        const set = new DocSet(ids, ids.length, documents);
        for (let id = 0; id < documents; id++) expect(set.slotOf(id), `document ${id}`).toBe(ids.indexOf(id));
      }),
      { numRuns: 200 },
    );
  });
});

describe('PostingsBuilder', () => {
  it('folds accents and case, and finds nothing for a word no document has', () => {
    const builder = new PostingsBuilder([1]);
    builder.add(['Données Réseaux']);
    builder.add(['DONNEES']);
    builder.add(['']);
    const ranked = new RankedResults(builder.finish());
    expect(ranksOf(ranked, 'donnees').sort()).toEqual([0, 1]);
    expect(ranksOf(ranked, 'RÉSEAUX')).toEqual([0]);
    expect(ranksOf(ranked, 'zebra')).toEqual([]);
  });

  it('seals in slices to the same postings as at once', () => {
    const docs = Array.from({ length: 3000 }, (_, i) => [`Stream ${i % 7 === 0 ? 'kafka' : 'batch'} ${i}`, `word${i % 1500} more`]);
    const atOnce = new PostingsBuilder([3, 1]);
    const inSlices = new PostingsBuilder([3, 1]);
    for (const texts of docs) {
      atOnce.add(texts);
      inSlices.add(texts);
    }
    let slices = 1;
    let sealed = inSlices.seal(0);
    while (sealed === null) {
      sealed = inSlices.seal(0);
      slices++;
    }
    expect(slices).toBeGreaterThan(2);
    const expected = new RankedResults(atOnce.finish());
    const actual = new RankedResults(sealed);
    for (const q of ['stream', 'kafka', 'kafka 21', 'word12', 'wrd14 more', 'batch 2999']) expect(ranksOf(actual, q), q).toEqual(ranksOf(expected, q));
  });

  it('answers a catalog with no documents', () => {
    expect(ranksOf(new RankedResults(new PostingsBuilder([2, 1]).finish()), 'kafka')).toEqual([]);
  });
});
