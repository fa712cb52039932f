import { z } from 'zod';
import { SlugSchema } from '@learnpath/schema';

/** An opaque learner id chosen by the integrator (or derived from an LTI issuer and subject). */
export const LearnerIdSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'expected 1–200 characters: letters, digits and . _ : @ -')
  .describe('Opaque learner id: 1–200 letters, digits and . _ : @ -, chosen by the integrator.');
export type LearnerId = z.output<typeof LearnerIdSchema>;

/** Where a completion came from. */
export const CompletionSourceSchema = z.enum(['api', 'page', 'lti', 'cmi5']).describe('Where the change came from: api, page, lti or cmi5.');
export type CompletionSource = z.output<typeof CompletionSourceSchema>;

/** Kinds of entries in the event log. */
export const EventTypeSchema = z.enum(['completed', 'uncompleted', 'erased']).describe('What happened.');
export type EventType = z.output<typeof EventTypeSchema>;

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
