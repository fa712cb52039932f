import type { FastifyRequest } from 'fastify';
import { chooseMediaType } from '../http/negotiate.js';
import { GraphqlRequestError } from './limits.js';

/** The GraphQL-over-HTTP response media type. */
export const GRAPHQL_RESPONSE = 'application/graphql-response+json';
/** The legacy response media type, the default when Accept allows anything or names neither. */
export const JSON_RESPONSE = 'application/json';

// `*/*` and a missing Accept get application/json, as the GraphQL-over-HTTP spec asks.
const MEDIA_TYPES = [JSON_RESPONSE, GRAPHQL_RESPONSE] as const;
/** A response media type of /graphql. */
export type GraphqlMediaType = (typeof MEDIA_TYPES)[number];

// Accept headers repeat (each client library sends one of a few): keep the answers.
const chosen = new Map<string, GraphqlMediaType>();
const CHOSEN_MAX = 256;

/**
 * The media type to answer a GraphQL request with. An Accept that names neither type gets
 * application/json (the spec allows ignoring Accept rather than answering 406).
 */
export function responseMediaType(accept: string | undefined): GraphqlMediaType {
  if (accept === undefined || accept === '' || accept === '*/*' || accept === JSON_RESPONSE) return JSON_RESPONSE;
  let type = chosen.get(accept);
  if (type === undefined) {
    type = chooseMediaType(accept, MEDIA_TYPES) ?? JSON_RESPONSE;
    if (chosen.size >= CHOSEN_MAX) chosen.clear();
    chosen.set(accept, type);
  }
  return type;
}

// Errors about the GraphQL document itself. With application/json the spec's legacy rules
// answer them with 200 (clients of that era read `errors` only from a 2xx); with
// application/graphql-response+json they are 4xx.
const DOCUMENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
]);

/** Whether a request error with this code is answered 200 under application/json. */
export function isDocumentError(code: string): boolean {
  return DOCUMENT_ERROR_CODES.has(code);
}

/** CSRF prevention settings: a POST needs one of the content types or one of the headers. */
export interface CsrfSettings {
  allowedContentTypes: readonly string[];
  requiredHeaders: readonly string[];
}

/** The default: JSON and GraphQL bodies always make a browser preflight; so do these headers. */
export const DEFAULT_CSRF: CsrfSettings = {
  allowedContentTypes: ['application/json', 'application/graphql'],
  requiredHeaders: ['mercurius-require-preflight', 'x-mercurius-operation-name', 'apollographql-client-name'],
};

/**
 * Refuses a POST that a page on another origin could send without a CORS preflight (a
 * form-like content type and no custom header). GET needs no check: it only runs queries
 * (mutations over GET are refused), and queries change nothing.
 */
export function checkCsrf(request: FastifyRequest, settings: CsrfSettings): void {
  if (request.method !== 'POST') return;
  const contentType = request.headers['content-type'];
  // Most requests spell an allowed type exactly (no parameters, lower case): no parsing then.
  if (contentType !== undefined && settings.allowedContentTypes.includes(contentType)) return;
  const type = contentType?.split(';', 1)[0]!.trim().toLowerCase();
  if (type !== undefined && settings.allowedContentTypes.includes(type)) return;
  if (settings.requiredHeaders.some((name) => request.headers[name] !== undefined)) return;
  throw new GraphqlRequestError(
    'This request was refused as a possible cross-site request forgery: send Content-Type: application/json, or a mercurius-require-preflight header.',
    'CSRF_PREVENTED',
  );
}
