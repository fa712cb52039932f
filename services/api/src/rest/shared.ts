import { z } from 'zod';
import { ProblemSchema } from '@learnpath/schema';
import type { CatalogStore } from '../catalog/store.js';
import { DEFAULT_INDEX_WAIT_MS, INDEX_RETRY_AFTER_SECONDS, whenIndexed } from '../catalog/index-wait.js';
import type { SearchedIndex } from '../catalog/text-index.js';
import { ProblemError } from '../http/problem.js';
import type { CatalogView } from '../catalog/view.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendCached, type CachedBody, type SendOptions } from '../http/cached-body.js';
import type { FrontCache } from '../http/front-cache.js';
import { PROBLEM_CONTENT_TYPE } from '../http/problem.js';

/** What every REST route plugin is registered with. */
export interface RestRouteOptions {
  /** The catalog to serve; read once per request. */
  store: CatalogStore;
  /** Headers of cacheable responses. */
  send: SendOptions;
  /** How long a listing waits for the background indexing of a new content version before a 503 (ms). */
  indexWaitMs?: number;
  /** Answers repeated GETs in front of Fastify (http/front-cache.ts); absent when rate limiting or request logging is on. */
  front?: FrontCache | undefined;
}

/**
 * Sends a cached body whose bytes depend on the URL alone (and the headers `sendCached`
 * negotiates), and lets the front cache answer the same URL of the same content version next time.
 */
export function sendUrlBody(options: RestRouteOptions, view: CatalogView, request: FastifyRequest, reply: FastifyReply, body: CachedBody): void {
  options.front?.remember(view.catalog, request.method, request.url, body, options.send);
  sendCached(request, reply, body, options.send);
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed: a parameter, the query or the body does not match the schema.',
  401: 'No valid API key: send `Authorization: Bearer <key>` with a configured key (the response carries `WWW-Authenticate: Bearer`).',
  403: 'The API key lacks the scope this route needs.',
  404: 'Nothing exists at this address (unknown path, phase or resource).',
  406: 'The Accept header rules out every media type this route produces.',
  413: 'The request body is larger than the service accepts.',
  415: 'The request body has a media type this route does not accept (send application/json).',
  429: 'Too many requests from this client; retry after the time the Retry-After header gives.',
  503: 'Not available right now; retry after the time the Retry-After header gives. Learner routes: the learner database is unavailable (content routes still answer). Listings: a new content version is still being indexed after a start or a reload.',
};

/** OpenAPI responses for the problem statuses a route can answer with. */
export function problemResponses(...statuses: (keyof typeof PROBLEM_DESCRIPTIONS)[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  );
}

/** The OpenAPI response of a conditional GET that matched. */
export const notModifiedResponse = {
  304: z.undefined().describe('Not Modified: the If-None-Match header names the current representation.'),
};

/** The OpenAPI 200 response of a JSON route, with a description of its own. */
export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * Calls `respond` once `view` can answer a listing (with a search when `q` has words): at once
 * when it is indexed, else when the background indexing of a new content version gets there.
 * Returns what the handler returns: the wait, settled once `respond` has sent the reply; beyond
 * `waitMs`, a 503 problem with Retry-After.
 */
export function respondWhenIndexed(view: CatalogView, q: string | undefined, index: SearchedIndex, respond: () => void, waitMs = DEFAULT_INDEX_WAIT_MS): Promise<void> | void {
  return whenIndexed(view, q, index, waitMs, respond, (error) => new ProblemError(503, error.message, { headers: { 'retry-after': String(INDEX_RETRY_AFTER_SECONDS) } }));
}
