import { readStoredProgress, storageKey, type ProgressSnapshot, type ProgressSource, type StoredProgress } from './progress-source.js';
import { webStorage } from './web-storage.js';

/** A mark the service refused or could not keep; the message is for the learner. */
export class MarkError extends Error {
  override readonly name = 'MarkError';
}

// Checklist ticks are not learner data the service keeps; in a session they stay in this browser,
// under their own key so they are never offered for import.
const checksKey = (slug: string): string => `learnpath:session-checks:v1:${slug}`;

function readChecks(storage: Storage, slug: string): number[] {
  try {
    const value = JSON.parse(storage.getItem(checksKey(slug)) ?? '[]') as unknown;
    return Array.isArray(value) ? value.filter((n): n is number => Number.isInteger(n)) : [];
  } catch {
    return [];
  }
}

async function call(url: string, method: string, csrfToken: string, body?: unknown): Promise<{ completed: string[] } & Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json', 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new MarkError('Your mark could not be saved: the service cannot be reached. Try again.');
  }
  const data = (await response.json().catch(() => ({}))) as { completed?: unknown; detail?: unknown };
  if (!response.ok || !Array.isArray(data.completed)) {
    if (response.status === 401) throw new MarkError('Your session has ended, so marks are no longer saved. Open the course again to sign in.');
    throw new MarkError(`Your mark could not be saved${typeof data.detail === 'string' ? `: ${data.detail}` : '.'}`);
  }
  return data as { completed: string[] } & Record<string, unknown>;
}

/** A learner session's marks, kept by the service (`source: page`); `initial` is what the page was drawn from. */
export function createSessionProgressSource(slug: string, csrfToken: string, initial: readonly string[], storage: Storage = webStorage('local')): ProgressSource & {
  /** Anonymous marks of this path kept in this browser that the session has not got. */
  pendingImport(resourceIds: ReadonlySet<string>): StoredProgress['completed'];
  /** Sends the anonymous marks to the session, then forgets them here. */
  importAnonymous(resourceIds: ReadonlySet<string>): Promise<ProgressSnapshot & { imported: number }>;
} {
  let completed = [...initial];
  const base = `/learn/_session/paths/${encodeURIComponent(slug)}`;
  const snapshot = (): ProgressSnapshot => ({ completed: [...completed], checked: readChecks(storage, slug) });
  return {
    description: 'Your marks are saved to your account.',
    async load() {
      return snapshot();
    },
    async setCompleted(resourceId, done) {
      const data = await call(`${base}/completions/${encodeURIComponent(resourceId)}`, done ? 'PUT' : 'DELETE', csrfToken);
      completed = data.completed;
      return snapshot();
    },
    async setChecked(index, checked) {
      const without = readChecks(storage, slug).filter((n) => n !== index);
      try {
        storage.setItem(checksKey(slug), JSON.stringify(checked ? [...without, index] : without));
      } catch {
        // Storage forbidden: the tick shows until the page is left.
      }
      return snapshot();
    },
    pendingImport(resourceIds) {
      return readStoredProgress(storage, slug).completed.filter((c) => resourceIds.has(c.id) && !completed.includes(c.id));
    },
    async importAnonymous(resourceIds) {
      const marks = this.pendingImport(resourceIds);
      const data = await call(`${base}/import`, 'POST', csrfToken, { completed: marks });
      completed = data.completed;
      try {
        storage.removeItem(storageKey(slug));
      } catch {
        // Nothing to clear when storage is forbidden.
      }
      return { ...snapshot(), imported: Array.isArray(data.imported) ? data.imported.length : 0 };
    },
  };
}
