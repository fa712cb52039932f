import { z } from 'zod';
import {
  LearnerIdSchema,
  LearningPathSchema,
  LevelSchema,
  ResourceKindSchema,
  ResourceSchema,
  SlugSchema,
} from '@learnpath/schema';
import { PATH_ORDERS } from '../catalog/search.js';
import { REQUEST_LIMITS } from '../http/request-limits.js';

// The shapes the REST API adds around the domain model. Everything path-shaped is built from
// the schemas of @learnpath/schema (pick/extend), so the model is described in one place.
// Response schemas have no transforms: they would vanish from the OpenAPI document.

/** One page of a listing: the items, how many match in all, and the cursor of the next page. */
function pageSchemaOf<T extends z.ZodType>(item: T, what: string) {
  return z
    .strictObject({
      items: z.array(item).max(REQUEST_LIMITS.maxPageSize).describe(`The ${what} of this page.`),
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
export const PathListSchema = pageSchemaOf(PathSummarySchema, 'paths');
export type PathList = z.output<typeof PathListSchema>;

/** A resource with where it sits in the catalog. */
export const ResourceEntrySchema = ResourceSchema.extend({
  pathSlug: SlugSchema.describe('Slug of the path the resource belongs to.'),
  phaseId: SlugSchema.describe('Id of the phase the resource belongs to.'),
}).describe('A resource with the path and phase it belongs to.');
export type ResourceEntry = z.output<typeof ResourceEntrySchema>;

/** A page of `GET /v1/resources`. */
export const ResourceListSchema = pageSchemaOf(ResourceEntrySchema, 'resources');
export type ResourceList = z.output<typeof ResourceListSchema>;

/** The ways `GET /v1/paths` can sort; a leading `-` sorts descending. */
export const PathSortSchema = z
  .enum(PATH_ORDERS)
  .describe('Sort order: by title or by total minutes; a leading `-` sorts descending. Ties are broken by slug.');
export type PathSort = z.output<typeof PathSortSchema>;

// Numbers in a query string are decimal digits: no hex, exponents, signs or spaces, which
// `Number()` would accept and which would only multiply the spellings of one query.
const DECIMAL = /^\d{1,16}(\.\d{1,16})?$/;
function decimal<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value), schema);
}

const { maxPageSize, defaultPageSize } = REQUEST_LIMITS;
const LimitSchema = decimal(
  z.number({ error: `expected a whole number, 1–${maxPageSize}, in decimal digits` }).int().min(1).max(maxPageSize).default(defaultPageSize),
).describe(`How many items a page holds, 1–${maxPageSize}.`);
const CursorSchema = z
  .string()
  .min(1)
  .max(1000)
  .describe('The `nextCursor` of the previous page. Only valid with the same filters and sort it came from.');
const SearchSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('Case-insensitive text to look for.');
const MaxMinutesSchema = decimal(z.number({ error: 'expected a number of minutes in decimal digits' }).nonnegative().max(1_000_000)).describe(
  'Only items that take at most this many minutes.',
);

/** The query of `GET /v1/paths`. */
export const PathListQuerySchema = z
  .strictObject({
    q: SearchSchema.optional().describe('Case-insensitive text to find in the title, the overview or the title of a resource.'),
    tag: SlugSchema.optional().describe('Only paths with this tag.'),
    level: LevelSchema.optional().describe('Only paths of this level.'),
    kind: ResourceKindSchema.optional().describe('Only paths with at least one resource of this kind.'),
    maxMinutes: MaxMinutesSchema.optional().describe('Only paths whose total minutes are at most this.'),
    sort: PathSortSchema.default('title'),
    limit: LimitSchema,
    cursor: CursorSchema.optional(),
  })
  .describe('Filters, sort and page of the path listing.');
export type PathListQuery = z.output<typeof PathListQuerySchema>;

/** The query of `GET /v1/resources`. */
export const ResourceListQuerySchema = z
  .strictObject({
    q: SearchSchema.optional().describe('Case-insensitive text to find in the title or the focus of a resource.'),
    kind: ResourceKindSchema.optional().describe('Only resources of this kind.'),
    maxMinutes: MaxMinutesSchema.optional().describe('Only resources with a known duration of at most this many minutes.'),
    path: SlugSchema.optional().describe('Only resources of the path with this slug.'),
    tag: SlugSchema.optional().describe('Only resources of paths with this tag.'),
    level: LevelSchema.optional().describe('Only resources of paths of this level.'),
    limit: LimitSchema,
    cursor: CursorSchema.optional(),
  })
  .describe('Filters and page of the resource listing.');
export type ResourceListQuery = z.output<typeof ResourceListQuerySchema>;

/** Route parameters naming a path. */
export const PathParamsSchema = z.strictObject({ slug: SlugSchema.describe('Slug of the learning path.') });
/** Route parameters naming a phase of a path. */
export const PhaseParamsSchema = PathParamsSchema.extend({ phaseId: SlugSchema.describe('Id of the phase.') });
/** Route parameters naming a resource of a path. */
export const ResourceParamsSchema = PathParamsSchema.extend({ resourceId: SlugSchema.describe('Id of the resource.') });

/** The query of `GET /v1/paths/{slug}/graph`. */
export const GraphQuerySchema = z
  .strictObject({
    format: z
      .enum(['json', 'mermaid'])
      .default('json')
      .describe('json: nodes, edges and order; mermaid: a Mermaid flowchart as text/plain with one subgraph per phase.'),
  })
  .describe('The representation of the graph.');

/** The body of `POST /v1/paths/{slug}/progress`. */
export const ProgressRequestSchema = z
  .strictObject({
    completed: z
      .array(SlugSchema)
      .max(REQUEST_LIMITS.completedIds)
      .describe('Ids of the resources the learner has completed. Every id must name a resource of the path.'),
    completedPaths: z
      .array(SlugSchema)
      .max(REQUEST_LIMITS.completedPaths)
      .optional()
      .describe('Slugs of other paths the learner has completed. When given, dependencies on other paths hold only for these; when omitted, they are not enforced.'),
  })
  .describe('What a learner has completed.');
export type ProgressRequest = z.output<typeof ProgressRequestSchema>;

/** What `GET /healthz` answers. */
export const HealthReasonSchema = z
  .strictObject({
    code: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .max(64)
      .describe('Stable code of the reason: `stale-content` when newer content failed to load; `database-unavailable` while the learner database does not answer; `health-check-failed` or `health-check-timeout` when a check could not tell.'),
    message: z.string().max(500).describe('What is wrong, for a person.'),
  })
  .describe('Why the service is degraded.');
export type HealthReason = z.output<typeof HealthReasonSchema>;

/** Errors and warnings of a content load, counted apart. */
export const DiagnosticCountsSchema = z
  .strictObject({
    errors: z.number().int().nonnegative().describe('How many errors.'),
    warnings: z.number().int().nonnegative().describe('How many warnings.'),
  })
  .describe('Errors and warnings of a content load.');

export const HealthSchema = z
  .strictObject({
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
  .strictObject({
    in: z.enum(['body', 'query', 'params', 'headers']).describe('Which part of the request is wrong.'),
    pointer: z.string().max(PROBLEM_TEXT_MAX).describe('JSON Pointer to the offending value within that part ("" for the whole part).'),
    message: z.string().max(PROBLEM_TEXT_MAX).describe('What is wrong and what was expected.'),
  })
  .describe('One reason a request was rejected.');

/** An error response (RFC 9457 problem details). */
export const ProblemSchema = z
  .object({
    type: z.string().max(200).describe('A URI naming the kind of problem: `about:blank` for plain HTTP errors, `urn:learnpath:problem:*` otherwise.'),
    title: z.string().max(200).describe('A short summary of the kind of problem.'),
    status: z.number().int().min(400).max(599).describe('The HTTP status code.'),
    detail: z.string().max(4000).describe('What went wrong with this request, for people.'),
    instance: z.string().max(1000).describe('The request path this problem is about (cut at 1000 characters).'),
    requestId: z.string().max(100).optional().describe('The id the service logged the request under; quote it when reporting a problem.'),
    errors: z.array(ProblemErrorSchema).max(100).optional().describe('Each reason the request was rejected (validation problems, at most 100).'),
    unknownIds: z.array(z.string().max(120)).max(REQUEST_LIMITS.completedIds).optional().describe('Ids in the request that name nothing (progress requests).'),
  })
  .describe('An error (RFC 9457 problem details), sent as application/problem+json.');
export type Problem = z.output<typeof ProblemSchema>;

/** Route parameters naming a learner. */
export const LearnerParamsSchema = z.strictObject({ learnerId: LearnerIdSchema });
/** Route parameters naming a learner and a path. */
export const LearnerPathParamsSchema = LearnerParamsSchema.extend({ slug: SlugSchema.describe('Slug of the learning path.') });
/** Route parameters naming a learner and a resource of a path. */
export const LearnerResourceParamsSchema = LearnerPathParamsSchema.extend({ resourceId: SlugSchema.describe('Id of the resource.') });

/** The query of the learner listings (started paths, events). */
export const LearnerPageQuerySchema = z
  .strictObject({
    limit: LimitSchema,
    cursor: z.string().min(1).max(1000).optional().describe('The `nextCursor` of the previous page.'),
  })
  .describe('A page of a learner listing.');
export type LearnerPageQuery = z.output<typeof LearnerPageQuerySchema>;
