/** LTI 1.3: used launch nonces, the tool's signing keys, dynamically registered platforms and the grade outbox. */
export const statements: readonly string[] = [
  // A nonce is used by inserting it: the primary key makes a second use fail on every replica.
  `create table lti_nonces (
    nonce text primary key,
    expires_at timestamptz not null
  )`,
  `create index lti_nonces_expires_idx on lti_nonces (expires_at)`,
  // private_key holds the JWK as JSON, or AES-256-GCM ciphertext of it when encrypted is true.
  `create table lti_tool_keys (
    kid text primary key,
    private_key text not null,
    encrypted boolean not null,
    created_at timestamptz not null,
    retired_at timestamptz
  )`,
  `create table lti_platforms (
    issuer text not null,
    client_id text not null,
    deployment_ids text not null,
    auth_login_url text not null,
    access_token_url text not null,
    jwks_url text not null,
    registered_at timestamptz not null default now(),
    primary key (issuer, client_id)
  )`,
  // One queue per (issuer, client_id, line_item, user_id), ordered by seq; delivered rows are deleted.
  `create table lti_outbox (
    seq bigint generated always as identity primary key,
    issuer text not null,
    client_id text not null,
    line_item text not null,
    user_id text not null,
    score text not null,
    state text not null default 'waiting' check (state in ('waiting', 'abandoned')),
    attempts integer not null default 0,
    enqueued_at timestamptz not null,
    due_at timestamptz not null,
    lease_until timestamptz,
    last_error text
  )`,
  `create index lti_outbox_queue_idx on lti_outbox (issuer, client_id, line_item, user_id, seq) where state = 'waiting'`,
  // The links a learner launched a path from: the course (context) they belong to, and the line
  // item their progress is posted to ('' when the link is not graded).
  `create table lti_launches (
    learner_id text not null check (learner_id ~ '^[A-Za-z0-9._:@-]{1,200}$'),
    path_slug text not null,
    issuer text not null,
    client_id text not null,
    context_id text not null,
    line_item text not null,
    user_id text not null,
    launched_at timestamptz not null default now(),
    primary key (learner_id, path_slug, issuer, client_id, line_item)
  )`,
  `create index lti_launches_context_idx on lti_launches (issuer, client_id, context_id, path_slug)`,
  `create index lti_outbox_due_idx on lti_outbox (due_at) where state = 'waiting'`,
];
