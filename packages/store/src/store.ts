import { sql, type Kysely, type Transaction } from 'kysely';
import { createBatcher } from './batcher.js';
import { decodeEventCursor, encodeEventCursor } from './cursor.js';
import { createPathStateCache } from './path-state-cache.js';
import { RecentMap } from './recent-map.js';
import { StoreClosedError, toStoreError } from './errors.js';
import type { Completion, CompletionSource, EventPage, EventType, LearnerEvent, PathState, StartedPath, WriteResult } from './model.js';
import { createLtiOperations, type LtiOperations } from './lti.js';
import { readPathStates, writeMany, type PathKey, type PathRead, type PathWrite } from './path-states.js';
import { createSessionOperations, type SessionOperations } from './sessions.js';
import type { Tables } from './tables.js';
import { checkLearnerId, checkSlug, checkSource, checkTime } from './validate.js';

/** Which database a store runs on. */
export type StoreEngine = 'pglite' | 'postgres';

/** What to mark done. */
export interface CompleteInput {
  learnerId: string;
  slug: string;
  resourceId: string;
  /** When the learner completed it; default now. */
  completedAt?: Date | string;
  /** Where the completion comes from; default `api`. */
  source?: CompletionSource;
}

/** What to mark not done. */
export interface UncompleteInput {
  learnerId: string;
  slug: string;
  resourceId: string;
  /** Where the change comes from; default `api`. */
  source?: CompletionSource;
}

/** Learner state: completions and the event log. Every method throws `StoreUnavailableError` when the database is away. */
export interface Store extends SessionOperations {
  /** `pglite` (embedded) or `postgres` (server). */
  readonly engine: StoreEngine;
  /** LTI 1.3 storage: nonces, tool keys, platform registrations and the grade outbox. */
  readonly lti: LtiOperations;
  /** Marks a resource done; idempotent (a second call keeps the first time and logs nothing). Resolves once committed. */
  completeResource(input: CompleteInput): Promise<WriteResult>;
  /** Marks a resource not done; nothing happens when it was not done. Resolves once committed. */
  uncompleteResource(input: UncompleteInput): Promise<WriteResult>;
  /** When the learner last marked the resource not done (ISO 8601), or null when never. */
  lastUncompletedAt(learnerId: string, slug: string, resourceId: string): Promise<string | null>;
  /** The learner's completions on one path with the time and revision of the last change. */
  getPathState(learnerId: string, slug: string): Promise<PathState>;
  /** The learner's completions on every path, by path then time. */
  listCompletions(learnerId: string): Promise<Completion[]>;
  /** The paths the learner has started, most recently changed first. */
  listStartedPaths(learnerId: string): Promise<StartedPath[]>;
  /** The learner's events, newest first; `limit` 1–1000 (default 50). */
  listEvents(learnerId: string, page?: { limit?: number; cursor?: string | null }): Promise<EventPage>;
  /** Removes everything about the learner (links and sessions too) and logs an erasure without the id. Resolves to whether there was anything. */
  eraseLearner(learnerId: string): Promise<{ erased: boolean }>;
  /** Resolves when the database answers; otherwise rejects with `StoreUnavailableError`. */
  ping(): Promise<void>;
  /** Closes the connections (and releases the PGlite data folder). */
  close(): Promise<void>;
}

// How many (learner, path) states a store keeps in memory.
const PATH_STATE_CACHE_SIZE = 20_000;

// Namespace of the per-learner advisory locks (two-key form, so it cannot meet the migrator's lock).
const LEARNER_LOCK_NAMESPACE = 0x4c50;

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

async function lockLearner(trx: Transaction<Tables>, learnerId: string): Promise<void> {
  // Writes to one learner are serialised: each sees every write committed before it, so the
  // state after concurrent writes is the state of the last one to commit, and every change is
  // logged exactly once.
  await sql`select pg_advisory_xact_lock(${sql.lit(LEARNER_LOCK_NAMESPACE)}, hashtext(${learnerId}))`.execute(trx);
}

async function appendEvent(
  trx: Transaction<Tables>,
  event: { type: EventType; learnerId: string | null; slug?: string; resourceId?: string; source?: CompletionSource; completedAt?: Date },
): Promise<string> {
  const row = await trx
    .insertInto('events')
    .values({
      type: event.type,
      learner_id: event.learnerId,
      path_slug: event.slug ?? null,
      resource_id: event.resourceId ?? null,
      source: event.source ?? null,
      completed_at: event.completedAt ?? null,
    })
    .returning(sql<string>`cast(id as text)`.as('id'))
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The store's operations over a migrated database. */
export function createStore(db: Kysely<Tables>, engine: StoreEngine, closeEngine: () => Promise<void>): Store {
  let closed = false;
  // Every operation goes through here: a closed store says so, and an unreachable server
  // becomes StoreUnavailableError whatever the query was.
  const run = async <T>(operation: () => Promise<T>): Promise<T> => {
    if (closed) throw new StoreClosedError();
    try {
      return await operation();
    } catch (error) {
      throw toStoreError(error);
    }
  };

  // Completions and progress reads arriving together share statements (see batcher.ts). Writes to
  // one (learner, path) run one after the other in call order, never in the same statement.
  // PGlite is one connection: one batch at a time, the next one gathering meanwhile. On
  // PostgreSQL two write batches and up to eight read batches run at once (reads wait on the
  // server's backends more than on this process).
  const pglite = engine === 'pglite';
  const pathKey = (key: PathKey): string => `${key.learnerId}\u0000${key.slug}`;
  const writeBatch = createBatcher<PathWrite, WriteResult>({ key: pathKey, sameKey: 'exclusive', run: (writes) => writeMany(db, writes), maxBatch: 256, maxInFlight: pglite ? 1 : 2 });
  const readBatch = createBatcher<PathRead, PathState>({ key: pathKey, sameKey: 'shared', run: (keys) => readPathStates(db, keys), maxBatch: 256, maxInFlight: pglite ? 1 : 8 });
  // With PGlite this process is the only writer, so the states it read or wrote last stay true.
  const cache = pglite ? createPathStateCache(PATH_STATE_CACHE_SIZE) : null;
  // A PostgreSQL server has other writers (replicas): every read asks it, but a state read
  // before comes back without its completions while its revision is the current one. Only
  // reads fill this: a write's answer may not show a concurrent write of another replica.
  const known = new RecentMap<PathState>(PATH_STATE_CACHE_SIZE);
  const readKnown = async (key: PathKey): Promise<PathState> => {
    const state = await readBatch({ ...key, known: known.get(pathKey(key)) ?? null });
    known.set(pathKey(key), state);
    return state;
  };
  const read = (key: PathKey): Promise<PathState> => (cache === null ? readKnown(key) : cache.read(pathKey(key), key.learnerId, () => readBatch(key)));
  const write = (item: PathWrite): Promise<WriteResult> => (cache === null ? writeBatch(item) : cache.write(pathKey(item), item.learnerId, () => writeBatch(item)));

  // Methods are async so that invalid input rejects like every other failure.
  return {
    engine,
    ...createSessionOperations(db, run),
    lti: createLtiOperations(db, run),

    async completeResource(input) {
      const learnerId = checkLearnerId(input.learnerId);
      const slug = checkSlug(input.slug, 'slug');
      const resourceId = checkSlug(input.resourceId, 'resourceId');
      const completedAt = checkTime(input.completedAt ?? new Date()).toISOString();
      const source = checkSource(input.source ?? 'api');
      return run(() => write({ type: 'complete', learnerId, slug, resourceId, completedAt, source }));
    },

    async uncompleteResource(input) {
      const learnerId = checkLearnerId(input.learnerId);
      const slug = checkSlug(input.slug, 'slug');
      const resourceId = checkSlug(input.resourceId, 'resourceId');
      const source = checkSource(input.source ?? 'api');
      return run(() => write({ type: 'uncomplete', learnerId, slug, resourceId, source }));
    },

    async getPathState(learnerIdInput, slugInput) {
      const learnerId = checkLearnerId(learnerIdInput);
      const slug = checkSlug(slugInput, 'slug');
      return run(() => read({ learnerId, slug }));
    },

    async lastUncompletedAt(learnerIdInput, slugInput, resourceIdInput) {
      const learnerId = checkLearnerId(learnerIdInput);
      const slug = checkSlug(slugInput, 'slug');
      const resourceId = checkSlug(resourceIdInput, 'resourceId');
      return run(async () => {
        const row = await db
          .selectFrom('events')
          .select(sql<Date | string | null>`max(recorded_at)`.as('at'))
          .where('learner_id', '=', learnerId)
          .where('path_slug', '=', slug)
          .where('resource_id', '=', resourceId)
          .where('type', '=', 'uncompleted')
          .executeTakeFirst();
        return row?.at == null ? null : iso(row.at);
      });
    },

    async listCompletions(learnerIdInput) {
      const learnerId = checkLearnerId(learnerIdInput);
      return run(async () => {
        const rows = await db
          .selectFrom('completions')
          .select(['path_slug', 'resource_id', 'completed_at', 'source'])
          .where('learner_id', '=', learnerId)
          .orderBy('path_slug')
          .orderBy('completed_at')
          .orderBy('resource_id')
          .execute();
        return rows.map((r) => ({ slug: r.path_slug, resourceId: r.resource_id, completedAt: iso(r.completed_at), source: r.source as CompletionSource }));
      });
    },

    async listStartedPaths(learnerIdInput) {
      const learnerId = checkLearnerId(learnerIdInput);
      return run(async () => {
        const rows = await db
          .selectFrom('learner_paths')
          .select(['path_slug', 'started_at', 'updated_at', sql<string>`cast(last_event_id as text)`.as('revision')])
          .where('learner_id', '=', learnerId)
          .orderBy('updated_at', 'desc')
          .orderBy('path_slug')
          .execute();
        return rows.map((r) => ({ slug: r.path_slug, startedAt: iso(r.started_at), updatedAt: iso(r.updated_at), revision: r.revision }));
      });
    },

    async listEvents(learnerIdInput, page = {}) {
      const learnerId = checkLearnerId(learnerIdInput);
      const limit = Math.min(1000, Math.max(1, Math.trunc(page.limit ?? 50)));
      const before = page.cursor ? decodeEventCursor(page.cursor) : null;
      return run(async () => {
        let query = db
          .selectFrom('events')
          .select([sql<string>`cast(id as text)`.as('event_id'), 'type', 'path_slug', 'resource_id', 'source', 'completed_at', 'recorded_at'])
          .where('learner_id', '=', learnerId);
        if (before !== null) query = query.where('id', '<', before);
        // Ordered by the bigint column, not by its text form.
        const rows = await query.orderBy('events.id', 'desc').limit(limit + 1).execute();
        const items: LearnerEvent[] = rows.slice(0, limit).map((r) => ({
          id: r.event_id,
          type: r.type as EventType,
          slug: r.path_slug,
          resourceId: r.resource_id,
          source: r.source as CompletionSource | null,
          completedAt: isoOrNull(r.completed_at),
          recordedAt: iso(r.recorded_at),
        }));
        const last = items[items.length - 1];
        return { items, nextCursor: rows.length > limit && last ? encodeEventCursor(last.id) : null };
      });
    },

    async eraseLearner(learnerIdInput) {
      const learnerId = checkLearnerId(learnerIdInput);
      const erase = () =>
        db.transaction().execute(async (trx) => {
          await lockLearner(trx, learnerId);
          // Links and sessions end with the learner, whether or not anything else was stored.
          await trx.deleteFrom('learner_links').where('learner_id', '=', learnerId).execute();
          await trx.deleteFrom('lti_launches').where('learner_id', '=', learnerId).execute();
          await trx.deleteFrom('lti_people').where('learner_id', '=', learnerId).execute();
          await trx.deleteFrom('lti_course_views').where('learner_id', '=', learnerId).execute();
          await trx.deleteFrom('learner_sessions').where('learner_id', '=', learnerId).execute();
          // Completions, started paths and events go with the learner (on delete cascade).
          const deleted = await trx.deleteFrom('learners').where('id', '=', learnerId).returning('id').executeTakeFirst();
          if (!deleted) return { erased: false };
          await appendEvent(trx, { type: 'erased', learnerId: null });
          return { erased: true };
        });
      return run(() => (cache === null ? erase() : cache.erase(learnerId, erase)));
    },

    async ping() {
      return run(async () => {
        await sql`select 1`.execute(db);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      await db.destroy().catch(() => {});
      await closeEngine();
    },
  };
}

