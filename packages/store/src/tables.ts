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
}
