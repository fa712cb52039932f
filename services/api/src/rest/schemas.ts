import { z } from 'zod';
import { LearnerIdSchema, LevelSchema, ResourceKindSchema, SlugSchema } from '@learnpath/schema';
import { PATH_ORDERS } from '../catalog/search.js';
import { REQUEST_LIMITS } from '../http/request-limits.js';

// The bodies of the REST API live in @learnpath/schema (import them from there), so that
// clients parse responses with the same schemas the service serialises them with; the query and
// parameter schemas are here.

/** The ways `GET /v1/paths` can sort; a leading `-` sorts descending. */
export const PathSortSchema = z
  .enum(PATH_ORDERS)
  .describe('Sort order: by title or by total minutes; a leading `-` sorts descending. Ties are broken by slug. Without it, a search (`q`) is ranked by relevance and anything else is sorted by title.');
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
// An empty search box sends `q=`: that is no search at all, not a bad request.
const SearchSchema = z
  .preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().trim().max(200).optional())
  .describe('Words to search for, in any order; empty means no search.');
const MaxMinutesSchema = decimal(z.number({ error: 'expected a number of minutes in decimal digits' }).nonnegative().max(1_000_000)).describe(
  'Only items that take at most this many minutes.',
);

/** The query of `GET /v1/paths`. */
// Query objects ignore parameters they do not know (cache-busters such as `_=…`, `utm_*`):
// links carry them, and refusing them breaks real pages. Responses are cached by the validated
// query, so every spelling of one query shares an entry.
export const PathListQuerySchema = z
  .object({
    q: SearchSchema.describe(
      'Words to search for in the title, the overview and the titles of resources, in any order; each may be the start of a word and may hold a typo. Case and accents are ignored. Results are ranked by relevance (a word in the title counts most) unless `sort` is given.',
    ),
    tag: SlugSchema.optional().describe('Only paths with this tag.'),
    level: LevelSchema.optional().describe('Only paths of this level.'),
    kind: ResourceKindSchema.optional().describe('Only paths with at least one resource of this kind.'),
    maxMinutes: MaxMinutesSchema.optional().describe('Only paths whose total minutes are at most this.'),
    sort: PathSortSchema.optional(),
    limit: LimitSchema,
    cursor: CursorSchema.optional(),
  })
  .describe('Filters, sort and page of the path listing.');
export type PathListQuery = z.output<typeof PathListQuerySchema>;

/** The key of a validated listing query in the response cache. */
export function queryKey(query: Readonly<Record<string, unknown>>): string {
  // Validated queries are memoised and frozen (plugins/validator.ts): a repeated query is the same object.
  let key = queryKeys.get(query);
  if (key === undefined) {
    key = JSON.stringify(query);
    if (Object.isFrozen(query)) queryKeys.set(query, key);
  }
  return key;
}

const queryKeys = new WeakMap<object, string>();

/** The query of `GET /v1/resources`. */
export const ResourceListQuerySchema = z
  .object({
    q: SearchSchema.describe(
      'Words to search for in the title and the focus of a resource, in any order; each may be the start of a word and may hold a typo. Case and accents are ignored. Results are ranked by relevance (a word in the title counts most).',
    ),
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
  .object({
    format: z
      .enum(['json', 'mermaid'])
      .optional()
      .describe('json: nodes, edges and order; mermaid: a Mermaid flowchart (text/vnd.mermaid) with one subgraph per phase. Absent: the Accept header decides, JSON first.'),
  })
  .describe('The representation of the graph.');

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
