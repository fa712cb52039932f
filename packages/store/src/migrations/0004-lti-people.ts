/** LTI 1.3: whether a platform may leave names and emails with the tool, the people it did, and instructor sessions' courses. */
export const statements: readonly string[] = [
  // Off unless the operator allows it for the platform: the tool then keeps no names or emails.
  `alter table lti_platforms add column keep_personal_data boolean not null default false`,
  // Name and email of a platform user, only when the platform sent them and may leave them here.
  `create table lti_people (
    learner_id text primary key check (learner_id ~ '^[A-Za-z0-9._:@-]{1,200}$'),
    name text,
    email text,
    updated_at timestamptz not null
  )`,
  // The course an instructor's launch opened: the session (by hash) sees that course's progress.
  `create table lti_course_views (
    session_hash text primary key,
    learner_id text not null,
    issuer text not null,
    client_id text not null,
    context_id text not null,
    context_title text,
    expires_at timestamptz not null
  )`,
  `create index lti_course_views_learner_idx on lti_course_views (learner_id)`,
];
