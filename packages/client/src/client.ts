import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/openapi.js';
import { LearnpathProblemError } from './problem-error.js';

/** A typed openapi-fetch client of the Learnpath REST API. */
export type LearnpathClient = Client<paths, `${string}/${string}`>;

/** Options of `createLearnpathClient`. */
export interface LearnpathClientOptions {
  /** Where the service lives, e.g. `https://learn.example.com` (no trailing `/v1`). */
  baseUrl: string;
  /** The fetch to use; default `globalThis.fetch`. */
  fetch?: (input: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** An API key for the learner routes, sent as `Authorization: Bearer <key>` (keep it on a server, never in a browser). */
  apiKey?: string;
}

/** Creates a typed client: `client.GET('/v1/paths/{slug}', { params: { path: { slug } } })`. */
export function createLearnpathClient(options: LearnpathClientOptions): LearnpathClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers || options.apiKey ? { headers: { ...options.headers, ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) } } : {}),
  });
}

/** The result of an openapi-fetch call. */
interface FetchResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The data of a successful call, or a `LearnpathProblemError` thrown for an error response. */
export function unwrap<D>(result: FetchResult<D>): D {
  if (result.response.ok && result.error === undefined) return result.data as D;
  throw LearnpathProblemError.fromResponse(result.response, result.error);
}
