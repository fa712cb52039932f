import type { Catalog } from '@learnpath/content';
import type { Diagnostic } from '@learnpath/schema';

/** What the service is serving: the catalog, and whether newer content failed to load. */
export interface CatalogState {
  /** The catalog every request reads; replaced whole, never mutated. */
  readonly catalog: Catalog;
  /** True when the content on disk changed but could not be loaded; the last good catalog is served. */
  readonly stale: boolean;
  /** Diagnostics of the latest load: the failed one when stale, else the one served (its warnings). */
  readonly diagnostics: readonly Diagnostic[];
  /** When the served catalog was loaded. */
  readonly loadedAt: Date;
}

/**
 * Holds the served catalog. A request reads `state` once and uses that snapshot throughout,
 * so a swap in watch mode is atomic: every response comes from one complete catalog.
 */
export class CatalogStore {
  #state: CatalogState;
  readonly #listeners = new Set<(state: CatalogState) => void>();

  /** `diagnostics`: the warnings the catalog was loaded with. */
  constructor(catalog: Catalog, diagnostics: readonly Diagnostic[] = []) {
    this.#state = Object.freeze({ catalog, stale: false, diagnostics: Object.freeze([...diagnostics]), loadedAt: new Date() });
  }

  /** The current snapshot. */
  get state(): CatalogState {
    return this.#state;
  }

  /** The current catalog. */
  get catalog(): Catalog {
    return this.#state.catalog;
  }

  /** Serves a new catalog from now on; `diagnostics` are the warnings it was loaded with. */
  swap(catalog: Catalog, diagnostics: readonly Diagnostic[] = []): void {
    this.#set({ catalog, stale: false, diagnostics: Object.freeze([...diagnostics]), loadedAt: new Date() });
  }

  /** Keeps serving the current catalog but records that newer content failed to load. */
  markStale(diagnostics: readonly Diagnostic[]): void {
    this.#set({ ...this.#state, stale: true, diagnostics: Object.freeze([...diagnostics]) });
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  subscribe(listener: (state: CatalogState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(state: CatalogState): void {
    this.#state = Object.freeze(state);
    for (const listener of this.#listeners) listener(this.#state);
  }
}
