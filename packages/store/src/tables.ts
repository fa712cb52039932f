import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date | string, Date | string | undefined, Date | string>;

/** The store's tables, as Kysely sees them. */
export interface Tables {
  learners: { id: string; created_at: Generated<Date | string> };
  learner_paths: { learner_id: string; path_slug: string; started_at: Timestamp; updated_at: Timestamp; last_event_id: string | number | bigint };
  completions: { learner_id: string; path_slug: string; resource_id: string; completed_at: Date | string; source: string; recorded_at: Timestamp };
  events: {
    id: Generated<string | number | bigint>;
    type: string;
    learner_id: string | null;
    path_slug: string | null;
    resource_id: string | null;
    source: string | null;
    completed_at: Date | string | null;
    recorded_at: Timestamp;
  };
  learner_links: { token_hash: string; learner_id: string; path_slug: string | null; created_at: Timestamp; expires_at: Date | string; consumed_at: Date | string | null };
  learner_sessions: { id_hash: string; learner_id: string; csrf_secret: string; created_at: Timestamp; expires_at: Date | string; ended_at: Date | string | null };
  lti_nonces: { nonce: string; expires_at: Date | string };
  lti_tool_keys: { kid: string; private_key: string; encrypted: boolean; created_at: Date | string; retired_at: Date | string | null };
  lti_platforms: { issuer: string; client_id: string; deployment_ids: string; auth_login_url: string; access_token_url: string; jwks_url: string; keep_personal_data: Generated<boolean>; registered_at: Timestamp };
  lti_outbox: {
    seq: Generated<string | number | bigint>;
    issuer: string;
    client_id: string;
    line_item: string;
    user_id: string;
    score: string;
    state: Generated<string>;
    attempts: Generated<number>;
    enqueued_at: Date | string;
    due_at: Date | string;
    lease_until: Date | string | null;
    last_error: string | null;
  };
  lti_people: { learner_id: string; name: string | null; email: string | null; updated_at: Date | string };
  lti_course_views: { session_hash: string; learner_id: string; issuer: string; client_id: string; context_id: string; context_title: string | null; expires_at: Date | string };
  lti_launches: { learner_id: string; path_slug: string; issuer: string; client_id: string; context_id: string; line_item: string; user_id: string; launched_at: Timestamp };
}
