import { BoundedCache } from '../http/bounded-cache.js';
import type { Postings, WordLookup, WordMatches } from './postings.js';
import { fuzzinessOf, normalizeQuery, queryWords } from './terms.js';

// Queries of one content version repeat (pages of one search, popular words): their ranked
// positions are kept, least recently used first out, within a bound of positions held.
const RESULTS_BUDGET = 4_000_000;
// Words repeat across queries far more than queries do ("kafka", "kafka streams", "kafka
// consumers"): each word's matches are kept too (those of a word with no prefix or typo
// match are slices of the postings, which cost nothing to keep).
const WORDS_BUDGET = 8_000_000;

// Every word is also a prefix from 2 letters, as a person types ("stre proc" finds "Stream
// Processing"). One edit is looked for first ("events" finds "event"); two edits cost several
// times one over a large vocabulary, so they are looked for when the words find nothing
// within one, which is when a worse typo is likely ("kafak").
const nearLookup = (word: string): WordLookup => ({ prefix: word.length >= 2, maxEdits: Math.min(1, fuzzinessOf(word)) });
const farLookup = (word: string): WordLookup => ({ prefix: word.length >= 2, maxEdits: fuzzinessOf(word) });

/** Ranked positions of the documents matching a query, most relevant first. */
export class RankedResults {
  readonly #postings: Postings;
  readonly #queries = new BoundedCache<Int32Array>(RESULTS_BUDGET, (positions) => positions.length);
  readonly #words = new BoundedCache<WordMatches>(WORDS_BUDGET, (matches) => (matches.scores instanceof Float32Array ? 0 : matches.ids.length * 3));

  constructor(postings: Postings) {
    this.#postings = postings;
  }

  /**
   * Positions matching every word of `q` (as typed, as a prefix or a near miss of it), most
   * relevant first (BM25+, as MiniSearch ranks the query with AND); ties by position.
   */
  search(q: string): Int32Array {
    return this.#queries.getOrMake(normalizeQuery(q), () => {
      const words = queryWords(q);
      if (words.length === 0) return new Int32Array(0);
      const near = this.#all(words, false);
      return near.ids.length > 0 ? rank(near) : rank(this.#all(words, true));
    });
  }

  // The documents matching every word, each scored with the sum of its words' scores, added in
  // the order of the words as MiniSearch does.
  #all(words: readonly string[], far: boolean): WordMatches {
    let matches = this.#word(words[0]!, far);
    for (let i = 1; i < words.length && matches.ids.length > 0; i++) matches = intersect(matches, this.#word(words[i]!, far));
    return matches;
  }

  #word(word: string, far: boolean): WordMatches {
    return this.#words.getOrMake(`${far ? 'far' : 'near'}\u0000${word}`, () => this.#postings.match(word, far ? farLookup(word) : nearLookup(word)));
  }
}

/** The documents in both, each with the sum of its two scores. */
export function intersect(a: WordMatches, b: WordMatches): WordMatches {
  const size = Math.min(a.ids.length, b.ids.length);
  const ids = new Int32Array(size);
  const scores = new Float64Array(size);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x < y) i = skipTo(a.ids, i + 1, y);
    else if (y < x) j = skipTo(b.ids, j + 1, x);
    else {
      ids[n] = x;
      scores[n++] = a.scores[i++]! + b.scores[j++]!;
    }
  }
  return { ids: ids.slice(0, n), scores: scores.slice(0, n) };
}

// The first index from `from` whose id is at least `target`: a galloping search, so that
// intersecting a rare word with a common one costs the rare word's length times a logarithm.
function skipTo(ids: Int32Array, from: number, target: number): number {
  let step = 1;
  let low = from;
  let high = from;
  while (high < ids.length && ids[high]! < target) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > ids.length) high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ids[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

const scoreBits = new Float32Array(1);
const scoreBitsAsInt = new Uint32Array(scoreBits.buffer);

/**
 * The ids by descending score, ties by ascending id (the ids come sorted). A stable radix sort
 * on the score rounded to 32 bits (three passes of 11 bits), then runs of equal rounded scores
 * ordered by the exact score: sorting 100,000 matches costs about a millisecond, where a sort
 * with a comparison function costs tens.
 */
export function rank(matches: WordMatches): Int32Array {
  const { ids, scores } = matches;
  const n = ids.length;
  if (n < 64) {
    const order = Array.from(ids.keys());
    order.sort((x, y) => scores[y]! - scores[x]! || x - y);
    return Int32Array.from(order, (k) => ids[k]!);
  }
  // Keys ascending = scores descending: positive floats order as their bits do.
  let keys = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    scoreBits[0] = scores[k]!;
    keys[k] = 0xffffffff - scoreBitsAsInt[0]!;
  }
  let order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  let nextKeys = new Uint32Array(n);
  let nextOrder = new Int32Array(n);
  const counts = new Int32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[(keys[k]! >>> shift) & 2047]!++;
    for (let d = 0, sum = 0; d < 2048; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const at = counts[(keys[k]! >>> shift) & 2047]!++;
      nextKeys[at] = keys[k]!;
      nextOrder[at] = order[k]!;
    }
    [keys, nextKeys] = [nextKeys, keys];
    [order, nextOrder] = [nextOrder, order];
  }
  // Scores equal once rounded may still differ: a run of them not already in order (the sort
  // is stable, so equal scores are by id) is sorted exactly.
  for (let start = 0; start < n; ) {
    let end = start + 1;
    let ordered = true;
    while (end < n && keys[end] === keys[start]) {
      if (scores[order[end]!]! > scores[order[end - 1]!]!) ordered = false;
      end++;
    }
    if (!ordered) {
      const run = Array.from(order.subarray(start, end));
      run.sort((x, y) => scores[y]! - scores[x]! || x - y);
      order.set(run, start);
    }
    start = end;
  }
  const ranked = new Int32Array(n);
  for (let k = 0; k < n; k++) ranked[k] = ids[order[k]!]!;
  return ranked;
}
