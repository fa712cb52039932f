import type { CatalogView, IndexedResource } from './view.js';
import { PostingsBuilder } from './postings.js';
import { RankedResults, type IdRange } from './ranked-results.js';

// The full-text index of one content version: compact postings per word (postings.ts), ranked
// by relevance as MiniSearch ranks them (BM25+; see bench/README.md for why and how it was
// measured). Documents are positions in the view's lists, so a result is a list of positions.

export { foldTerm, normalizeQuery } from './terms.js';
export { RankedResults } from './ranked-results.js';

// Field weights: a word in the title counts most, then the overview, then resource titles.
const PATH_BOOSTS = [4, 2, 1]; // title, overview, resource titles
const RESOURCE_BOOSTS = [3, 1]; // title, focus

// How long the background build works between two turns of the event loop: requests that
// arrive meanwhile wait at most about this long.
const SLICE_MS = 8;

/** The full-text indexes of one content version. */
export interface TextIndex {
  /** Paths by title, overview and resource titles: positions in `view.paths()`. */
  readonly paths: RankedResults;
  /** Resources by title and focus: positions in `view.resources()`. */
  readonly resources: RankedResults;
  /**
   * The documents of each kind of resource in `resources`, which numbers them kind by kind (in
   * the order of their positions within a kind): a search of one kind reads only that part of
   * each word's matches.
   */
  readonly resourceKinds: ReadonlyMap<string, IdRange>;
}

/** An index under construction: documents are added a chunk at a time, or all at once when a query needs it now. */
class IndexBuilder {
  readonly #view: CatalogView;
  #paths: PostingsBuilder | null = new PostingsBuilder(PATH_BOOSTS);
  #resources: PostingsBuilder | null = new PostingsBuilder(RESOURCE_BOOSTS);
  // The paths are indexed first and searchable as soon as they are: resources take longer.
  #pathResults: RankedResults | undefined;
  #done: TextIndex | undefined;
  // The position of each resource document, numbered kind by kind, and each kind's documents.
  #resourceOrder: Int32Array | undefined;
  readonly #kindRanges = new Map<string, IdRange>();

  constructor(view: CatalogView) {
    this.#view = view;
  }

  /** Indexes documents until `deadline` (a `performance.now()` time); true once every document is indexed. */
  step(deadline: number): boolean {
    if (!this.stepPaths(deadline)) return false;
    if (this.#resources === null) return true;
    const resources = this.#view.resources();
    const order = (this.#resourceOrder ??= this.#numberByKind(resources));
    for (let n = 1, next = this.#resources.size; next < resources.length; n++, next++) {
      if ((n & 63) === 0 && performance.now() >= deadline) return false;
      const { resource } = resources[order[next]!]!;
      this.#resources.add([resource.title, resource.focus ?? '']);
    }
    return this.#resources.seal(deadline) !== null;
  }

  /** Indexes paths until `deadline`; true once the paths are searchable. */
  stepPaths(deadline: number): boolean {
    const builder = this.#paths;
    if (builder === null) return true;
    const paths = this.#view.paths();
    const titles: string[] = [];
    for (let n = 1, next = builder.size; next < paths.length; n++, next++) {
      if ((n & 15) === 0 && performance.now() >= deadline) return false;
      const { path } = paths[next]!;
      titles.length = 0;
      for (const phase of path.phases) for (const r of phase.resources) titles.push(r.title);
      builder.add([path.title, path.overview, titles.join('\n')]);
    }
    const postings = builder.seal(deadline);
    if (postings === null) return false;
    this.#pathResults = new RankedResults(postings);
    // What the builder kept per document is in the postings now.
    this.#paths = null;
    return true;
  }

  // Positions kind by kind, in position order within a kind (a counting sort): the numbering
  // leaves every document's score as it is, only which documents are neighbours.
  #numberByKind(resources: readonly IndexedResource[]): Int32Array {
    const counts = new Map<string, number>();
    for (const { resource } of resources) counts.set(resource.kind, (counts.get(resource.kind) ?? 0) + 1);
    const next = new Map<string, number>();
    let from = 0;
    for (const [kind, count] of counts) {
      this.#kindRanges.set(kind, { from, to: from + count });
      next.set(kind, from);
      from += count;
    }
    const order = new Int32Array(resources.length);
    resources.forEach(({ resource }, position) => {
      const id = next.get(resource.kind)!;
      order[id] = position;
      next.set(resource.kind, id + 1);
    });
    return order;
  }

  /** Whether every document is indexed. */
  get done(): boolean {
    return this.#done !== undefined;
  }

  /** Whether the paths are searchable. */
  get pathsDone(): boolean {
    return this.#pathResults !== undefined;
  }

  /** The search of the paths, indexing whatever of them is left first. */
  finishPaths(): RankedResults {
    this.stepPaths(Number.POSITIVE_INFINITY);
    return this.#pathResults!;
  }

  /** The finished index, indexing whatever is left first. */
  finish(): TextIndex {
    if (this.#done === undefined) {
      this.step(Number.POSITIVE_INFINITY);
      this.#done = {
        paths: this.#pathResults!,
        resources: new RankedResults(this.#resources!.finish(), this.#resourceOrder),
        resourceKinds: this.#kindRanges,
      };
      // What the builder kept per document is in the postings now.
      this.#resources = null;
    }
    return this.#done;
  }
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

/** The search of the paths of a content version, built on first use (the resources are not needed for it). */
export function pathIndexOf(view: CatalogView): RankedResults {
  return builderOf(view).finishPaths();
}

/** Which of a content version's searches a request uses: of paths, or of resources. */
export type SearchedIndex = 'paths' | 'resources';

/** Background builds under way or done, by content version. */
interface Warming {
  /** The path summaries are made. */
  readonly listed: Promise<void>;
  /** The paths are searchable. */
  readonly pathsSearchable: Promise<void>;
  /** Everything is searchable. */
  readonly searchable: Promise<void>;
}
const warming = new WeakMap<CatalogView, Warming>();

/**
 * Builds what the listings and the search of a content version need in the background, a slice
 * of a few milliseconds per turn of the event loop, so that start-up and other requests are not
 * held up: first the path summaries (`listed`), then the search of the paths
 * (`pathsSearchable`), then that of the resources (`searchable`: a large catalog has ten times
 * as many resources as paths, and a search of paths need not wait for them).
 */
export function warmView(view: CatalogView): Warming {
  let warm = warming.get(view);
  if (warm === undefined) {
    const listed = (async () => {
      while (!view.indexPathsUntil(performance.now() + SLICE_MS)) await nextTurn();
    })();
    const pathsSearchable = listed.then(async () => {
      const builder = builderOf(view);
      while (!builder.stepPaths(performance.now() + SLICE_MS)) await nextTurn();
    });
    const searchable = pathsSearchable.then(async () => {
      const builder = builderOf(view);
      while (!builder.step(performance.now() + SLICE_MS)) await nextTurn();
      builder.finish();
    });
    warm = { listed, pathsSearchable, searchable };
    warming.set(view, warm);
    // A failed build is not remembered: the next request starts another.
    searchable.catch(() => warming.delete(view));
  }
  return warm;
}

/**
 * What a request must wait for before it lists (`search` false) or searches the paths or the
 * resources of a content version, or null when that is built: a request arriving during the
 * background build waits for it instead of building everything at once and holding up every
 * other request.
 */
export function waitForView(view: CatalogView, search: false | SearchedIndex): Promise<void> | null {
  const builder = builders.get(view);
  // indexPathsUntil(0) does at most a few summaries' work, and none once they are all made.
  const ready = search === false ? view.indexPathsUntil(0) : search === 'paths' ? builder?.pathsDone === true : builder?.done === true;
  if (ready) return null;
  const warm = warmView(view);
  return search === false ? warm.listed : search === 'paths' ? warm.pathsSearchable : warm.searchable;
}

/** Builds the text index of a content version in the background (see `warmView`); resolves when it is complete. */
export async function warmTextIndex(view: CatalogView): Promise<void> {
  await warmView(view).searchable;
}
