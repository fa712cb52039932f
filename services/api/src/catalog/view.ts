import type { Catalog } from '@learnpath/content';
import type { LearningPath, Phase, Resource } from '@learnpath/schema';
import type { PathSummary, ResourceEntry } from '@learnpath/schema';
import type { CachedBody } from '../http/cached-body.js';
import { excerptOf } from './excerpt.js';
import { sortByKey } from './order.js';
import { resourceSortKey } from './search.js';

// How many serialised responses one content version keeps. Paths and the default listings
// are few; the rest are filtered pages, evicted least recently used so that random queries
// cannot grow memory without bound.
const RESPONSE_CACHE_SIZE = 5000;

/**
 * How many bytes of serialised responses one content version keeps. Entries differ in size by
 * orders of magnitude (a 304-sized listing, a 300 KB page of resources, a zip export), so a
 * count alone would let distinct queries for large pages hold gigabytes.
 */
export const RESPONSE_CACHE_BYTES = 32 * 1024 * 1024;

// The compressed variants are made later, on demand; count them in advance at half the body.
const costOf = (body: CachedBody): number => Math.ceil(body.body.length * 1.5);

/** A least-recently-used map of serialised responses, bounded in entries and in bytes. */
export class ResponseCache {
  readonly #entries = new Map<string, CachedBody>();
  readonly #capacity: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(capacity = RESPONSE_CACHE_SIZE, maxBytes = RESPONSE_CACHE_BYTES) {
    this.#capacity = capacity;
    this.#maxBytes = maxBytes;
  }

  /** The cached body of `key`, built by `build` on a miss. */
  get(key: string, build: () => CachedBody): CachedBody {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      // Only refresh recency when the cache is near full: most hits then cost one lookup.
      if (this.#entries.size >= this.#capacity / 2 || this.#bytes >= this.#maxBytes / 2) {
        this.#entries.delete(key);
        this.#entries.set(key, hit);
      }
      return hit;
    }
    const body = build();
    this.#entries.set(key, body);
    this.#bytes += costOf(body);
    // Evict least recently used entries; the one just built is served even when it alone is over budget.
    while (this.#entries.size > 1 && (this.#entries.size > this.#capacity || this.#bytes > this.#maxBytes)) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value[0]);
      this.#bytes -= costOf(oldest.value[1]);
    }
    if (this.#bytes > this.#maxBytes) {
      // A single entry over the whole budget is not kept.
      this.#entries.delete(key);
      this.#bytes -= costOf(body);
    }
    return body;
  }

  /** How many bytes the cached responses take, compressed variants estimated. */
  get bytes(): number {
    return this.#bytes;
  }

  /** How many responses are cached. */
  get size(): number {
    return this.#entries.size;
  }
}

/** A path summary with what the filters need. */
export interface IndexedPath {
  readonly path: LearningPath;
  readonly summary: PathSummary;
  /** The resource kinds the path contains, for `kind`. */
  readonly kinds: ReadonlySet<string>;
}

/** A resource with what the filters and the cursor need. */
export interface IndexedResource {
  /** The resource as listed, made on each read. */
  readonly entry: ResourceEntry;
  /** `JSON.stringify(entry)`, without making the entry. */
  entryJson(): string;
  /** The catalog's own objects the entry is made from. */
  readonly path: LearningPath;
  readonly phase: Phase;
  readonly resource: Resource;
  /** Position of the resource in its path, in document order. */
  readonly ordinal: number;
}

/** Everything derived from one catalog: indexes for the listings and its serialised responses. */
export interface CatalogView {
  readonly catalog: Catalog;
  readonly responses: ResponseCache;
  /** The paths with summaries, in slug order. */
  paths(): readonly IndexedPath[];
  /** Every resource of every path, in the order of `resourceSortKey` (path slug, then document order). */
  resources(): readonly IndexedResource[];
  /**
   * Summarises paths until `deadline` (a `performance.now()` time), so that a large catalog is
   * indexed a slice at a time between requests; true once `paths()` is complete.
   */
  indexPathsUntil(deadline: number): boolean;
}

const views = new WeakMap<Catalog, CatalogView>();

/** The view of a catalog, built once per catalog (a catalog is immutable, so this is per content version). */
export function viewOf(catalog: Catalog): CatalogView {
  let view = views.get(catalog);
  if (view === undefined) {
    view = createView(catalog);
    views.set(catalog, view);
  }
  return view;
}

function createView(catalog: Catalog): CatalogView {
  const paths: IndexedPath[] = [];
  // Paths still to summarise; reading one may parse it (a sealed built catalog parses on first use).
  let pending: Iterator<LearningPath> | null = catalog.paths.values();
  const indexPathsUntil = (deadline: number): boolean => {
    while (pending !== null) {
      const next = pending.next();
      if (next.done) pending = null;
      else paths.push(indexForListing(next.value));
      // The clock is read every 64 paths: reading it costs more than a summary.
      if ((paths.length & 63) === 0 && performance.now() >= deadline) break;
    }
    return pending === null;
  };
  let resources: IndexedResource[] | undefined;
  const allPaths = (): readonly IndexedPath[] => {
    if (pending !== null) indexPathsUntil(Number.POSITIVE_INFINITY);
    return paths;
  };
  return {
    catalog,
    responses: new ResponseCache(),
    paths: allPaths,
    // Resources follow their path's slug, then document order: sorting the paths is enough
    // (a tenth of the comparisons of sorting the resources themselves).
    resources: () => (resources ??= sortByKey(allPaths(), (p) => [p.path.slug, 0], false).flatMap((p) => indexResources(p.path))),
    indexPathsUntil,
  };
}

/** The summary of a path as listed, its members in the order of `PathSummarySchema` (listings serialise it as it is). */
export function summarizePath(path: LearningPath): PathSummary {
  return {
    slug: path.slug,
    title: path.title,
    level: path.level,
    tags: path.tags,
    totalMinutes: path.totalMinutes,
    resourceCount: path.resourceCount,
    excerpt: excerptOf(path.overview),
    phaseCount: path.phases.length,
  };
}

function indexForListing(path: LearningPath): IndexedPath {
  return {
    path,
    summary: summarizePath(path),
    kinds: new Set(path.phases.flatMap((p) => p.resources.map((r) => r.kind))),
  };
}

// A large catalog has millions of resources: an entry (a copy of the resource with its path and
// phase) is made when a page serves it, not kept for every resource.
class ResourceInCatalog implements IndexedResource {
  constructor(
    readonly path: LearningPath,
    readonly phase: Phase,
    readonly resource: Resource,
    readonly ordinal: number,
  ) {}

  get entry(): ResourceEntry {
    return { ...this.resource, pathSlug: this.path.slug, phaseId: this.phase.id };
  }

  entryJson(): string {
    // The entry lists the resource's members, then the path's slug and the phase's id: copying
    // the resource to serialise it would cost as much as serialising it.
    const resource = JSON.stringify(this.resource);
    return `${resource.slice(0, -1)}${resource.length > 2 ? ',' : ''}"pathSlug":${JSON.stringify(this.path.slug)},"phaseId":${JSON.stringify(this.phase.id)}}`;
  }
}

function indexResources(path: LearningPath): IndexedResource[] {
  let ordinal = 0;
  return path.phases.flatMap((phase) => phase.resources.map((resource) => new ResourceInCatalog(path, phase, resource, ordinal++)));
}
