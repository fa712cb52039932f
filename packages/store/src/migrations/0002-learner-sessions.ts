/** Single-use learner links and the sessions they open. Secrets are stored as SHA-256 hashes only. */
export const statements: readonly string[] = [
  // A link is consumed by setting consumed_at in the same statement that checks it, so two
  // requests racing with one token cannot both open a session.
  `create table learner_links (
    token_hash text primary key,
    learner_id text not null check (learner_id ~ '^[A-Za-z0-9._:@-]{1,200}$'),
    path_slug text,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    consumed_at timestamptz
  )`,
  `create index learner_links_learner_idx on learner_links (learner_id)`,
  `create index learner_links_expires_idx on learner_links (expires_at)`,
  `create table learner_sessions (
    id_hash text primary key,
    learner_id text not null check (learner_id ~ '^[A-Za-z0-9._:@-]{1,200}$'),
    csrf_secret text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    ended_at timestamptz
  )`,
  `create index learner_sessions_learner_idx on learner_sessions (learner_id)`,
  `create index learner_sessions_expires_idx on learner_sessions (expires_at)`,
];
