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
  const get = client.GET as unknown as (
    path: string,
    init: { params: { query: Record<string, unknown> }; signal?: AbortSignal },
  ) => Promise<{ data?: Page<PageItem<P>>; error?: unknown; response: Response }>;
  let cursor: string | undefined;
  do {
    const params = { query: { ...query, ...(cursor === undefined ? {} : { cursor }) } };
    const result = await get(path, init?.signal ? { params, signal: init.signal } : { params });
    if (result.data === undefined || !result.response.ok) throw LearnpathProblemError.fromResponse(result.response, result.error);
    yield* result.data.items;
    cursor = result.data.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
