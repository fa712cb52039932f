import SearchableMap from 'minisearch/SearchableMap';
import { foldTerm, tokenize } from './terms.js';

// Compact postings of a set of documents: for every word, the documents it occurs in (sorted
// positions, an Int32Array) and its BM25+ score in each (a Float32Array, every field's
// contribution times the field's weight, summed). A word's matches are then slices of two flat
// arrays, and a query merges and intersects typed arrays instead of scoring documents one by
// one through nested maps (MiniSearch's index: ~1.3 GiB and 50–500 ms for a new word at 1.2
// million documents). The word dictionary is MiniSearch's radix tree (SearchableMap), which
// finds a word's prefixes and near misses. Scores are MiniSearch's: same tokenizer, field
// lengths (distinct tokens), BM25+ parameters and prefix and typo weights.

// MiniSearch's BM25+ parameters and the weights of a prefix and a typo match.
const K = 1.2;
const B = 0.7;
const D = 0.5;
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

/** Documents by ascending position, with a score in each. */
export interface ScoredIds {
  readonly ids: Int32Array;
  readonly scores: Float32Array;
}

/** The documents one word (with its prefixes and near misses) matches: each one's score is `weight` times its entry in `scores`. */
export interface WordMatches extends ScoredIds {
  readonly weight: number;
}

const EMPTY: WordMatches = { ids: new Int32Array(0), scores: new Float32Array(0), weight: 1 };

/** How a word of a query is looked up. */
export interface WordLookup {
  /** Whether longer words starting with it match too. */
  readonly prefix: boolean;
  /** How many edits a near miss may have (0: none). */
  readonly maxEdits: number;
}

/** A growable typed array of 32-bit integers. */
class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  /** Frees the memory. */
  clear(): void {
    this.data = new Int32Array(0);
    this.length = 0;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.#grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** Makes `index` valid (zero-filled) and adds `by` to it. */
  add(index: number, by: number): void {
    if (index >= this.data.length) this.#grow(index + 1);
    if (index >= this.length) this.length = index + 1;
    this.data[index]! += by;
  }

  #grow(needed: number): void {
    const data = new Int32Array(Math.max(needed, this.data.length * 2));
    data.set(this.data.subarray(0, this.length));
    this.data = data;
  }

  /** A copy trimmed to the length. */
  trimmed(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** A growable typed array of 16-bit counts; larger counts are kept as 65,535. */
class CountList {
  data = new Uint16Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const data = new Uint16Array(this.data.length * 2);
      data.set(this.data);
      this.data = data;
    }
    this.data[this.length++] = Math.min(value, 0xffff);
  }

  /** Frees the memory. */
  clear(): void {
    this.data = new Uint16Array(0);
    this.length = 0;
  }
}

// How many distinct tokens a field has (MiniSearch's field length): without a Set for the
// short fields that are nearly all of them.
function distinctCount(tokens: readonly string[]): number {
  if (tokens.length > 24) return new Set(tokens).size;
  let distinct = 0;
  outer: for (let i = 0; i < tokens.length; i++) {
    for (let j = 0; j < i; j++) if (tokens[j] === tokens[i]) continue outer;
    distinct++;
  }
  return distinct;
}

/** What sealing has made so far. */
interface Sealing {
  readonly offsets: Int32Array;
  readonly next: Int32Array;
  readonly ids: Int32Array;
  readonly scores: Float32Array;
  readonly weightedIdf: Float64Array;
  readonly averages: readonly number[];
  /** The next document whose entries go into the postings. */
  doc: number;
  readonly dictionary: SearchableMap<number>;
  /** The words still to put in the dictionary, once every document is in. */
  words: Iterator<[string, number]> | undefined;
}

/**
 * Collects documents (one text per field, added in position order) and makes their postings.
 * What it keeps meanwhile is one entry per document and distinct word: the word and how often it
 * occurs in each field.
 */
export class PostingsBuilder {
  readonly #boosts: readonly number[];
  readonly #words = new Map<string, number>();
  // Per document: where its entries start, and each field's length (distinct tokens, as MiniSearch counts).
  readonly #starts = new IntList();
  readonly #lengths = new IntList();
  readonly #totalLengths: number[];
  // Per entry: the word and (fields per entry) its frequency in each field.
  readonly #entryWords = new IntList(1 << 16);
  readonly #entryFrequencies = new CountList();
  // Per word: how many documents it occurs in, and (fields per word) in how many documents' field.
  readonly #postingCounts = new IntList();
  readonly #fieldCounts = new IntList();
  // The words of the document being added, and their frequencies per field.
  readonly #slots = new Map<string, number>();
  #slotFrequencies = new Int32Array(256);
  #documents = 0;
  #sealing: Sealing | undefined;
  #sealed: Postings | undefined;

  /** `boosts`: the weight of each field, in the order texts are given to `add`. */
  constructor(boosts: readonly number[]) {
    this.#boosts = boosts;
    this.#totalLengths = boosts.map(() => 0);
  }

  /** How many documents were added. */
  get size(): number {
    return this.#documents;
  }

  /** Adds the next document (position `size`): one text per field. */
  add(texts: readonly string[]): void {
    if (this.#sealing !== undefined || this.#sealed !== undefined) throw new Error('documents are added before the postings are sealed');
    const fields = this.#boosts.length;
    const slots = this.#slots;
    slots.clear();
    this.#documents++;
    this.#starts.push(this.#entryWords.length);
    for (let field = 0; field < fields; field++) {
      const tokens = tokenize(texts[field] ?? '');
      const length = distinctCount(tokens);
      this.#lengths.push(length);
      this.#totalLengths[field]! += length;
      for (const token of tokens) {
        const word = foldTerm(token);
        if (word === '') continue;
        let slot = slots.get(word);
        if (slot === undefined) {
          slot = slots.size;
          slots.set(word, slot);
          if ((slot + 1) * fields > this.#slotFrequencies.length) {
            const grown = new Int32Array(this.#slotFrequencies.length * 2);
            grown.set(this.#slotFrequencies);
            this.#slotFrequencies = grown;
          }
          this.#slotFrequencies.fill(0, slot * fields, (slot + 1) * fields);
        }
        this.#slotFrequencies[slot * fields + field]!++;
      }
    }
    for (const [word, slot] of slots) {
      let id = this.#words.get(word);
      if (id === undefined) this.#words.set(word, (id = this.#words.size));
      this.#entryWords.push(id);
      this.#postingCounts.add(id, 1);
      for (let field = 0; field < fields; field++) {
        const frequency = this.#slotFrequencies[slot * fields + field]!;
        this.#entryFrequencies.push(frequency);
        if (frequency > 0) this.#fieldCounts.add(id * fields + field, 1);
      }
    }
  }

  /** The postings of every document added (sealing whatever is left at once). */
  finish(): Postings {
    return this.seal(Number.POSITIVE_INFINITY)!;
  }

  /**
   * Makes the postings of every document added, until `deadline` (a `performance.now()` time):
   * the postings once they are complete, else null (call again). No document may be added after.
   */
  seal(deadline: number): Postings | null {
    if (this.#sealed !== undefined) return this.#sealed;
    const sealing = (this.#sealing ??= this.#startSealing());
    const fields = this.#boosts.length;
    const documents = this.#documents;
    const { next, ids, scores, weightedIdf, averages } = sealing;
    const starts = this.#starts.data;
    const lengths = this.#lengths.data;
    const entryWords = this.#entryWords.data;
    const frequencies = this.#entryFrequencies.data;
    const entries = this.#entryWords.length;
    // Documents in position order: each word's postings come out sorted.
    for (let doc = sealing.doc; doc < documents; doc++) {
      if ((doc & 1023) === 0 && doc > sealing.doc && performance.now() >= deadline) {
        sealing.doc = doc;
        return null;
      }
      const end = doc + 1 < documents ? starts[doc + 1]! : entries;
      for (let e = starts[doc]!; e < end; e++) {
        const word = entryWords[e]!;
        let score = 0;
        for (let field = 0; field < fields; field++) {
          const tf = frequencies[e * fields + field]!;
          if (tf === 0) continue;
          const length = lengths[doc * fields + field]!;
          score += weightedIdf[word * fields + field]! * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * length) / averages[field]!)));
        }
        const at = next[word]!++;
        ids[at] = doc;
        scores[at] = score;
      }
    }
    sealing.doc = documents;
    const words = (sealing.words ??= this.#words.entries());
    for (let n = 1; ; n++) {
      if ((n & 1023) === 0 && performance.now() >= deadline) return null;
      const entry = words.next();
      if (entry.done === true) break;
      sealing.dictionary.set(entry.value[0], entry.value[1]);
    }
    this.#sealed = new Postings(sealing.dictionary, sealing.offsets, ids, scores, documents);
    // What was kept per document is in the postings now.
    this.#sealing = undefined;
    this.#words.clear();
    for (const list of [this.#starts, this.#lengths, this.#entryWords, this.#postingCounts, this.#fieldCounts, this.#entryFrequencies]) list.clear();
    return this.#sealed;
  }

  #startSealing(): Sealing {
    const fields = this.#boosts.length;
    const documents = this.#documents;
    const wordCount = this.#words.size;
    // Inverse document frequency of each word in each field, times the field's weight.
    const weightedIdf = new Float64Array(wordCount * fields);
    const fieldCounts = this.#fieldCounts.data;
    for (let i = 0; i < wordCount * fields; i++) {
      const n = fieldCounts[i] ?? 0;
      weightedIdf[i] = this.#boosts[i % fields]! * Math.log(1 + (documents - n + 0.5) / (n + 0.5));
    }
    const offsets = new Int32Array(wordCount + 1);
    const counts = this.#postingCounts.data;
    for (let w = 0; w < wordCount; w++) offsets[w + 1] = offsets[w]! + counts[w]!;
    const total = offsets[wordCount]!;
    return {
      offsets,
      next: offsets.slice(0, wordCount),
      ids: new Int32Array(total),
      scores: new Float32Array(total),
      weightedIdf,
      averages: this.#totalLengths.map((sum) => (documents === 0 ? 0 : sum / documents)),
      doc: 0,
      dictionary: new SearchableMap<number>(),
      words: undefined,
    };
  }
}

/** The finished postings of a set of documents, with the dictionary of their words. */
export class Postings {
  readonly #dictionary: SearchableMap<number>;
  readonly #offsets: Int32Array;
  readonly #ids: Int32Array;
  readonly #scores: Float32Array;
  readonly #documents: number;
  // Scratch space for merging the postings of several words, one slot per document (made with
  // the postings, so that no search pays for it).
  readonly #sums: Float64Array;
  readonly #touched: Int32Array;

  constructor(dictionary: SearchableMap<number>, offsets: Int32Array, ids: Int32Array, scores: Float32Array, documents: number) {
    this.#dictionary = dictionary;
    this.#offsets = offsets;
    this.#ids = ids;
    this.#scores = scores;
    this.#documents = documents;
    this.#sums = new Float64Array(documents);
    this.#touched = new Int32Array((documents + 31) >>> 5);
  }

  /** How many documents there are. */
  get documents(): number {
    return this.#documents;
  }

  /**
   * The documents matching a folded word: as typed (weight 1), as a prefix of a longer word
   * and within `maxEdits` edits, weighted as MiniSearch weighs them (a longer prefix match or a
   * typo counts less), each document scored with the sum over the words it matches.
   */
  match(word: string, lookup: WordLookup): WordMatches {
    const found: [id: number, weight: number][] = [];
    const exact = this.#dictionary.get(word);
    if (exact !== undefined) found.push([exact, 1]);
    if (lookup.prefix) {
      for (const [term, id] of this.#dictionary.atPrefix(word)) {
        const distance = term.length - word.length;
        if (distance > 0) found.push([id, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance)]);
      }
    }
    if (lookup.maxEdits > 0) {
      for (const [term, [id, distance]] of this.#dictionary.fuzzyGet(word, lookup.maxEdits)) {
        // A longer word starting with this one counts as a prefix match, when prefixes are looked for.
        if (distance === 0 || (lookup.prefix && term.startsWith(word))) continue;
        found.push([id, (FUZZY_WEIGHT * term.length) / (term.length + distance)]);
      }
    }
    if (found.length === 0) return EMPTY;
    if (found.length === 1) {
      // One word: a view of its postings, weighted as a whole.
      const [id, weight] = found[0]!;
      return { ids: this.#ids.subarray(this.#offsets[id]!, this.#offsets[id + 1]!), scores: this.#scores.subarray(this.#offsets[id]!, this.#offsets[id + 1]!), weight };
    }
    return this.#merge(found);
  }

  // The union of several words' postings, scores weighted and summed per document: added up in
  // a slot per document, each document touched marked in a bitmap, which is then read 32
  // documents at a time to collect them in position order.
  #merge(found: readonly [id: number, weight: number][]): WordMatches {
    const sums = this.#sums;
    const touched = this.#touched;
    const offsets = this.#offsets;
    const postingIds = this.#ids;
    const postingScores = this.#scores;
    let count = 0;
    let low = this.#documents;
    let high = 0;
    for (const [id, weight] of found) {
      const start = offsets[id]!;
      const end = offsets[id + 1]!;
      if (start === end) continue;
      low = Math.min(low, postingIds[start]!);
      high = Math.max(high, postingIds[end - 1]!);
      for (let p = start; p < end; p++) {
        const doc = postingIds[p]!;
        // Every score is positive: a zero slot is a document not seen yet.
        if (sums[doc] === 0) {
          count++;
          touched[doc >>> 5]! |= 1 << (doc & 31);
        }
        sums[doc]! += weight * postingScores[p]!;
      }
    }
    const ids = new Int32Array(count);
    const scores = new Float32Array(count);
    for (let word = low >>> 5, k = 0; word <= high >>> 5 && k < count; word++) {
      let bits = touched[word]!;
      if (bits === 0) continue;
      touched[word] = 0;
      while (bits !== 0) {
        const lowest = bits & -bits;
        const doc = (word << 5) | (31 - Math.clz32(lowest));
        ids[k] = doc;
        scores[k++] = sums[doc]!;
        sums[doc] = 0;
        bits ^= lowest;
      }
    }
    return { ids, scores, weight: 1 };
  }
}
