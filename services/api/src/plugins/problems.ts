import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { addCorsHeaders, type CorsOrigins } from '../http/cached-body.js';
import { StoreClosedError, StoreInputError, StoreUnavailableError } from '@learnpath/store';
import { storeUnavailableProblem } from './store.js';
import { createProblem, ProblemError, sendProblem } from '../http/problem.js';
import type { RouteIndex } from './route-index.js';
import { PROBLEM_TEXT_MAX, type Problem } from '../rest/schemas.js';
import { sendError, wantsHtml } from '../learn/respond.js';

type ProblemPart = NonNullable<Problem['errors']>[number]['in'];

// Fastify names the request part in the message of its own validation errors ("body/completed…").
const CONTEXT_PART: Record<string, ProblemPart> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

// Client errors whose Fastify message is safe and useful to repeat; other 4xx get a fixed text.
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than this service accepts.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body has a media type this route does not accept; send application/json.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request has a JSON media type but an empty body.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_BAD_URL: 'The URL is not valid (a percent-encoded sequence is malformed).',
  FST_ERR_MAX_PARAM_LENGTH: 'A part of the URL is longer than this service accepts.',
};

/** The CORS policy the app was built with (see `buildApp`). */
function corsOf(request: FastifyRequest): CorsOrigins | undefined {
  return (request.server as { corsPolicy?: CorsOrigins }).corsPolicy;
}

function cut(text: string): string {
  return text.length <= PROBLEM_TEXT_MAX ? text : `${text.slice(0, PROBLEM_TEXT_MAX - 1)}…`;
}

/** Whether a browser asked for a learner page (`/learn…`): its 4xx answers are pages, as the pages' own are. */
function isLearnerPageRequest(request: FastifyRequest): boolean {
  return /^\/learn(?:[/?]|$)/.test(request.url) && wantsHtml(request);
}

/** Turns any error a route raised into a problem response; a 5xx says nothing about internals. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  addCorsHeaders(request, reply, corsOf(request));
  // The learner database being away (or closing on shutdown) is a 503 to retry, wherever it surfaced.
  if (error instanceof StoreUnavailableError || error instanceof StoreClosedError) {
    request.log.warn({ reason: error.message }, 'learner database unavailable');
    return handleError(storeUnavailableProblem() as unknown as FastifyError, request, reply);
  }
  if (error instanceof StoreInputError) {
    return sendProblem(reply, createProblem(request, 400, cut(error.message), { type: 'urn:learnpath:problem:invalid-request' }));
  }
  if (error instanceof ProblemError) {
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    return sendProblem(reply, createProblem(request, error.statusCode, error.message, { type: error.type, extensions: error.extensions }));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = CONTEXT_PART[error.validationContext ?? 'body'] ?? 'body';
    // Pointers and messages can quote what the client sent (an unknown key of any length).
    const errors = error.validation.slice(0, 50).map((issue) => ({
      in: part,
      pointer: cut(issue.instancePath === '/' ? '' : issue.instancePath),
      message: cut(issue.message ?? 'invalid value'),
    }));
    const first = errors[0];
    const detail = `The request ${part === 'query' ? 'query string' : part} is invalid${first ? `: ${first.pointer || part} ${first.message}` : ''}.`;
    return sendProblem(reply, createProblem(request, 400, detail, { type: 'urn:learnpath:problem:invalid-request', extensions: { errors } }));
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    if (status === 429) {
      // @fastify/rate-limit has already set Retry-After and the RateLimit headers.
      return sendProblem(reply, createProblem(request, 429, 'Too many requests; retry after the time the Retry-After header gives.'));
    }
    const detail = (error.code && FASTIFY_DETAILS[error.code]) ?? 'The request cannot be processed.';
    if (isLearnerPageRequest(request)) {
      void sendError(request, reply, status, 'This request cannot be processed', detail);
      return reply;
    }
    return sendProblem(reply, createProblem(request, status, detail));
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(
    reply,
    createProblem(request, 500, `Something went wrong on our side. Quote the request id ${request.id} when reporting it.`),
  );
}

/** Errors Fastify raises before a route is found (bad URL encoding, overlong parameters). */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' ? error.statusCode : 400;
  // A person who followed a mangled learner page address gets a page, as from the pages themselves.
  if (status >= 400 && status < 500 && isLearnerPageRequest(request)) {
    void sendError(request, reply, status, 'This address cannot be opened', 'The address is too long or badly encoded. Go back and follow the link again.');
    return;
  }
  handleError(error, request, reply);
}

/** The URL without the trailing slash(es) of its path, or undefined when its path has none. */
function withoutTrailingSlash(url: string): string | undefined {
  const index = url.indexOf('?');
  const path = index < 0 ? url : url.slice(0, index);
  if (path.length < 2 || !path.endsWith('/')) return undefined;
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? undefined : trimmed + (index < 0 ? '' : url.slice(index));
}

/** A permanent redirect that keeps the method (308), e.g. from `/v1/resources/` to `/v1/resources`. */
export function redirectTo(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(308).header('location', location).header('cache-control', 'public, max-age=86400').send();
}

/**
 * The not-found handler: a trailing slash redirects (308) to the address without it when that
 * one exists; 405 with Allow when the URL exists for other methods; else 404.
 */
export function createNotFoundHandler(routes: RouteIndex) {
  return function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    addCorsHeaders(request, reply, corsOf(request));
    const slashless = withoutTrailingSlash(request.url);
    if (slashless !== undefined && routes.allowedMethods(slashless).includes(request.method)) return redirectTo(reply, slashless);
    const allowed = routes.allowedMethods(request.url);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, createProblem(request, 405, `${request.method} is not allowed here; use ${allowed.join(', ')}.`));
    }
    return sendProblem(reply, createProblem(request, 404, 'There is nothing at this address. The API lives under /v1; see /docs.'));
  };
}
