import { sql, type Kysely } from 'kysely';
import type { Completion, CompletionSource, PathState, WriteResult } from './model.js';
import type { Tables } from './tables.js';

// The statements behind completions and progress reads, each over many (learner, path) pairs at
// once: the calls arrive as one JSON parameter (`json_to_recordset`), so the statement text never
// changes (PostgreSQL connections prepare it once, see engines/postgres.ts) and one round trip
// serves a whole batch. Each statement's answers come back in the
// order of its input (`n`). A batch never holds the same (learner, path) twice (see batcher.ts).

/** A (learner, path) pair whose state is read. */
export interface PathKey {
  learnerId: string;
  slug: string;
}

/** A checked completion: every field present. */
export interface CompletionWrite extends PathKey {
  type: 'complete';
  resourceId: string;
  completedAt: string;
  source: CompletionSource;
}

/** A checked un-completion. */
export interface UncompletionWrite extends PathKey {
  type: 'uncomplete';
  resourceId: string;
  source: CompletionSource;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

// A path's state as the statements return it: the columns of `learner_paths` (null for a path
// never touched) and the completions as JSON, so that each state comes from one snapshot.
interface PathStateRow {
  updated_at: Date | string | null;
  revision: string | null;
  completions: [string, string, string][] | string | null;
}

interface WriteRow extends PathStateRow {
  changed: boolean | string;
}

// The completions of the input row `i`'s (learner, path) in the statement's snapshot, oldest
// first, as a JSON array of [resource_id, completed_at, source].
const completionsOfInput = sql`(
  select coalesce(json_agg(json_build_array(c.resource_id, c.completed_at, c.source) order by c.completed_at, c.resource_id), '[]'::json)
  from completions c where c.learner_id = i.learner_id and c.path_slug = i.path_slug
)`;

// The end of both write statements: for each input row, the state of its (learner, path) after the
// write, with the time and revision that the `path` part set, or as it was when nothing changed.
const stateAfterWrite = sql`coalesce(p.updated_at, lp.updated_at) as updated_at,
      cast(coalesce(p.last_event_id, lp.last_event_id) as text) as revision,
      ${completionsOfInput} as completions
    from input i
    left join path p on p.learner_id = i.learner_id and p.path_slug = i.path_slug
    left join learner_paths lp on lp.learner_id = i.learner_id and lp.path_slug = i.path_slug
    order by i.n`;

// PGlite hands JSON and booleans back parsed, pg too; strings only if a type parser is missing.
const parsedJson = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
const isTrue = (value: boolean | string): boolean => value === true || value === 't' || value === 'true';

function pathStateOf(slug: string, row: PathStateRow): PathState {
  const list = row.completions === null ? [] : parsedJson(row.completions);
  return {
    completions: list.map(([resourceId, completedAt, source]) => ({ slug, resourceId, completedAt: iso(completedAt), source: source as CompletionSource })),
    updatedAt: row.updated_at === null ? null : iso(row.updated_at),
    revision: row.revision,
  };
}

// Within one statement every part sees the snapshot taken at its start, so the completions read
// there do not show the statement's own change: the written completion is put in (complete) or
// the resource taken out (uncomplete) here. The other resources are as of the snapshot.
function placeWritten(completions: readonly Completion[], resourceId: string, written: Completion | null): Completion[] {
  const others = completions.filter((c) => c.resourceId !== resourceId);
  return [...others, ...(written === null ? [] : [written])].sort((a, b) =>
    a.completedAt < b.completedAt ? -1 : a.completedAt > b.completedAt ? 1 : a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0,
  );
}

// The input of a statement: one JSON array of rows numbered in call order.
const input = (rows: readonly Record<string, string>[]): string => JSON.stringify(rows.map((row, n) => ({ ...row, n })));

/** A (learner, path) pair to read, and the state the caller read last, if any. */
export interface PathRead extends PathKey {
  /** Given back as it is, without its completions crossing the wire again, while its revision is still the current one. */
  known?: PathState | null;
}

/**
 * The state of each (learner, path), from one snapshot. A revision changes with every change of
 * the completions (it is the id of the last event), so a known state whose revision is current
 * is the state: only the revision is compared then.
 */
export async function readPathStates(db: Kysely<Tables>, keys: readonly PathRead[]): Promise<PathState[]> {
  const rows = keys.map((k) => ({ learner_id: k.learnerId, path_slug: k.slug, known: k.known?.revision ?? '' }));
  const { rows: found } = await sql<PathStateRow & { unchanged: boolean | string }>`/* prepared:learnpath_read_path_states */
    select lp.updated_at, cast(lp.last_event_id as text) as revision, coalesce(cast(lp.last_event_id as text) = i.known, false) as unchanged,
      case when cast(lp.last_event_id as text) = i.known then null else ${completionsOfInput} end as completions
    from json_to_recordset(cast(${input(rows)} as json)) as i(n int, learner_id text, path_slug text, known text)
    left join learner_paths lp on lp.learner_id = i.learner_id and lp.path_slug = i.path_slug
    order by i.n`.execute(db);
  return found.map((row, n) => (isTrue(row.unchanged) ? keys[n]!.known! : pathStateOf(keys[n]!.slug, row)));
}

/**
 * Marks each resource done, in one statement: the learners, the completions, their events and
 * the paths' revisions. A completion already there is kept as it is (the no-op update only locks
 * it, so that it is returned as it stands) and logs nothing: `xmax = 0` tells a row this
 * statement inserted from one it found. Concurrent statements writing the same completion meet
 * on its row, so event ids follow the order in which changes took effect. Foreign keys are
 * checked at the end of the statement, after every part ran.
 */
export async function completeMany(db: Kysely<Tables>, writes: readonly CompletionWrite[]): Promise<WriteResult[]> {
  const { rows } = await sql<WriteRow & { written: [string, string, string] | string }>`/* prepared:learnpath_complete */
    with input as (
      select * from json_to_recordset(cast(${input(writes.map((w) => ({ learner_id: w.learnerId, path_slug: w.slug, resource_id: w.resourceId, completed_at: w.completedAt, source: w.source })))} as json))
        as i(n int, learner_id text, path_slug text, resource_id text, completed_at timestamptz, source text)
    ), learner as (
      insert into learners (id) select distinct learner_id from input on conflict (id) do nothing
    ), done as (
      insert into completions (learner_id, path_slug, resource_id, completed_at, source)
      select learner_id, path_slug, resource_id, completed_at, source from input order by n
      on conflict (learner_id, path_slug, resource_id) do update set source = completions.source
      returning learner_id, path_slug, resource_id, completed_at, source, (xmax = 0) as inserted
    ), event as (
      insert into events (type, learner_id, path_slug, resource_id, source, completed_at)
      select 'completed', d.learner_id, d.path_slug, d.resource_id, d.source, d.completed_at
      from done d join input i on i.learner_id = d.learner_id and i.path_slug = d.path_slug
      where d.inserted order by i.n
      returning id, learner_id, path_slug
    ), path as (
      insert into learner_paths (learner_id, path_slug, last_event_id)
      select learner_id, path_slug, id from event
      on conflict (learner_id, path_slug) do update
        set updated_at = now(), last_event_id = greatest(learner_paths.last_event_id, excluded.last_event_id)
      returning learner_id, path_slug, updated_at, last_event_id
    )
    select p.learner_id is not null as changed,
      (select json_build_array(d.resource_id, d.completed_at, d.source) from done d where d.learner_id = i.learner_id and d.path_slug = i.path_slug) as written,
      ${stateAfterWrite}`.execute(db);
  const results: WriteResult[] = [];
  const unseen: number[] = [];
  rows.forEach((row, n) => {
    const { slug, resourceId } = writes[n]!;
    const [, completedAt, source] = parsedJson(row.written);
    const written: Completion = { slug, resourceId, completedAt: iso(completedAt), source: source as CompletionSource };
    const changed = isTrue(row.changed);
    // A completion found there but committed after this statement's snapshot has no started
    // path in it yet: its time and revision are read again.
    if (!changed && row.revision === null) unseen.push(n);
    const state = pathStateOf(slug, row);
    results.push({ changed, state: { ...state, completions: placeWritten(state.completions, resourceId, written) } });
  });
  if (unseen.length > 0) {
    const again = await readPathStates(db, unseen.map((n) => writes[n]!));
    unseen.forEach((n, k) => {
      const written = results[n]!.state.completions.find((c) => c.resourceId === writes[n]!.resourceId)!;
      results[n]!.state = { ...again[k]!, completions: placeWritten(again[k]!.completions, written.resourceId, written) };
    });
  }
  return results;
}

/** Marks each resource not done, in one statement, as `completeMany`: a concurrent delete of the same row waits and then finds nothing, so only one of them logs the change. */
export async function uncompleteMany(db: Kysely<Tables>, writes: readonly UncompletionWrite[]): Promise<WriteResult[]> {
  const { rows } = await sql<WriteRow>`/* prepared:learnpath_uncomplete */
    with input as (
      select * from json_to_recordset(cast(${input(writes.map((w) => ({ learner_id: w.learnerId, path_slug: w.slug, resource_id: w.resourceId, source: w.source })))} as json))
        as i(n int, learner_id text, path_slug text, resource_id text, source text)
    ), undone as (
      delete from completions c using input i
      where c.learner_id = i.learner_id and c.path_slug = i.path_slug and c.resource_id = i.resource_id
      returning c.learner_id, c.path_slug, c.resource_id
    ), event as (
      insert into events (type, learner_id, path_slug, resource_id, source)
      select 'uncompleted', u.learner_id, u.path_slug, u.resource_id, i.source
      from undone u join input i on i.learner_id = u.learner_id and i.path_slug = u.path_slug
      order by i.n
      returning id, learner_id, path_slug
    ), path as (
      update learner_paths lp
      set updated_at = now(), last_event_id = greatest(lp.last_event_id, e.id)
      from event e
      where lp.learner_id = e.learner_id and lp.path_slug = e.path_slug
      returning lp.learner_id, lp.path_slug, lp.updated_at, lp.last_event_id
    )
    select exists (select 1 from undone u where u.learner_id = i.learner_id and u.path_slug = i.path_slug) as changed,
      ${stateAfterWrite}`.execute(db);
  return rows.map((row, n) => {
    const { slug, resourceId } = writes[n]!;
    const state = pathStateOf(slug, row);
    return { changed: isTrue(row.changed), state: { ...state, completions: placeWritten(state.completions, resourceId, null) } };
  });
}

/** A checked write of either kind. */
export type PathWrite = CompletionWrite | UncompletionWrite;

/** Runs each write: the completions in one statement, the un-completions in another (a batch never holds one (learner, path) twice, so they are independent). */
export async function writeMany(db: Kysely<Tables>, writes: readonly PathWrite[]): Promise<WriteResult[]> {
  const completions = writes.filter((w): w is CompletionWrite => w.type === 'complete');
  const uncompletions = writes.filter((w): w is UncompletionWrite => w.type === 'uncomplete');
  const [done, undone] = await Promise.all([
    completions.length > 0 ? completeMany(db, completions) : [],
    uncompletions.length > 0 ? uncompleteMany(db, uncompletions) : [],
  ]);
  let c = 0;
  let u = 0;
  return writes.map((w) => (w.type === 'complete' ? done[c++]! : undone[u++]!));
}
