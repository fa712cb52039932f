import type { paths } from './generated/openapi.js';
import type { LearnpathClient } from './client.js';
import { LearnpathProblemError } from './problem-error.js';

/** The listings that page with `cursor` and `nextCursor`. */
export type PagedPath = '/v1/paths' | '/v1/resources';

/** The query of a listing, without the cursor (`paginate` follows it). */
export type PageQuery<P extends PagedPath> = Omit<NonNullable<paths[P]['get']['parameters']['query']>, 'cursor'>;

/** An item of a listing. */
export type PageItem<P extends PagedPath> = paths[P]['get']['responses'][200]['content']['application/json']['items'][number];

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The learner listings that page with `cursor` and `nextCursor` (they need an API key with `progress:read`). */
export type LearnerPagedPath = '/v1/learners/{learnerId}/paths' | '/v1/learners/{learnerId}/events';

/** The query of a learner listing, without the cursor. */
export type LearnerPageQuery<P extends LearnerPagedPath> = Omit<NonNullable<paths[P]['get']['parameters']['query']>, 'cursor'>;

/** An item of a learner listing: a started path, or an event. */
export type LearnerPageItem<P extends LearnerPagedPath> = paths[P]['get']['responses'][200]['content']['application/json']['items'][number];

type PageGetter<T> = (
  path: string,
  init: { params: { path?: Record<string, string>; query: Record<string, unknown> }; signal?: AbortSignal },
) => Promise<{ data?: Page<T>; error?: unknown; response: Response }>;

async function* follow<T>(get: PageGetter<T>, path: string, pathParams: Record<string, string> | undefined, query: object | undefined, signal: AbortSignal | undefined): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const params = { ...(pathParams ? { path: pathParams } : {}), query: { ...query, ...(cursor === undefined ? {} : { cursor }) } };
    const result = await get(path, signal ? { params, signal } : { params });
    if (result.data === undefined || !result.response.ok) throw LearnpathProblemError.fromResponse(result.response, result.error);
    yield* result.data.items;
    cursor = result.data.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * Every item of a listing, page after page, following `nextCursor` until the last page.
 * Throws a `LearnpathProblemError` when a page fails.
 */
export async function* paginate<P extends PagedPath>(
  client: LearnpathClient,
  path: P,
  query?: PageQuery<P>,
  init?: { signal?: AbortSignal },
): AsyncGenerator<PageItem<P>, void, undefined> {
  // openapi-fetch cannot check a call whose path is a type parameter; the types of `PageQuery`
  // and `PageItem` come from the same operation, so the call is typed from the outside.
  const get = client.GET as unknown as PageGetter<PageItem<P>>;
  yield* follow(get, path, undefined, query, init?.signal);
}

/**
 * Every item of a learner listing (the paths they started, or their event log, newest first),
 * page after page. The client needs an API key with `progress:read` (`apiKey` of
 * `createLearnpathClient`). Throws a `LearnpathProblemError` when a page fails.
 */
export async function* paginateLearner<P extends LearnerPagedPath>(
  client: LearnpathClient,
  path: P,
  learnerId: string,
  query?: LearnerPageQuery<P>,
  init?: { signal?: AbortSignal },
): AsyncGenerator<LearnerPageItem<P>, void, undefined> {
  const get = client.GET as unknown as PageGetter<LearnerPageItem<P>>;
  yield* follow(get, path, { learnerId }, query, init?.signal);
}
