import { sql, type Kysely, type Transaction } from 'kysely';
import { decodeEventCursor, encodeEventCursor } from './cursor.js';
import { StoreClosedError, toStoreError } from './errors.js';
import type { Completion, CompletionSource, EventPage, EventType, LearnerEvent, PathState, StartedPath, WriteResult } from './model.js';
import { createLtiOperations, type LtiOperations } from './lti.js';
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

// A path's state as one statement returns it: the columns of `learner_paths` (null for a path
// never touched) and the completions as JSON, so that a read is a single round trip from one snapshot.
interface PathStateRow {
  updated_at: Date | string | null;
  revision: string | null;
  completions: [string, string, string][] | string | null;
}

// The completions of (learner, path) in the statement's snapshot, oldest first, as a JSON array of
// [resource_id, completed_at, source].
const completionsJson = (learnerId: string, slug: string) => sql`(
  select coalesce(json_agg(json_build_array(c.resource_id, c.completed_at, c.source) order by c.completed_at, c.resource_id), '[]'::json)
  from completions c where c.learner_id = ${learnerId} and c.path_slug = ${slug}
)`;

function pathStateOf(slug: string, row: PathStateRow): PathState {
  // PGlite hands JSON back parsed, pg too; a string only if a type parser is missing.
  const list = typeof row.completions === 'string' ? (JSON.parse(row.completions) as [string, string, string][]) : (row.completions ?? []);
  return {
    completions: list.map(([resourceId, completedAt, source]) => ({ slug, resourceId, completedAt: iso(completedAt), source: source as CompletionSource })),
    updatedAt: row.updated_at === null ? null : iso(row.updated_at),
    revision: row.revision,
  };
}

async function readPathState(db: Kysely<Tables>, learnerId: string, slug: string): Promise<PathState> {
  const { rows } = await sql<PathStateRow>`
    select lp.updated_at, cast(lp.last_event_id as text) as revision, ${completionsJson(learnerId, slug)} as completions
    from (select 1) as one
    left join learner_paths lp on lp.learner_id = ${learnerId} and lp.path_slug = ${slug}`.execute(db);
  return pathStateOf(slug, rows[0]!);
}

// What the one-statement writes return: whether they changed anything, and the path's state.
interface WriteRow extends PathStateRow {
  changed: boolean;
}

// The completions with `written` in its place: the one of that resource replaced (or taken out when
// `written` is null), oldest first.
function placeWritten(completions: readonly Completion[], written: Completion | null, resourceId = written?.resourceId): Completion[] {
  const others = completions.filter((c) => c.resourceId !== resourceId);
  return [...others, ...(written === null ? [] : [written])].sort((a, b) =>
    a.completedAt < b.completedAt ? -1 : a.completedAt > b.completedAt ? 1 : a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0,
  );
}

// Within one statement every part sees the snapshot taken at its start, so the completions read
// there do not show the statement's own change: the written completion is put in (complete) or
// taken out (uncomplete) here. The other resources are as of the snapshot.
function writtenState(slug: string, row: WriteRow, written: Completion | null, resourceId = written?.resourceId): PathState {
  const state = pathStateOf(slug, row);
  return { ...state, completions: placeWritten(state.completions, written, resourceId) };
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
      return run(async () => {
        // One statement, one round trip: the learner, the completion, its event and the path's
        // revision. Concurrent writes to the same completion meet on its row (the insert waits
        // for a concurrent insert or delete of it to commit), so the event ids follow the order in
        // which the changes took effect. A completion already there is kept as it is (the no-op
        // update only locks it, so that it is returned as it stands) and logs nothing: `xmax = 0`
        // tells a row this statement inserted from one it found. Foreign keys are checked at the
        // end of the statement, after every part ran.
        const { rows } = await sql<WriteRow & { written: [string, string, string] | string }>`
          with learner as (
            insert into learners (id) values (${learnerId}) on conflict (id) do nothing
          ), done as (
            insert into completions (learner_id, path_slug, resource_id, completed_at, source)
            values (${learnerId}, ${slug}, ${resourceId}, cast(${completedAt} as timestamptz), ${source})
            on conflict (learner_id, path_slug, resource_id) do update set source = completions.source
            returning resource_id, completed_at, source, (xmax = 0) as inserted
          ), event as (
            insert into events (type, learner_id, path_slug, resource_id, source, completed_at)
            select 'completed', cast(${learnerId} as text), cast(${slug} as text), done.resource_id, done.source, done.completed_at from done where done.inserted
            returning id
          ), path as (
            insert into learner_paths (learner_id, path_slug, last_event_id)
            select cast(${learnerId} as text), cast(${slug} as text), event.id from event
            on conflict (learner_id, path_slug) do update
              set updated_at = now(), last_event_id = greatest(learner_paths.last_event_id, excluded.last_event_id)
            returning updated_at, last_event_id
          )
          select exists (select 1 from event) as changed,
            (select json_build_array(done.resource_id, done.completed_at, done.source) from done) as written,
            coalesce((select updated_at from path), lp.updated_at) as updated_at,
            cast(coalesce((select last_event_id from path), lp.last_event_id) as text) as revision,
            ${completionsJson(learnerId, slug)} as completions
          from (select 1) as one
          left join learner_paths lp on lp.learner_id = ${learnerId} and lp.path_slug = ${slug}`.execute(db);
        const row = rows[0]!;
        const changed = row.changed === true || (row.changed as unknown) === 't';
        const [writtenId, writtenAt, writtenSource] = typeof row.written === 'string' ? (JSON.parse(row.written) as [string, string, string]) : row.written;
        const written: Completion = { slug, resourceId: writtenId, completedAt: iso(writtenAt), source: writtenSource as CompletionSource };
        // A completion found there but committed after this statement's snapshot has no
        // started path in it yet: read the path's time and revision again.
        if (!changed && row.revision === null) {
          const state = await readPathState(db, learnerId, slug);
          return { changed, state: { ...state, completions: placeWritten(state.completions, written) } };
        }
        return { changed, state: writtenState(slug, row, written) };
      });
    },

    async uncompleteResource(input) {
      const learnerId = checkLearnerId(input.learnerId);
      const slug = checkSlug(input.slug, 'slug');
      const resourceId = checkSlug(input.resourceId, 'resourceId');
      const source = checkSource(input.source ?? 'api');
      return run(async () => {
        // One statement, as completeResource: a concurrent delete of the same row waits and then
        // finds nothing to delete, so only one of them logs the change.
        const { rows } = await sql<WriteRow>`
          with undone as (
            delete from completions
            where learner_id = ${learnerId} and path_slug = ${slug} and resource_id = ${resourceId}
            returning resource_id
          ), event as (
            insert into events (type, learner_id, path_slug, resource_id, source)
            select 'uncompleted', cast(${learnerId} as text), cast(${slug} as text), undone.resource_id, cast(${source} as text) from undone
            returning id
          ), path as (
            update learner_paths
            set updated_at = now(), last_event_id = greatest(learner_paths.last_event_id, event.id)
            from event
            where learner_paths.learner_id = ${learnerId} and learner_paths.path_slug = ${slug}
            returning learner_paths.updated_at, learner_paths.last_event_id
          )
          select exists (select 1 from undone) as changed,
            coalesce((select updated_at from path), lp.updated_at) as updated_at,
            cast(coalesce((select last_event_id from path), lp.last_event_id) as text) as revision,
            ${completionsJson(learnerId, slug)} as completions
          from (select 1) as one
          left join learner_paths lp on lp.learner_id = ${learnerId} and lp.path_slug = ${slug}`.execute(db);
        const row = rows[0]!;
        const changed = row.changed === true || (row.changed as unknown) === 't';
        return { changed, state: writtenState(slug, row, null, resourceId) };
      });
    },

    async getPathState(learnerIdInput, slugInput) {
      const learnerId = checkLearnerId(learnerIdInput);
      const slug = checkSlug(slugInput, 'slug');
      // One statement, so the completions and the revision are from the same snapshot.
      return run(() => readPathState(db, learnerId, slug));
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
      return run(() =>
        db.transaction().execute(async (trx) => {
          await lockLearner(trx, learnerId);
          // Links and sessions end with the learner, whether or not anything else was stored.
          await trx.deleteFrom('learner_links').where('learner_id', '=', learnerId).execute();
          await trx.deleteFrom('lti_launches').where('learner_id', '=', learnerId).execute();
          await trx.deleteFrom('learner_sessions').where('learner_id', '=', learnerId).execute();
          // Completions, started paths and events go with the learner (on delete cascade).
          const deleted = await trx.deleteFrom('learners').where('id', '=', learnerId).returning('id').executeTakeFirst();
          if (!deleted) return { erased: false };
          await appendEvent(trx, { type: 'erased', learnerId: null });
          return { erased: true };
        }),
      );
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

