import MiniSearch, { type SearchOptions } from 'minisearch';
import type { CatalogView } from './view.js';

// The full-text index of one content version: MiniSearch (chosen by measuring build time,
// memory and query time at 100,000 paths; see bench/README.md). Documents are positions in
// the view's lists, so a result is a list of positions, ranked by relevance (BM25+).

/** Folds a word for matching: accents dropped, lower case ("Données" and "donnees" match). */
export function foldTerm(term: string): string {
  return term.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

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

const SEARCH_OPTIONS: SearchOptions = {
  combineWith: 'AND',
  // Every word is also a prefix, as a person types: "stre proc" finds "Stream Processing".
  prefix: (term) => term.length >= 2,
  fuzzy: fuzzinessOf,
  maxFuzzy: 2,
};

// Queries of one content version repeat (pages of one search, popular words): their ranked
// positions are kept, least recently used first out, within a bound of positions held.
const RESULTS_BUDGET = 4_000_000;
// Documents indexed between two turns of the event loop while the index is built in the background.
const CHUNK = 1000;

/** Ranked positions of the documents matching a query, most relevant first. */
export class RankedResults {
  readonly #index: MiniSearch;
  readonly #boost: Record<string, number>;
  readonly #cache = new Map<string, Int32Array>();
  #held = 0;

  constructor(index: MiniSearch, boost: Record<string, number>) {
    this.#index = index;
    this.#boost = boost;
  }

  /** Positions matching every word of `q` (a prefix or a near miss of it), most relevant first; ties by position. */
  search(q: string): Int32Array {
    const key = normalizeQuery(q);
    const hit = this.#cache.get(key);
    if (hit !== undefined) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit;
    }
    const results = this.#index.search(key, { ...SEARCH_OPTIONS, boost: this.#boost });
    results.sort((a, b) => b.score - a.score || (a.id as number) - (b.id as number));
    const positions = Int32Array.from(results, (r) => r.id as number);
    this.#cache.set(key, positions);
    this.#held += positions.length + 64;
    for (const [oldest, value] of this.#cache) {
      if (this.#held <= RESULTS_BUDGET || this.#cache.size <= 1) break;
      this.#cache.delete(oldest);
      this.#held -= value.length + 64;
    }
    return positions;
  }
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

  /** Indexes up to `budget` more documents; true once every document is indexed. */
  step(budget: number): boolean {
    const paths = this.#view.paths();
    const resources = this.#view.resources();
    let left = budget;
    for (; left > 0 && this.#nextPath < paths.length; left--, this.#nextPath++) {
      const { path } = paths[this.#nextPath]!;
      const titles: string[] = [];
      for (const phase of path.phases) for (const r of phase.resources) titles.push(r.title);
      this.#paths.add({ id: this.#nextPath, title: path.title, overview: path.overview, resources: titles.join('\n') });
    }
    for (; left > 0 && this.#nextResource < resources.length; left--, this.#nextResource++) {
      const { resource } = resources[this.#nextResource]!;
      this.#resources.add({ id: this.#nextResource, title: resource.title, focus: resource.focus ?? '' });
    }
    return this.#nextPath >= paths.length && this.#nextResource >= resources.length;
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

function newIndex(fields: string[]): MiniSearch {
  return new MiniSearch({ fields, storeFields: [], processTerm: (term) => foldTerm(term) || null });
}

const builders = new WeakMap<CatalogView, IndexBuilder>();

function builderOf(view: CatalogView): IndexBuilder {
  let builder = builders.get(view);
  if (builder === undefined) builders.set(view, (builder = new IndexBuilder(view)));
  return builder;
}

/** The text index of a content version, built on first use (or finished, when a background build is under way). */
export function textIndexOf(view: CatalogView): TextIndex {
  return builderOf(view).finish();
}

/**
 * Builds the text index of a content version in the background, a chunk per turn of the event
 * loop, so that start-up and other requests are not held up; a search arriving before it is
 * done finishes it at once. Resolves when the index is complete.
 */
export async function warmTextIndex(view: CatalogView): Promise<void> {
  const builder = builderOf(view);
  while (!builder.step(CHUNK)) await new Promise<void>((resolve) => setImmediate(resolve));
  builder.finish();
}
