import { z } from 'zod';
import { SlugSchema } from './slug.js';
import { LearningPathSchema, ResourceSchema } from './model.js';

// The bodies the REST API sends and reads around the domain model. Served shapes strip unknown
// members (a newer service may add fields; older clients keep parsing), except problems, which
// keep them: RFC 9457 extension members are part of what a problem says. Requests are strict.
// No transforms: they would vanish from the OpenAPI document.

/** A page of a listing: the items, how many match in all, and the cursor of the next page. */
function pageOf<T extends z.ZodType>(item: T, what: string) {
  return z
    .object({
      items: z.array(item).max(100).describe(`The ${what} of this page.`),
      total: z.number().int().nonnegative().describe(`How many ${what} match the query in all pages.`),
      nextCursor: z
        .string()
        .max(1000)
        .nullable()
        .describe('Pass as `cursor` (with the same filters) to get the next page; null on the last page.'),
    })
    .describe(`A page of ${what}.`);
}

/** A path as listed by `GET /v1/paths`. */
export const PathSummarySchema = LearningPathSchema.pick({
  slug: true,
  title: true,
  level: true,
  tags: true,
  totalMinutes: true,
  resourceCount: true,
})
  .extend({
    excerpt: z.string().max(300).describe('The start of the overview as plain text, at most 200 characters.'),
    phaseCount: z.number().int().nonnegative().describe('Derived: the number of phases in the path.'),
  })
  .describe('A learning path in a listing: what is needed to choose one.');
export type PathSummary = z.output<typeof PathSummarySchema>;

/** A page of `GET /v1/paths`. */
export const PathListSchema = pageOf(PathSummarySchema, 'paths');
export type PathList = z.output<typeof PathListSchema>;

/** A resource with where it sits in the catalog (`GET /v1/paths/{slug}/resources/{id}`, `GET /v1/resources`). */
export const ResourceEntrySchema = ResourceSchema.extend({
  pathSlug: SlugSchema.describe('Slug of the path the resource belongs to.'),
  phaseId: SlugSchema.describe('Id of the phase the resource belongs to.'),
}).describe('A resource with the path and phase it belongs to.');
export type ResourceEntry = z.output<typeof ResourceEntrySchema>;

/** A page of `GET /v1/resources`. */
export const ResourceListSchema = pageOf(ResourceEntrySchema, 'resources');
export type ResourceList = z.output<typeof ResourceListSchema>;

/** The body of `POST /v1/paths/{slug}/progress`. Strict: a misspelt member is a 400, not ignored. */
export const ProgressRequestSchema = z
  .strictObject({
    completed: z
      .array(SlugSchema)
      .max(1000)
      .describe('Ids of the resources the learner has completed. Every id must name a resource of the path.'),
    completedPaths: z
      .array(SlugSchema)
      .max(100)
      .optional()
      .describe('Slugs of other paths the learner has completed. When given, dependencies on other paths hold only for these; when omitted, they are not enforced.'),
  })
  .describe('What a learner has completed.');
export type ProgressRequest = z.output<typeof ProgressRequestSchema>;

/** Why the service reports itself degraded. */
export const HealthReasonSchema = z
  .object({
    code: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .max(64)
      .describe('Stable code of the reason: `stale-content` when newer content failed to load; `health-check-failed` or `health-check-timeout` when a check could not tell.'),
    message: z.string().max(500).describe('What is wrong, for a person.'),
  })
  .describe('Why the service is degraded.');
export type HealthReason = z.output<typeof HealthReasonSchema>;

/** Errors and warnings of a content load, counted apart. */
export const DiagnosticCountsSchema = z
  .object({
    errors: z.number().int().nonnegative().describe('How many errors.'),
    warnings: z.number().int().nonnegative().describe('How many warnings.'),
  })
  .describe('Errors and warnings of a content load.');
export type DiagnosticCounts = z.output<typeof DiagnosticCountsSchema>;

/** What `GET /healthz` answers. */
export const HealthSchema = z
  .object({
    status: z
      .enum(['ok', 'degraded'])
      .describe('`ok`, or `degraded` when the service serves but something is wrong (`reasons` says what). Either way the HTTP status is 200.'),
    reasons: z.array(HealthReasonSchema).max(32).describe('Why the status is `degraded`; empty when `ok`.'),
    paths: z.number().int().nonnegative().describe('How many paths the served catalog holds.'),
    contentVersion: z.string().max(128).describe('Content hash of the served catalog; changes whenever any path changes.'),
    loadedAt: z.iso.datetime().max(40).describe('When the served catalog was loaded (ISO 8601).'),
    stale: z.boolean().describe('True when newer content failed to load and the last good catalog is still served.'),
    diagnostics: DiagnosticCountsSchema.describe(
      'Errors and warnings of the latest content load: of the failed one when `stale`, else of the served content (warnings only). The log has each one.',
    ),
  })
  .describe('Whether the service serves, how well, and which content version.');
export type Health = z.output<typeof HealthSchema>;

/** The longest pointer or message of a problem's `errors` (longer ones are cut). */
export const PROBLEM_TEXT_MAX = 500;

/** One reason a request was rejected. */
export const ProblemErrorSchema = z
  .object({
    in: z.enum(['body', 'query', 'params', 'headers']).describe('Which part of the request is wrong.'),
    pointer: z.string().max(PROBLEM_TEXT_MAX).describe('JSON Pointer to the offending value within that part ("" for the whole part).'),
    message: z.string().max(PROBLEM_TEXT_MAX).describe('What is wrong and what was expected.'),
  })
  .describe('One reason a request was rejected.');
export type ProblemErrorItem = z.output<typeof ProblemErrorSchema>;

/** An error response (RFC 9457 problem details); extension members are kept. */
export const ProblemSchema = z
  .looseObject({
    type: z.string().max(200).describe('A URI naming the kind of problem: `about:blank` for plain HTTP errors, `urn:learnpath:problem:*` otherwise.'),
    title: z.string().max(200).describe('A short summary of the kind of problem.'),
    status: z.number().int().min(400).max(599).describe('The HTTP status code.'),
    detail: z.string().max(4000).describe('What went wrong with this request, for people.'),
    instance: z.string().max(1000).describe('The request path this problem is about (cut at 1000 characters).'),
    requestId: z.string().max(100).optional().describe('The id the service logged the request under; quote it when reporting a problem.'),
    errors: z.array(ProblemErrorSchema).max(100).optional().describe('Each reason the request was rejected (validation problems, at most 100).'),
    unknownIds: z.array(z.string().max(120)).max(1000).optional().describe('Ids in the request that name nothing (progress requests).'),
    formats: z.array(z.string().max(100)).max(100).optional().describe('The export formats there are (unknown export format).'),
  })
  .describe('An error (RFC 9457 problem details), sent as application/problem+json. Other extension members may appear.');
export type Problem = z.output<typeof ProblemSchema>;
