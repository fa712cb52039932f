import { BoundedCache } from '../http/bounded-cache.js';
import type { Postings, WordLookup, WordMatches } from './postings.js';
import { fuzzinessOf, queryWords } from './terms.js';

// Words repeat across queries far more than queries do ("kafka", "kafka streams", "kafka
// consumers"): each word's matches are kept (those of a word with no prefix or typo match are
// slices of the postings and cost nothing to keep), within a bound of matches held.
const WORDS_BUDGET = 8_000_000;
// A page within this many ranks is selected with a heap; deeper pages rank every match.
const HEAP_LIMIT = 1024;

// Every word is also a prefix from 2 letters, as a person types ("stre proc" finds "Stream
// Processing"). One edit is looked for first ("events" finds "event"); two edits cost several
// times one over a large vocabulary, so they are looked for when the words find nothing
// within one, which is when a worse typo is likely ("kafak").
const nearLookup = (word: string): WordLookup => ({ prefix: word.length >= 2, maxEdits: Math.min(1, fuzzinessOf(word)) });
const farLookup = (word: string): WordLookup => ({ prefix: word.length >= 2, maxEdits: fuzzinessOf(word) });

/** The first matches of a search in rank order, and how many there are in all. */
export interface Found {
  readonly total: number;
  /** Positions, most relevant first; at most the number asked for. */
  readonly positions: Int32Array;
}

/** A set of matches by ascending position: the first `count` of `ids` and `scores`. */
interface Candidates {
  readonly ids: Int32Array;
  readonly scores: Float32Array | Float64Array;
  readonly count: number;
}

const NONE: Candidates = { ids: new Int32Array(0), scores: new Float64Array(0), count: 0 };

/**
 * The search of one set of documents: the documents matching every word of a query (as typed,
 * as a prefix or a near miss of it), ranked by relevance (BM25+, as MiniSearch ranks the query
 * with AND; ties by position). A query intersects its words' matches in scratch space and
 * selects the ranks a page needs, so a search allocates about what it returns.
 */
export class RankedResults {
  readonly #postings: Postings;
  readonly #words = new BoundedCache<WordMatches>(WORDS_BUDGET, (matches) => (matches.scores instanceof Float32Array ? 0 : matches.ids.length * 3));
  #scratch: { ids: Int32Array; scores: Float64Array } | undefined;

  constructor(postings: Postings) {
    this.#postings = postings;
  }

  /** The first `limit` matches of `q` that `keep` keeps (every match without it), most relevant first, and how many it keeps in all. */
  find(q: string, limit: number, keep?: (position: number) => boolean): Found {
    const { ids, scores, count } = this.#candidates(q);
    if (limit <= HEAP_LIMIT) return selectTop(ids, scores, count, limit, keep);
    let kept: Candidates = { ids, scores, count };
    if (keep !== undefined) {
      const keptIds = new Int32Array(count);
      const keptScores = new Float64Array(count);
      let n = 0;
      for (let k = 0; k < count; k++) {
        if (!keep(ids[k]!)) continue;
        keptIds[n] = ids[k]!;
        keptScores[n++] = scores[k]!;
      }
      kept = { ids: keptIds, scores: keptScores, count: n };
    }
    const ranked = rank({ ids: kept.ids.subarray(0, kept.count), scores: kept.scores.subarray(0, kept.count) });
    return { total: kept.count, positions: ranked.subarray(0, Math.min(limit, ranked.length)) };
  }

  /** Every position matching `q`, in ascending order. */
  matching(q: string): Int32Array {
    const { ids, count } = this.#candidates(q);
    return ids.slice(0, count);
  }

  // The matches of every word of a query; those of an intersection live in scratch space until the next query.
  #candidates(q: string): Candidates {
    const words = queryWords(q);
    if (words.length === 0) return NONE;
    const near = this.#all(words, false);
    return near.count > 0 ? near : this.#all(words, true);
  }

  // The documents matching every word, each scored with the sum of its words' scores, added in
  // the order of the words as MiniSearch does.
  #all(words: readonly string[], far: boolean): Candidates {
    const first = this.#word(words[0]!, far);
    let matches: Candidates = { ...first, count: first.ids.length };
    for (let i = 1; i < words.length && matches.count > 0; i++) {
      const scratch = (this.#scratch ??= { ids: new Int32Array(this.#postings.documents), scores: new Float64Array(this.#postings.documents) });
      const count = intersectInto(matches, this.#word(words[i]!, far), scratch.ids, scratch.scores);
      matches = { ids: scratch.ids, scores: scratch.scores, count };
    }
    return matches;
  }

  #word(word: string, far: boolean): WordMatches {
    return this.#words.getOrMake(`${far ? 'far' : 'near'}\u0000${word}`, () => this.#postings.match(word, far ? farLookup(word) : nearLookup(word)));
  }
}

/**
 * Writes the ids in both `a` and `b`, with the sum of their scores, to `ids` and `scores`;
 * returns how many. The output may be `a`'s own arrays: it is never written ahead of reading.
 */
export function intersectInto(a: Candidates, b: WordMatches, ids: Int32Array, scores: Float64Array): number {
  let n = 0;
  let i = 0;
  let j = 0;
  const aIds = a.ids;
  const bIds = b.ids;
  const aScores = a.scores;
  const bScores = b.scores;
  // Lists of like sizes are merged step by step; a short one gallops through a long one.
  if (a.count < 8 * bIds.length && bIds.length < 8 * a.count) {
    while (i < a.count && j < bIds.length) {
      const x = aIds[i]!;
      const y = bIds[j]!;
      if (x < y) i++;
      else if (y < x) j++;
      else {
        const score = aScores[i++]! + bScores[j++]!;
        ids[n] = x;
        scores[n++] = score;
      }
    }
    return n;
  }
  while (i < a.count && j < bIds.length) {
    const x = aIds[i]!;
    const y = bIds[j]!;
    if (x < y) i = skipTo(aIds, i + 1, y, a.count);
    else if (y < x) j = skipTo(bIds, j + 1, x, bIds.length);
    else {
      const score = aScores[i++]! + bScores[j++]!;
      ids[n] = x;
      scores[n++] = score;
    }
  }
  return n;
}

/** The documents in both, each with the sum of its two scores. */
export function intersect(a: WordMatches, b: WordMatches): WordMatches {
  const size = Math.min(a.ids.length, b.ids.length);
  const ids = new Int32Array(size);
  const scores = new Float64Array(size);
  const n = intersectInto({ ...a, count: a.ids.length }, b, ids, scores);
  return { ids: ids.slice(0, n), scores: scores.slice(0, n) };
}

/**
 * The `limit` best of the first `count` candidates that `keep` keeps (score descending, then
 * position), with how many it keeps: one pass with a heap of the best so far, holding its worst
 * at the root. Candidates come by ascending position, so one scoring the same as the root ranks
 * after it and is passed over without asking `keep`.
 */
export function selectTop(ids: Int32Array, scores: Float32Array | Float64Array, count: number, limit: number, keep?: (position: number) => boolean): Found {
  const heapIds = new Int32Array(Math.min(limit, count));
  const heapScores = new Float64Array(heapIds.length);
  const capacity = heapIds.length;
  let size = 0;
  let total = 0;
  for (let k = 0; k < count; k++) {
    const id = ids[k]!;
    const score = scores[k]!;
    if (keep !== undefined) {
      if (!keep(id)) continue;
      total++;
    }
    if (size < capacity) {
      // Sift up: a parent is worse than its children (lower score, or the same and a later position).
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(score, id, heapScores[parent]!, heapIds[parent]!)) break;
        heapIds[at] = heapIds[parent]!;
        heapScores[at] = heapScores[parent]!;
        at = parent;
      }
      heapIds[at] = id;
      heapScores[at] = score;
    } else if (capacity > 0 && score > heapScores[0]!) {
      let at = 0;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        if (child + 1 < size && worse(heapScores[child + 1]!, heapIds[child + 1]!, heapScores[child]!, heapIds[child]!)) child++;
        if (!worse(heapScores[child]!, heapIds[child]!, score, id)) break;
        heapIds[at] = heapIds[child]!;
        heapScores[at] = heapScores[child]!;
        at = child;
      }
      heapIds[at] = id;
      heapScores[at] = score;
    }
  }
  const order = Array.from({ length: size }, (_, k) => k);
  order.sort((x, y) => heapScores[y]! - heapScores[x]! || heapIds[x]! - heapIds[y]!);
  return { total: keep === undefined ? count : total, positions: Int32Array.from(order, (k) => heapIds[k]!) };
}

// Whether (score a, id a) ranks after (score b, id b).
const worse = (scoreA: number, idA: number, scoreB: number, idB: number): boolean => scoreA < scoreB || (scoreA === scoreB && idA > idB);

// The first index from `from` whose id is at least `target`: a galloping search, so that
// intersecting a rare word with a common one costs the rare word's length times a logarithm.
function skipTo(ids: Int32Array, from: number, target: number, length: number): number {
  let step = 1;
  let low = from;
  let high = from;
  while (high < length && ids[high]! < target) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > length) high = length;
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
