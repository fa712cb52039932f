import { BoundedCache } from '../http/bounded-cache.js';
import { DocSet, worthADocSet } from './doc-set.js';
import type { Postings, ScoredIds, WordLookup, WordMatches } from './postings.js';
import { fuzzinessOf, normalizeQuery, queryWords } from './terms.js';

// Words repeat across queries far more than queries do ("kafka", "kafka streams", "kafka
// consumers"): each word's matches are kept (those of a word with no prefix or typo match are
// slices of the postings and cost nothing to keep), within a bound of matches held (8 bytes each).
const WORDS_BUDGET = 16_000_000;
// The first ranks of recent searches without filters (repeated as people page, and by clients
// with no cache of their own), within a bound of positions held.
const FOUND_BUDGET = 2_000_000;
// Bitmaps of long lists of matches, probed by intersections (see DocSet), within a bound of bytes held.
const SETS_BUDGET = 64 * 1024 * 1024;
// The matches of long lists in descending score order, for searches of two words, within a bound of bytes held.
const ORDERS_BUDGET = 64 * 1024 * 1024;
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

/**
 * Documents numbered `from` (included) to `to` (excluded) in the index's own numbering: an
 * index may number its documents in another order than their positions, so that a group of
 * them (the resources of one kind) are neighbours, and each word's matches in the group a
 * slice of its list.
 */
export interface IdRange {
  readonly from: number;
  readonly to: number;
}

/** Which matches a search keeps: those a test of their position keeps, or those numbered within a range. */
export type Keep = ((position: number) => boolean) | IdRange;

/** A set of matches by ascending position: the first `count` of `ids`, each scored `weight` times its entry in `scores`. */
interface Candidates extends WordMatches {
  readonly count: number;
}

const NONE: Candidates = { ids: new Int32Array(0), scores: new Float32Array(0), weight: 1, count: 0 };

/** Space for intersecting lists of documents among `size`: the result, and marks of the documents of one list. */
export class Scratch {
  readonly ids: Int32Array;
  readonly scores: Float32Array;
  // A document is marked when its stamp is the current epoch; its slot is its index in the marked list.
  readonly stamps: Int32Array;
  readonly slots: Int32Array;
  epoch = 0;

  constructor(size: number) {
    this.ids = new Int32Array(size);
    this.scores = new Float32Array(size);
    this.stamps = new Int32Array(size);
    this.slots = new Int32Array(size);
  }

  /** A new epoch: every mark is cleared at once. */
  nextEpoch(): number {
    if (this.epoch === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}

/**
 * The search of one set of documents: the documents matching every word of a query (as typed,
 * as a prefix or a near miss of it), ranked by relevance (BM25+, as MiniSearch ranks the query
 * with AND; ties by position). A query intersects its words' matches in scratch space and
 * selects the ranks a page needs, so a search allocates about what it returns.
 */
export class RankedResults {
  readonly #postings: Postings;
  readonly #words = new BoundedCache<WordMatches>(WORDS_BUDGET, (matches) => (isSliceOfPostings(matches) ? 0 : matches.ids.length));
  readonly #found = new BoundedCache<Found>(FOUND_BUDGET, (found) => found.positions.length);
  readonly #sets = new BoundedCache<DocSet>(SETS_BUDGET, (set) => set.bytes);
  readonly #orders = new BoundedCache<Int32Array>(ORDERS_BUDGET, (indexes) => indexes.byteLength);
  readonly #bests = new BoundedCache<number>(1024 * 1024, () => 0);
  // Made with the index, so that no search pays for it.
  readonly #scratch: Scratch;

  // The position of each document, when the index numbers them in another order.
  readonly #positionOf: Int32Array | undefined;

  /** `positionOf`: the position of each document of `postings`, when it is not its number. */
  constructor(postings: Postings, positionOf?: Int32Array) {
    this.#postings = postings;
    this.#scratch = new Scratch(postings.documents);
    this.#positionOf = positionOf;
  }

  /** The first `limit` matches of `q` that `keep` keeps (every match without it), most relevant first, and how many it keeps in all. */
  find(q: string, limit: number, keep?: Keep): Found {
    if (keep !== undefined) return this.#select(q, limit, keep);
    const key = normalizeQuery(q);
    const kept = this.#found.get(key);
    if (kept !== undefined && kept.positions.length >= Math.min(limit, kept.total)) {
      return kept.positions.length <= limit ? kept : { total: kept.total, positions: kept.positions.subarray(0, limit) };
    }
    const found = this.#select(q, limit);
    this.#found.set(key, found);
    return found;
  }

  #select(q: string, limit: number, keep?: Keep): Found {
    const test = typeof keep === 'function' ? keep : undefined;
    const range = typeof keep === 'object' ? keep : undefined;
    if (test === undefined && limit <= HEAP_LIMIT) {
      const found = this.#firstOfTwoLongWords(q, limit, range);
      if (found !== null) return found;
    }
    // A weight common to every match leaves their order as it is.
    const { ids, scores, count } = this.#candidates(q, range);
    const positionOf = this.#positionOf;
    if (limit <= HEAP_LIMIT) return selectTop(ids, scores, count, limit, test, positionOf);
    let kept: ScoredIds = { ids: ids.subarray(0, count), scores: scores.subarray(0, count) };
    if (test !== undefined || positionOf !== undefined) {
      const keptIds = new Int32Array(count);
      const keptScores = new Float32Array(count);
      let n = 0;
      for (let k = 0; k < count; k++) {
        const position = positionOf === undefined ? ids[k]! : positionOf[ids[k]!]!;
        if (test !== undefined && !test(position)) continue;
        keptIds[n] = position;
        keptScores[n++] = scores[k]!;
      }
      kept = { ids: keptIds.subarray(0, n), scores: keptScores.subarray(0, n) };
      // Ties rank by position: `rank` keeps the order it is given among equal scores.
      if (positionOf !== undefined) kept = byPosition(kept);
    }
    const ranked = rank(kept);
    return { total: kept.ids.length, positions: ranked.subarray(0, Math.min(limit, ranked.length)) };
  }

  /** Every position matching `q`, in ascending order. */
  matching(q: string): Int32Array {
    const { ids, count } = this.#candidates(q);
    const positionOf = this.#positionOf;
    return positionOf === undefined ? ids.slice(0, count) : Int32Array.from(ids.subarray(0, count), (id) => positionOf[id]!).sort();
  }

  // The matches of every word of a query; those of an intersection live in scratch space until the next query.
  // Within `range`, when given: near misses with two edits are looked for only when the words
  // find nothing at all with one, in the range or out of it, as for a search without one.
  #candidates(q: string, range?: IdRange): Candidates {
    const words = queryWords(q);
    if (words.length === 0) return NONE;
    const near = this.#all(words, false, range);
    if (near.count > 0) return near;
    if (range !== undefined && this.#all(words, false).count > 0) return NONE;
    return this.#all(words, true, range);
  }

  // The documents matching every word, each scored with the sum of its words' scores, added in
  // the order of the words as MiniSearch does (two at a time; a sum of two is the same either way round).
  // With `range`, each word's matches are its slice in the range; a long list is still probed
  // through the bitmap of the whole list, which gives each match's place in it.
  #all(words: readonly string[], far: boolean, range?: IdRange): Candidates {
    let key: string | null = wordKey(words[0]!, far);
    const whole = this.#word(key, words[0]!, far);
    const first = range === undefined ? whole : within(whole, range);
    let matches: Candidates = { ...first, count: first.ids.length };
    for (let i = 1; i < words.length && matches.count > 0; i++) {
      const scratch = this.#scratch;
      const nextKey = wordKey(words[i]!, far);
      const nextWhole = this.#word(nextKey, words[i]!, far);
      const next = range === undefined ? nextWhole : within(nextWhole, range);
      // The longer list, when it is long, is probed for each match of the shorter.
      const documents = this.#postings.documents;
      let count: number;
      if (next.ids.length >= matches.count && worthADocSet(nextWhole.ids.length, documents)) {
        count = probeInto(matches, nextWhole, this.#setOf(nextKey, nextWhole), scratch);
      } else if (key !== null && matches.count > next.ids.length && worthADocSet(whole.ids.length, documents)) {
        count = probeInto({ ...next, count: next.ids.length }, whole, this.#setOf(key, whole), scratch);
      } else {
        count = intersectInto(matches, next, scratch);
      }
      matches = { ids: scratch.ids, scores: scratch.scores, weight: 1, count };
      key = null;
    }
    return matches;
  }

  /**
   * The first ranks of a query of two words that are each in many documents (the common case
   * of a search in a large catalog), or null for any other query. The shorter list is read in
   * descending score order and the longer probed, until no match left can rank among the
   * first: its score plus the longer list's best falls below the last of them. The total is
   * counted from the two bitmaps, so the intersection itself is never made.
   *
   * Within `range`, the shorter list's slice in it is read in order instead, the longer list
   * probed for each: one pass that counts and ranks.
   */
  #firstOfTwoLongWords(q: string, limit: number, range?: IdRange): Found | null {
    const words = queryWords(q);
    if (words.length !== 2) return null;
    const documents = this.#postings.documents;
    const keys = [wordKey(words[0]!, false), wordKey(words[1]!, false)] as const;
    const lists = [this.#word(keys[0], words[0]!, false), this.#word(keys[1], words[1]!, false)] as const;
    if (!worthADocSet(lists[0].ids.length, documents) || !worthADocSet(lists[1].ids.length, documents)) return null;
    const s = lists[0].ids.length <= lists[1].ids.length ? 0 : 1;
    const short = lists[s];
    const long = lists[1 - s]!;
    const longSet = this.#setOf(keys[1 - s]!, long);
    if (range !== undefined) return firstInRange(within(short, range), long, longSet, limit, this.#positionOf);
    const total = this.#setOf(keys[s], short).sharedWith(longSet);
    // None: the query is looked for again with two edits, by the general path.
    if (total === 0) return null;
    const indexes = this.#orderOf(keys[s], short);
    const longBest = long.weight * this.#bests.getOrMake(keys[1 - s]!, () => bestOf(long.scores));
    const heap = new TopHeap(Math.min(limit, total));
    const shortIds = short.ids;
    const shortScores = short.scores;
    const shortWeight = short.weight;
    const longScores = long.scores;
    const longWeight = long.weight;
    const positionOf = this.#positionOf;
    // The heap's worst once it is full (read only when it changes).
    let worst = heap.full ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    for (let k = 0; k < indexes.length; k++) {
      const at = indexes[k]!;
      const partial = shortWeight * shortScores[at]!;
      // Sums are kept as 32-bit floats, as the intersections keep them (rounding keeps the order of sums).
      if (Math.fround(partial + longBest) < worst) break;
      const id = shortIds[at]!;
      const slot = longSet.slotOf(id);
      if (slot < 0) continue;
      heap.offer(positionOf === undefined ? id : positionOf[id]!, Math.fround(partial + longWeight * longScores[slot]!));
      if (heap.full) worst = heap.worstScore;
    }
    return { total, positions: heap.ranked() };
  }

  // The indexes of a list by descending score (ties by index).
  #orderOf(key: string, matches: WordMatches): Int32Array {
    return this.#orders.getOrMake(key, () => {
      const indexes = new Int32Array(matches.ids.length);
      for (let k = 0; k < indexes.length; k++) indexes[k] = k;
      return rank({ ids: indexes, scores: matches.scores });
    });
  }

  #setOf(key: string, matches: WordMatches): DocSet {
    return this.#sets.getOrMake(key, () => new DocSet(matches.ids, matches.ids.length, this.#postings.documents));
  }

  #word(key: string, word: string, far: boolean): WordMatches {
    return this.#words.getOrMake(key, () => this.#postings.match(word, far ? farLookup(word) : nearLookup(word)));
  }
}

/** The best `capacity` of (position, score) pairs offered in any order: a heap holding the worst at its root. */
class TopHeap {
  readonly #ids: Int32Array;
  readonly #scores: Float64Array;
  #size = 0;

  constructor(capacity: number) {
    this.#ids = new Int32Array(capacity);
    this.#scores = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.#size === this.#ids.length;
  }

  /** The score of the worst pair held (meaningful once full). */
  get worstScore(): number {
    return this.#scores[0]!;
  }

  offer(id: number, score: number): void {
    const ids = this.#ids;
    const scores = this.#scores;
    if (this.#size < ids.length) {
      let at = this.#size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(score, id, scores[parent]!, ids[parent]!)) break;
        ids[at] = ids[parent]!;
        scores[at] = scores[parent]!;
        at = parent;
      }
      ids[at] = id;
      scores[at] = score;
      return;
    }
    if (ids.length === 0 || !worse(scores[0]!, ids[0]!, score, id)) return;
    const size = this.#size;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && worse(scores[child + 1]!, ids[child + 1]!, scores[child]!, ids[child]!)) child++;
      if (!worse(scores[child]!, ids[child]!, score, id)) break;
      ids[at] = ids[child]!;
      scores[at] = scores[child]!;
      at = child;
    }
    ids[at] = id;
    scores[at] = score;
  }

  /** The positions held, best first (score descending, then position). */
  ranked(): Int32Array {
    const order = Array.from({ length: this.#size }, (_, k) => k);
    order.sort((x, y) => this.#scores[y]! - this.#scores[x]! || this.#ids[x]! - this.#ids[y]!);
    return Int32Array.from(order, (k) => this.#ids[k]!);
  }
}

/**
 * The first `limit` ranks of the documents in both `short` and `long`, and how many there are
 * (null when none): `short` (a slice within a range) read once in order, `long` probed for each.
 */
function firstInRange(short: WordMatches, long: WordMatches, longSet: DocSet, limit: number, positionOf: Int32Array | undefined): Found | null {
  const heap = new TopHeap(limit);
  const shortIds = short.ids;
  const shortScores = short.scores;
  const shortWeight = short.weight;
  const longScores = long.scores;
  const longWeight = long.weight;
  let worst = heap.full ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let total = 0;
  for (let k = 0; k < shortIds.length; k++) {
    const id = shortIds[k]!;
    const slot = longSet.slotOf(id);
    if (slot < 0) continue;
    total++;
    // The sum an intersection would keep (a 32-bit float), so that the order is the same.
    const score = Math.fround(shortWeight * shortScores[k]! + longWeight * longScores[slot]!);
    if (score < worst) continue;
    heap.offer(positionOf === undefined ? id : positionOf[id]!, score);
    if (heap.full) worst = heap.worstScore;
  }
  return total === 0 ? null : { total, positions: heap.ranked() };
}

/** The part of `matches` numbered within `range` (a view, no copy). */
function within(matches: WordMatches, range: IdRange): WordMatches {
  const { ids } = matches;
  const from = skipTo(ids, 0, range.from, ids.length);
  const to = skipTo(ids, from, range.to, ids.length);
  if (from === 0 && to === ids.length) return matches;
  return { ids: ids.subarray(from, to), scores: matches.scores.subarray(from, to), weight: matches.weight };
}

/** `matches` reordered by ascending id (here: position). */
function byPosition(matches: ScoredIds): ScoredIds {
  const { ids, scores } = matches;
  const order = Array.from(ids.keys()).sort((x, y) => ids[x]! - ids[y]!);
  return { ids: Int32Array.from(order, (k) => ids[k]!), scores: Float32Array.from(order, (k) => scores[k]!) };
}

function bestOf(scores: Float32Array): number {
  let best = 0;
  for (let k = 0; k < scores.length; k++) if (scores[k]! > best) best = scores[k]!;
  return best;
}

const wordKey = (word: string, far: boolean): string => `${far ? 'far' : 'near'}\u0000${word}`;

/**
 * `intersectInto` when `long` has a `DocSet`: each of `short`'s matches is looked up in it, so
 * the cost is `short`'s length. `short` may be the scratch's own result (read before written).
 */
function probeInto(short: Candidates, long: WordMatches, set: DocSet, scratch: Scratch): number {
  const { ids, scores } = scratch;
  const shortIds = short.ids;
  const shortScores = short.scores;
  const shortWeight = short.weight;
  const shortCount = short.count;
  const longScores = long.scores;
  const longWeight = long.weight;
  let n = 0;
  for (let k = 0; k < shortCount; k++) {
    const id = shortIds[k]!;
    const slot = set.slotOf(id);
    if (slot < 0) continue;
    const score = shortWeight * shortScores[k]! + longWeight * longScores[slot]!;
    ids[n] = id;
    scores[n++] = score;
  }
  return n;
}

// A word with no prefix or typo match is a view of the postings: keeping it costs nothing.
const isSliceOfPostings = (matches: WordMatches): boolean => matches.ids.byteOffset > 0 || matches.ids.buffer.byteLength > matches.ids.byteLength;

// Lists this many times longer than the other are galloped through rather than read whole.
const GALLOP_RATIO = 32;

/**
 * Writes the ids in both `a` and `b`, with the sum of their scores (a's first), to the
 * scratch's `ids` and `scores`; returns how many. `a` may be the scratch's own result: it is
 * never written ahead of reading.
 */
export function intersectInto(a: Candidates, b: WordMatches, scratch: Scratch): number {
  const { ids, scores } = scratch;
  const aIds = a.ids;
  const aScores = a.scores;
  const aWeight = a.weight;
  const aCount = a.count;
  const bIds = b.ids;
  const bScores = b.scores;
  const bWeight = b.weight;
  const bCount = bIds.length;
  let n = 0;
  if (aCount * GALLOP_RATIO < bCount || bCount * GALLOP_RATIO < aCount) {
    let i = 0;
    let j = 0;
    while (i < aCount && j < bCount) {
      const x = aIds[i]!;
      const y = bIds[j]!;
      if (x < y) i = skipTo(aIds, i + 1, y, aCount);
      else if (y < x) j = skipTo(bIds, j + 1, x, bCount);
      else {
        const score = aWeight * aScores[i++]! + bWeight * bScores[j++]!;
        ids[n] = x;
        scores[n++] = score;
      }
    }
    return n;
  }
  // Lists of like sizes: the documents of the shorter are marked, the other is read in order
  // and kept where marked (a merge step by step mispredicts a branch at nearly every step).
  // When `a` is the one read, each of its entries is read before its place is written.
  return aCount <= bCount
    ? markAndRead(aIds, aScores, aWeight, aCount, bIds, bScores, bWeight, bCount, scratch)
    : markAndRead(bIds, bScores, bWeight, bCount, aIds, aScores, aWeight, aCount, scratch);
}

/** `intersectInto` for lists of like sizes: marks `marked`, reads `read` in order (scores add up the same either way). */
function markAndRead(
  markedIds: Int32Array,
  markedScores: Float32Array,
  markedWeight: number,
  markedCount: number,
  readIds: Int32Array,
  readScores: Float32Array,
  readWeight: number,
  readCount: number,
  scratch: Scratch,
): number {
  const { ids, scores, stamps, slots } = scratch;
  const epoch = scratch.nextEpoch();
  for (let k = 0; k < markedCount; k++) {
    stamps[markedIds[k]!] = epoch;
    slots[markedIds[k]!] = k;
  }
  let n = 0;
  for (let j = 0; j < readCount; j++) {
    const id = readIds[j]!;
    if (stamps[id] !== epoch) continue;
    const score = markedWeight * markedScores[slots[id]!]! + readWeight * readScores[j]!;
    ids[n] = id;
    scores[n++] = score;
  }
  return n;
}

/** The documents in both, each with the sum of its two scores. */
export function intersect(a: WordMatches, b: WordMatches): WordMatches {
  let size = 1;
  for (const id of a.ids) size = Math.max(size, id + 1);
  const scratch = new Scratch(size);
  const n = intersectInto({ ...a, count: a.ids.length }, b, scratch);
  return { ids: scratch.ids.slice(0, n), scores: scratch.scores.slice(0, n), weight: 1 };
}

/**
 * The `limit` best of the first `count` candidates that `keep` keeps (score descending, then
 * position), with how many it keeps: one pass with a heap of the best so far. `positionOf`
 * gives each candidate's position, when it is not its id.
 */
export function selectTop(ids: Int32Array, scores: Float32Array, count: number, limit: number, keep?: (position: number) => boolean, positionOf?: Int32Array): Found {
  const heap = new TopHeap(Math.min(limit, count));
  let worst = heap.full ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let total = 0;
  for (let k = 0; k < count; k++) {
    const id = ids[k]!;
    const position = positionOf === undefined ? id : positionOf[id]!;
    if (keep !== undefined) {
      if (!keep(position)) continue;
      total++;
    }
    const score = scores[k]!;
    // The heap's worst is read only when it changes: this test is the loop's hot path. A score
    // equal to the worst may still rank before it, by position (the heap decides).
    if (score < worst) continue;
    heap.offer(position, score);
    if (heap.full) worst = heap.worstScore;
  }
  return { total: keep === undefined ? count : total, positions: heap.ranked() };
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
 * The ids by descending score, ties by ascending id (the ids come sorted): a stable radix sort
 * on the scores' bits (three passes of 11 bits; positive floats order as their bits do).
 * Ranking 100,000 matches costs about a millisecond, where a sort with a comparison function
 * costs tens.
 */
export function rank(matches: ScoredIds): Int32Array {
  const { ids, scores } = matches;
  const n = ids.length;
  if (n < 64) {
    const order = Array.from(ids.keys());
    order.sort((x, y) => scores[y]! - scores[x]! || x - y);
    return Int32Array.from(order, (k) => ids[k]!);
  }
  // Keys ascending = scores descending.
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
  const ranked = new Int32Array(n);
  for (let k = 0; k < n; k++) ranked[k] = ids[order[k]!]!;
  return ranked;
}
