import MiniSearch, { type SearchOptions } from 'minisearch';
import { BoundedCache } from '../http/bounded-cache.js';
import type { CatalogView } from './view.js';

// The full-text index of one content version: MiniSearch (chosen by measuring build time,
// memory and query time at 100,000 paths; see bench/README.md). Documents are positions in
// the view's lists, so a result is a list of positions, ranked by relevance (BM25+).

/** Folds a word for matching: accents dropped, lower case ("Données" and "donnees" match). */
export function foldTerm(term: string): string {
  // Most words are plain ASCII, with no accent to drop: indexing a large catalog folds millions.
  if (ASCII.test(term)) return term.toLowerCase();
  return term.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;

/** A query as the index sees it: folded, blanks collapsed; two queries alike this way find the same. */
export function normalizeQuery(q: string): string {
  return foldTerm(q).trim().replace(/\s+/g, ' ');
}

// Field weights: a word in the title counts most, then the overview, then resource titles.
const PATH_BOOST = { title: 4, overview: 2, resources: 1 };
const RESOURCE_BOOST = { title: 3, focus: 1 };

// Typos: one edit in a word of 4 letters, two from 5 ("kafak" is two edits from "kafka").
// Numbers are matched exactly: a typo in "2024" is another number.
function fuzzinessOf(term: string): number {
  if (!/\p{L}/u.test(term)) return 0;
  return term.length >= 5 ? 2 : term.length === 4 ? 1 : 0;
}

const NEAR_OPTIONS: SearchOptions = {
  combineWith: 'AND',
  // Every word is also a prefix, as a person types: "stre proc" finds "Stream Processing".
  prefix: (term) => term.length >= 2,
  // One edit ("events" finds "event"): cheap over a large vocabulary.
  fuzzy: (term) => Math.min(1, fuzzinessOf(term)),
  maxFuzzy: 1,
};
// Two edits cost several times one over a large vocabulary: they are looked for when the
// words find nothing within one edit, which is when a worse typo is likely ("kafak").
const FAR_OPTIONS: SearchOptions = { ...NEAR_OPTIONS, fuzzy: fuzzinessOf, maxFuzzy: 2 };

// Queries of one content version repeat (pages of one search, popular words): their ranked
// positions are kept, least recently used first out, within a bound of positions held.
const RESULTS_BUDGET = 4_000_000;
// Words repeat across queries far more than queries do ("kafka", "kafka streams", "kafka
// consumers"): each word's matches and scores are kept too, so that a new query of known words
// costs an intersection of sorted lists rather than scoring every document its words match.
const WORDS_BUDGET = 8_000_000;
// How long the background build works between two turns of the event loop: requests that
// arrive meanwhile wait at most about this long.
const SLICE_MS = 8;

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** The documents one word matches, by ascending position, with its score in each. */
interface WordMatches {
  readonly ids: Int32Array;
  readonly scores: Float64Array;
}

/** Ranked positions of the documents matching a query, most relevant first. */
export class RankedResults {
  readonly #index: MiniSearch;
  readonly #boost: Record<string, number>;
  readonly #queries = new BoundedCache<Int32Array>(RESULTS_BUDGET, (positions) => positions.length);
  readonly #words = new BoundedCache<WordMatches>(WORDS_BUDGET, (matches) => matches.ids.length);

  constructor(index: MiniSearch, boost: Record<string, number>) {
    this.#index = index;
    this.#boost = boost;
  }

  /** Positions matching every word of `q` (a prefix or a near miss of it), most relevant first; ties by position. */
  search(q: string): Int32Array {
    const query = normalizeQuery(q);
    return this.#queries.getOrMake(query, () => {
      const words = tokenize(query)
        .map((word) => foldTerm(word))
        .filter((word) => word !== '');
      if (words.length === 0) return new Int32Array(0);
      const near = this.#all(words, false);
      return near.ids.length > 0 ? rank(near) : rank(this.#all(words, true));
    });
  }

  // The documents matching every word, each scored with the sum of its words' scores (the
  // ranking MiniSearch gives the same query with AND: it multiplies that sum by the word count).
  #all(words: readonly string[], far: boolean): WordMatches {
    let matches = this.#word(words[0]!, far);
    for (let i = 1; i < words.length && matches.ids.length > 0; i++) matches = intersect(matches, this.#word(words[i]!, far));
    return matches;
  }

  #word(word: string, far: boolean): WordMatches {
    return this.#words.getOrMake(`${far ? 'far' : 'near'}\u0000${word}`, () => {
      const results = this.#index.search(word, { ...(far ? FAR_OPTIONS : NEAR_OPTIONS), boost: this.#boost });
      results.sort((a, b) => (a.id as number) - (b.id as number));
      return { ids: Int32Array.from(results, (r) => r.id as number), scores: Float64Array.from(results, (r) => r.score) };
    });
  }
}

function intersect(a: WordMatches, b: WordMatches): WordMatches {
  const ids: number[] = [];
  const scores: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x < y) i++;
    else if (y < x) j++;
    else {
      ids.push(x);
      scores.push(a.scores[i++]! + b.scores[j++]!);
    }
  }
  return { ids: Int32Array.from(ids), scores: Float64Array.from(scores) };
}

function rank(matches: WordMatches): Int32Array {
  const order = Array.from(matches.ids.keys());
  order.sort((x, y) => matches.scores[y]! - matches.scores[x]! || matches.ids[x]! - matches.ids[y]!);
  return Int32Array.from(order, (k) => matches.ids[k]!);
}

/** The full-text indexes of one content version. */
export interface TextIndex {
  /** Paths by title, overview and resource titles: positions in `view.paths()`. */
  readonly paths: RankedResults;
  /** Resources by title and focus: positions in `view.resources()`. */
  readonly resources: RankedResults;
}

/** An index under construction: documents are added a chunk at a time, or all at once when a query needs it now. */
class IndexBuilder {
  readonly #view: CatalogView;
  readonly #paths = newIndex(['title', 'overview', 'resources']);
  readonly #resources = newIndex(['title', 'focus']);
  #nextPath = 0;
  #nextResource = 0;
  #done: TextIndex | undefined;

  constructor(view: CatalogView) {
    this.#view = view;
  }

  /** Indexes documents until `deadline` (a `performance.now()` time); true once every document is indexed. */
  step(deadline: number): boolean {
    const paths = this.#view.paths();
    const resources = this.#view.resources();
    for (let n = 1; this.#nextPath < paths.length; n++, this.#nextPath++) {
      if ((n & 15) === 0 && performance.now() >= deadline) return false;
      const { path } = paths[this.#nextPath]!;
      const titles: string[] = [];
      for (const phase of path.phases) for (const r of phase.resources) titles.push(r.title);
      this.#paths.add({ id: this.#nextPath, title: path.title, overview: path.overview, resources: titles.join('\n') });
    }
    for (let n = 1; this.#nextResource < resources.length; n++, this.#nextResource++) {
      if ((n & 63) === 0 && performance.now() >= deadline) return false;
      const { resource } = resources[this.#nextResource]!;
      this.#resources.add({ id: this.#nextResource, title: resource.title, focus: resource.focus ?? '' });
    }
    return true;
  }

  /** Whether every document is indexed. */
  get done(): boolean {
    return this.#done !== undefined;
  }

  /** The finished index, indexing whatever is left first. */
  finish(): TextIndex {
    if (this.#done === undefined) {
      this.step(Number.POSITIVE_INFINITY);
      this.#done = { paths: new RankedResults(this.#paths, PATH_BOOST), resources: new RankedResults(this.#resources, RESOURCE_BOOST) };
    }
    return this.#done;
  }
}

/** The options of a search for words within one edit, or (`twoEdits`) two; MiniSearch combines the words with AND. */
export function searchOptions(twoEdits: boolean): SearchOptions {
  return twoEdits ? FAR_OPTIONS : NEAR_OPTIONS;
}

/** A MiniSearch index of `fields`, folding every word with `foldTerm`. */
export function newIndex(fields: string[]): MiniSearch {
  return new MiniSearch({ fields, storeFields: [], processTerm: (term) => foldTerm(term) || null });
}

const builders = new WeakMap<CatalogView, IndexBuilder>();

function builderOf(view: CatalogView): IndexBuilder {
  let builder = builders.get(view);
  if (builder === undefined) builders.set(view, (builder = new IndexBuilder(view)));
  return builder;
}

/** The text index of a content version, built on first use (or finished at once, when a background build is under way). */
export function textIndexOf(view: CatalogView): TextIndex {
  return builderOf(view).finish();
}

const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Background builds under way or done, by content version. */
const warming = new WeakMap<CatalogView, { listed: Promise<void>; searchable: Promise<void> }>();

/**
 * Builds what the listings and the search of a content version need in the background, a slice
 * of a few milliseconds per turn of the event loop, so that start-up and other requests are not
 * held up: first the path summaries (`listed`), then the full-text index (`searchable`).
 */
export function warmView(view: CatalogView): { listed: Promise<void>; searchable: Promise<void> } {
  let warm = warming.get(view);
  if (warm === undefined) {
    const listed = (async () => {
      while (!view.indexPathsUntil(performance.now() + SLICE_MS)) await nextTurn();
    })();
    const searchable = listed.then(async () => {
      const builder = builderOf(view);
      while (!builder.step(performance.now() + SLICE_MS)) await nextTurn();
      builder.finish();
    });
    warm = { listed, searchable };
    warming.set(view, warm);
    // A failed build is not remembered: the next request starts another.
    searchable.catch(() => warming.delete(view));
  }
  return warm;
}

/**
 * What a request must wait for before it lists (`search` false) or searches (`search` true) a
 * content version, or null when that is built: a request arriving during the background build
 * waits for it instead of building everything at once and holding up every other request.
 */
export function waitForView(view: CatalogView, search: boolean): Promise<void> | null {
  // indexPathsUntil(0) does at most a few summaries' work, and none once they are all made.
  if (search ? builders.get(view)?.done === true : view.indexPathsUntil(0)) return null;
  const warm = warmView(view);
  return search ? warm.searchable : warm.listed;
}

/** Builds the text index of a content version in the background (see `warmView`); resolves when it is complete. */
export async function warmTextIndex(view: CatalogView): Promise<void> {
  await warmView(view).searchable;
}
