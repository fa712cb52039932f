import { z } from 'zod';
import { ProgressReportSchema } from './progress.js';
import { SlugSchema } from './slug.js';

// Learner state as the API speaks it: stored completions, progress with the time of the last
// change, the paths a learner has started and the event log.

/** An opaque learner id chosen by the integrator (or derived from an LTI issuer and subject). */
export const LearnerIdSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._:@-]*[A-Za-z0-9_:@-][A-Za-z0-9._:@-]*$/, 'expected 1–200 characters: letters, digits and . _ : @ -, not only dots')
  // Dots alone ("." or "..") cannot be a URL path segment: clients and proxies resolve them away.
  .describe('Opaque learner id: 1–200 letters, digits and . _ : @ -, chosen by the integrator (not dots alone).');
export type LearnerId = z.output<typeof LearnerIdSchema>;

/** Where a completion came from. */
export const CompletionSourceSchema = z.enum(['api', 'page', 'lti', 'cmi5']).describe('Where the change came from: api, page, lti or cmi5.');
export type CompletionSource = z.output<typeof CompletionSourceSchema>;

/** Kinds of entries in the event log. */
export const EventTypeSchema = z.enum(['completed', 'uncompleted', 'erased']).describe('What happened.');
export type EventType = z.output<typeof EventTypeSchema>;

const IsoTimeSchema = z.iso.datetime({ offset: true }).max(40);

/** The optional body of marking a resource done. */
export const CompletionRequestSchema = z
  .strictObject({
    completedAt: IsoTimeSchema.optional().describe('When the learner completed the resource (ISO 8601 with a time zone); default now.'),
  })
  .describe('When the resource was completed.');
export type CompletionRequest = z.output<typeof CompletionRequestSchema>;

/** A stored learner's progress through a path. */
export const LearnerProgressSchema = ProgressReportSchema.extend({
  updatedAt: IsoTimeSchema.nullable().describe('When the learner\'s completions on this path last changed; null when they never had any.'),
}).describe('A learner\'s stored progress through a path: evaluated over the current content, with the time of the last change.');
export type LearnerProgress = z.output<typeof LearnerProgressSchema>;

/** A path a learner has started, with their progress through it. */
export const LearnerPathSchema = z
  .strictObject({
    slug: SlugSchema.describe('Slug of the path.'),
    title: z.string().max(500).describe('Title of the path.'),
    percent: z.number().int().min(0).max(100).describe('Share of resources completed, 0–100.'),
    completedCount: z.number().int().nonnegative().describe('Resources completed.'),
    totalCount: z.number().int().nonnegative().describe('Resources in the path.'),
    remainingMinutes: z.number().nonnegative().describe('Minutes of the resources not completed yet.'),
    updatedAt: IsoTimeSchema.describe('When the learner\'s completions on the path last changed.'),
  })
  .describe('A path the learner has started.');
export type LearnerPath = z.output<typeof LearnerPathSchema>;

/** A page of the paths a learner has started, most recently changed first. */
export const LearnerPathListSchema = z
  .strictObject({
    items: z.array(LearnerPathSchema).max(100).describe('The paths of this page, most recently changed first.'),
    total: z.number().int().nonnegative().describe('How many paths of the current content the learner has started.'),
    nextCursor: z.string().max(1000).nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
  })
  .describe('A page of the paths a learner has started.');
export type LearnerPathList = z.output<typeof LearnerPathListSchema>;

/** One entry of a learner's event log. */
export const LearnerEventSchema = z
  .strictObject({
    id: z.string().max(19).regex(/^[1-9][0-9]{0,18}$/).describe('Id of the event; increases with time.'),
    type: EventTypeSchema,
    slug: SlugSchema.nullable().describe('Slug of the path.'),
    resourceId: SlugSchema.nullable().describe('Id of the resource.'),
    source: CompletionSourceSchema.nullable(),
    completedAt: IsoTimeSchema.nullable().describe('The completion time given, for `completed`.'),
    recordedAt: IsoTimeSchema.describe('When the event was recorded.'),
  })
  .describe('A change of a learner\'s completions.');
export type LearnerEventEntry = z.output<typeof LearnerEventSchema>;

/** A page of a learner's event log, newest first. */
export const LearnerEventListSchema = z
  .strictObject({
    items: z.array(LearnerEventSchema).max(100).describe('Events of this page, newest first.'),
    nextCursor: z.string().max(1000).nullable().describe('Pass as `cursor` to get the next (older) page; null on the last page.'),
  })
  .describe('A page of a learner\'s event log, newest first.');
export type LearnerEventList = z.output<typeof LearnerEventListSchema>;
