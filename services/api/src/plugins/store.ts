import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { StoreUnavailableError, type Store } from '@learnpath/store';
import { ProblemError } from '../http/problem.js';
import type { HealthCheck } from '../rest/health-checks.js';

/** Seconds a client is told to wait (`Retry-After`) while the learner database is away. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** How long the health check waits for the database before reporting it away. */
const PING_TIMEOUT_MS = 1_500;

/** Options of the store plugin. */
export interface StorePluginOptions {
  /**
   * The learner store, or a promise of it while it opens (content routes serve meanwhile, learner
   * routes answer 503), or null when the app serves content only.
   */
  store: Store | Promise<Store> | null;
}

/**
 * Decorates the app with the learner store. The caller that opened the store closes it
 * (server.ts after the app; tests once per file), so one store can serve several apps.
 */
export const storePlugin = fp<StorePluginOptions>(
  async (app, { store }) => {
    let current: Store | null = store instanceof Promise ? null : store;
    let opening = store instanceof Promise;
    if (store instanceof Promise) {
      // The caller handles a failed open (server.ts exits); here it only ends the wait.
      store.then(
        (opened) => {
          current = opened;
          opening = false;
        },
        () => {
          opening = false;
        },
      );
    }
    app.decorate('learnerStore', { getter: () => current });
    app.decorate('learnerStoreOpening', { getter: () => opening });
  },
  { name: 'learnpath-store' },
);

/** The learner store of `app`; a `StoreUnavailableError` (503) while it opens or when none is configured. */
export function requireStore(app: FastifyInstance): Store {
  const store = app.learnerStore;
  if (store !== null) return store;
  throw new StoreUnavailableError(app.learnerStoreOpening ? 'the learner database is still opening' : 'no learner database is configured for this service');
}

/** The problem a `StoreUnavailableError` becomes: 503 with `Retry-After`. */
export function storeUnavailableProblem(): ProblemError {
  return new ProblemError(503, 'The learner database is unavailable right now; content routes still answer. Retry after the time the Retry-After header gives.', {
    type: 'urn:learnpath:problem:store-unavailable',
    headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
  });
}

/** A `/healthz` check: degraded while the learner database opens or does not answer. */
export function storeHealthCheck(app: FastifyInstance): HealthCheck {
  return async () => {
    const store = app.learnerStore;
    if (store === null) {
      return app.learnerStoreOpening ? { code: 'database-unavailable', message: 'The learner database is still opening; learner routes answer 503 until it is open.' } : undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`it did not answer within ${PING_TIMEOUT_MS} ms`), PING_TIMEOUT_MS);
    });
    try {
      const failure = await Promise.race([store.ping().then(() => null), timeout]);
      return failure === null ? undefined : { code: 'database-unavailable', message: `The learner database is unavailable: ${failure}.` };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return { code: 'database-unavailable', message: text.slice(0, 400) };
    } finally {
      clearTimeout(timer);
    }
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The learner store, or null while it opens or when none is configured. */
    learnerStore: Store | null;
    /** Whether the learner store is still opening. */
    learnerStoreOpening: boolean;
  }
}
