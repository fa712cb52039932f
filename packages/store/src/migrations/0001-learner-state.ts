/** Learners, their started paths, completions and the append-only event log. */
export const statements: readonly string[] = [
  `create table learners (
    id text primary key check (id ~ '^[A-Za-z0-9._:@-]{1,200}$'),
    created_at timestamptz not null default now()
  )`,
  // One row per path a learner has touched: when it started, when it last changed, and the
  // id of the last event, which serves as the revision behind progress ETags.
  `create table learner_paths (
    learner_id text not null references learners (id) on delete cascade,
    path_slug text not null,
    started_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    last_event_id bigint not null,
    primary key (learner_id, path_slug)
  )`,
  `create index learner_paths_updated_idx on learner_paths (learner_id, updated_at desc)`,
  `create table completions (
    learner_id text not null,
    path_slug text not null,
    resource_id text not null,
    completed_at timestamptz not null,
    source text not null check (source in ('api', 'page', 'lti', 'cmi5')),
    recorded_at timestamptz not null default now(),
    primary key (learner_id, path_slug, resource_id),
    foreign key (learner_id, path_slug) references learner_paths (learner_id, path_slug) on delete cascade
  )`,
  // Erasing a learner removes their events with them (cascade); the erasure itself is logged
  // with a null learner id, so the log says that an erasure happened and nothing about whom.
  `create table events (
    id bigint generated always as identity primary key,
    type text not null check (type in ('completed', 'uncompleted', 'erased')),
    learner_id text references learners (id) on delete cascade,
    path_slug text,
    resource_id text,
    source text check (source in ('api', 'page', 'lti', 'cmi5')),
    completed_at timestamptz,
    recorded_at timestamptz not null default now(),
    check ((type = 'erased') = (learner_id is null))
  )`,
  `create index events_learner_idx on events (learner_id, id desc)`,
];
