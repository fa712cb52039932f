import { MemoryStorage, webStorage } from './web-storage.js';

/** A learner's marks on one path. */
export interface ProgressSnapshot {
  /** Ids of the resources marked done. */
  completed: string[];
  /** Indexes of the checklist items the learner ticked. */
  checked: number[];
}

/**
 * Where the page keeps marks. The anonymous source below keeps them in this browser; a
 * session-backed source implements the same three methods against the service.
 */
export interface ProgressSource {
  /** Short words for the page: where marks are kept. */
  readonly description: string;
  load(): Promise<ProgressSnapshot>;
  setCompleted(resourceId: string, done: boolean): Promise<ProgressSnapshot>;
  setChecked(index: number, checked: boolean): Promise<ProgressSnapshot>;
}

/** How anonymous marks are stored under `learnpath:progress:v1:<slug>` (timestamps so an import can keep them). */
export interface StoredProgress {
  version: 1;
  slug: string;
  completed: { id: string; at: string }[];
  checked: number[];
}

/** The localStorage key of a path's anonymous marks. */
export const storageKey = (slug: string): string => `learnpath:progress:v1:${slug}`;

/** Reads the anonymous marks of a path (empty when none, or when the stored value is not ours). */
export function readStoredProgress(storage: Storage, slug: string): StoredProgress {
  const empty: StoredProgress = { version: 1, slug, completed: [], checked: [] };
  let raw: string | null;
  try {
    raw = storage.getItem(storageKey(slug));
  } catch {
    return empty;
  }
  if (raw === null) return empty;
  try {
    const value = JSON.parse(raw) as Partial<StoredProgress>;
    if (value.version !== 1 || !Array.isArray(value.completed)) return empty;
    return {
      version: 1,
      slug,
      completed: value.completed.filter((c): c is { id: string; at: string } => typeof c?.id === 'string' && typeof c.at === 'string'),
      checked: Array.isArray(value.checked) ? value.checked.filter((n): n is number => Number.isInteger(n)) : [],
    };
  } catch {
    return empty;
  }
}

const snapshotOf = (stored: StoredProgress): ProgressSnapshot => ({ completed: stored.completed.map((c) => c.id), checked: [...stored.checked] });

/** Marks kept in this browser's localStorage: they survive reloads, and a later session can import them. */
export function createLocalProgressSource(slug: string, storage: Storage = webStorage('local')): ProgressSource {
  const write = (stored: StoredProgress): ProgressSnapshot => {
    try {
      storage.setItem(storageKey(slug), JSON.stringify(stored));
    } catch {
      // Storage full or forbidden (private mode): the marks still show until the page is left.
    }
    return snapshotOf(stored);
  };
  let memory = readStoredProgress(storage, slug);
  return {
    description: storage instanceof MemoryStorage ? 'Marks you make are kept on this page only: this browser does not let it keep them.' : 'Marks you make are kept in this browser only.',
    async load() {
      memory = readStoredProgress(storage, slug);
      return snapshotOf(memory);
    },
    async setCompleted(resourceId, done) {
      const current = readStoredProgress(storage, slug);
      const without = current.completed.filter((c) => c.id !== resourceId);
      memory = { ...current, completed: done ? [...without, { id: resourceId, at: new Date().toISOString() }] : without };
      return write(memory);
    },
    async setChecked(index, checked) {
      const current = readStoredProgress(storage, slug);
      const without = current.checked.filter((n) => n !== index);
      memory = { ...current, checked: checked ? [...without, index] : without };
      return write(memory);
    },
  };
}
