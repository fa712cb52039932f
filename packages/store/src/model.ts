import type { CompletionSource, EventType } from '@learnpath/schema';

// The schemas live in @learnpath/schema, so that the API and its clients share them.
export { LearnerIdSchema, CompletionSourceSchema, EventTypeSchema } from '@learnpath/schema';
export type { LearnerId, CompletionSource, EventType } from '@learnpath/schema';

/** A resource a learner has completed on a path. */
export interface Completion {
  /** Slug of the path. */
  slug: string;
  /** Id of the resource within the path. */
  resourceId: string;
  /** When the learner completed it (ISO-8601). */
  completedAt: string;
  /** Where the completion came from. */
  source: CompletionSource;
}

/** A path a learner has started, with the time and revision of its last change. */
export interface StartedPath {
  /** Slug of the path. */
  slug: string;
  /** When the first completion on the path was recorded (ISO-8601). */
  startedAt: string;
  /** When the learner's completions on the path last changed (ISO-8601). */
  updatedAt: string;
  /** Id of the last event on the path: changes whenever the completions change (for ETags). */
  revision: string;
}

/** The learner's state on one path. */
export interface PathState {
  /** The learner's completions on the path, oldest first. */
  completions: Completion[];
  /** When they last changed, or null when the learner never touched the path. */
  updatedAt: string | null;
  /** Id of the last event on the path, or null when the learner never touched the path. */
  revision: string | null;
}

/** One entry of the append-only event log. */
export interface LearnerEvent {
  /** Id of the event: increases with time. */
  id: string;
  /** What happened. */
  type: EventType;
  /** Slug of the path, for completed and uncompleted. */
  slug: string | null;
  /** Id of the resource, for completed and uncompleted. */
  resourceId: string | null;
  /** Where the change came from. */
  source: CompletionSource | null;
  /** The completion time given, for completed. */
  completedAt: string | null;
  /** When the event was recorded (ISO-8601). */
  recordedAt: string;
}

/** A page of events, newest first. */
export interface EventPage {
  /** Events, newest first. */
  items: LearnerEvent[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** What a write did. */
export interface WriteResult {
  /** False when the state already was as asked (nothing written, no event). */
  changed: boolean;
  /** The learner's state on the path after the write. */
  state: PathState;
}
