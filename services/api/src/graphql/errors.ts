import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { GraphqlRequestError, LIMIT_CODES } from './limits.js';
import { GRAPHQL_RESPONSE, isDocumentError, responseMediaType } from './over-http.js';

/** HTTP status of a response whose errors all carry this code and no data came back. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  CSRF_PREVENTED: 400,
  [LIMIT_CODES.depth]: 400,
  [LIMIT_CODES.aliases]: 400,
  [LIMIT_CODES.tokens]: 400,
  [LIMIT_CODES.batch]: 400,
  [LIMIT_CODES.body]: 413,
  METHOD_NOT_ALLOWED: 405,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_ACCEPTABLE: 406,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: LIMIT_CODES.body,
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  errors?: unknown;
  extensions?: unknown;
}

const asErrorLike = (value: unknown): ErrorLike | undefined => (value !== null && typeof value === 'object' ? (value as ErrorLike) : undefined);
const TOKEN_LIMIT = /tokens\. Parsing aborted\.$/;
// graphql-js's own words when a document has no operation to run for the name asked (the route
// refuses such a request before it runs, with `operationResolutionError`; `app.graphql()` called
// directly meets them here).
const OPERATION_RESOLUTION = /^(Must provide an operation\.|Must provide operation name if query contains multiple operations\.|Unknown operation named ".*"\.)$/s;
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** What the formatter needs from the mercurius context. */
interface FormatterContext {
  reply?: { request: { id: string; log: FastifyBaseLogger; headers: Record<string, string | string[] | undefined> }; log?: FastifyBaseLogger };
  app?: { log: FastifyBaseLogger };
}

/** Options of the error formatter. */
export interface ErrorFormatterOptions {
  /** Strip "Did you mean …?" suggestions, which reveal the schema to someone probing it. */
  hideSuggestions: boolean;
}

/** One error, classified: its code, status, and whether its message is safe to show. */
function classify(error: GraphQLError, wrapper: ErrorLike | undefined): { code: string; status: number; safe: boolean } {
  const own = asErrorLike(error.extensions)?.code ?? asErrorLike(asErrorLike(error.originalError)?.extensions)?.code;
  if (typeof own === 'string') return { code: own, status: STATUS_BY_CODE[own] ?? 400, safe: own !== 'INTERNAL_SERVER_ERROR' };
  const message = error.message;
  if (message.startsWith('Syntax Error')) return { code: TOKEN_LIMIT.test(message) ? LIMIT_CODES.tokens : 'GRAPHQL_PARSE_FAILED', status: 400, safe: true };
  if (message.startsWith('Variable "$')) return { code: 'BAD_USER_INPUT', status: 400, safe: true };
  if (error.originalError === undefined && error.path === undefined && OPERATION_RESOLUTION.test(message)) return { code: 'OPERATION_RESOLUTION_FAILURE', status: 400, safe: true };
  const original = asErrorLike(error.originalError) ?? wrapper;
  const fastifyCode = typeof original?.code === 'string' ? original.code : '';
  if (fastifyCode === 'MER_ERR_GQL_CSRF_PREVENTION') return { code: 'CSRF_PREVENTED', status: 400, safe: true };
  if (fastifyCode === 'MER_ERR_METHOD_NOT_ALLOWED' || asErrorLike(wrapper)?.code === 'MER_ERR_METHOD_NOT_ALLOWED') return { code: 'METHOD_NOT_ALLOWED', status: 405, safe: true };
  if (fastifyCode === 'FST_ERR_VALIDATION' || asErrorLike(error.originalError)?.code === 'FST_ERR_VALIDATION') return { code: 'BAD_REQUEST', status: 400, safe: true };
  if (asErrorLike(wrapper)?.code === 'MER_ERR_GQL_VALIDATION') {
    // Errors a wrapper collected: spec validation, or the request's body failing its schema.
    return error.originalError === undefined || error.originalError instanceof GraphQLError
      ? { code: 'GRAPHQL_VALIDATION_FAILED', status: 400, safe: true }
      : { code: 'BAD_REQUEST', status: 400, safe: true };
  }
  const status = typeof original?.statusCode === 'number' ? original.statusCode : 500;
  if (status >= 400 && status < 500) return { code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', status, safe: true };
  return { code: 'INTERNAL_SERVER_ERROR', status: 500, safe: false };
}

/**
 * Builds the mercurius `errorFormatter`: every error gets `extensions.code`; internal errors
 * are masked (the log keeps the detail, the client gets the request id); the HTTP status is
 * 200 when data came back, else the status of the first client error, else 500.
 */
export function createErrorFormatter(options: ErrorFormatterOptions) {
  return function formatErrors(execution: ExecutionResult & { statusCode?: number }, context: FormatterContext): { statusCode: number; response: { data?: unknown; errors: GraphQLFormattedError[] } } {
    const log = context?.reply?.request.log ?? context?.reply?.log ?? context?.app?.log;
    const requestId = context?.reply?.request.id;
    const formatted: GraphQLFormattedError[] = [];
    let status = 0;
    let firstCode = '';
    let internal = false;
    for (const outer of execution.errors ?? []) {
      const wrapper = asErrorLike(outer.originalError);
      const inner = Array.isArray(wrapper?.errors) ? (wrapper.errors as unknown[]) : [outer];
      for (const item of inner) {
        const error = item instanceof GraphQLError ? item : toGraphqlError(item);
        const { code, status: errorStatus, safe } = classify(error, inner === (wrapper?.errors as unknown) ? wrapper : undefined);
        if (!safe) {
          internal = true;
          log?.error({ err: error.originalError ?? error, path: error.path }, 'GraphQL request failed');
          formatted.push({
            message: 'Internal server error',
            ...(error.path ? { path: error.path } : {}),
            extensions: { code, ...(requestId ? { requestId } : {}) },
          });
          continue;
        }
        log?.debug({ code, message: error.message }, 'GraphQL request refused');
        const json = error.toJSON();
        const message = options.hideSuggestions ? json.message.replace(SUGGESTION, '') : json.message;
        formatted.push({ ...json, message, extensions: { ...(json.extensions ?? {}), code } });
        if (status === 0) {
          status = errorStatus;
          firstCode = code;
        }
      }
    }
    // A request error (the operation never ran) has no `data` entry; an execution that ran
    // keeps its data, null included.
    const ran = 'data' in execution;
    const hasData = execution.data !== undefined && execution.data !== null;
    let statusCode = hasData ? 200 : internal ? 500 : status || 400;
    const accept = context?.reply?.request.headers.accept;
    if (statusCode >= 400 && statusCode < 500 && isDocumentError(firstCode) && responseMediaType(typeof accept === 'string' ? accept : undefined) !== GRAPHQL_RESPONSE) {
      statusCode = 200;
    }
    return { statusCode, response: ran ? { data: execution.data, errors: formatted } : { errors: formatted } };
  };
}

/**
 * The error of a document that has no operation to run for the name asked (none: the document
 * must hold exactly one), in graphql-js's words; null when it has one.
 */
export function operationResolutionError(document: DocumentNode, operationName: string | undefined): GraphqlRequestError | null {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  let message: string | null = null;
  if (operationName !== undefined) {
    if (!operations.some((operation) => operation.name?.value === operationName)) message = `Unknown operation named "${operationName}".`;
  } else if (operations.length === 0) message = 'Must provide an operation.';
  else if (operations.length > 1) message = 'Must provide operation name if query contains multiple operations.';
  return message === null ? null : new GraphqlRequestError(message, 'OPERATION_RESOLUTION_FAILURE');
}

function toGraphqlError(value: unknown): GraphQLError {
  const like = asErrorLike(value);
  const message = typeof like?.message === 'string' ? like.message : 'Unknown error';
  const extensions = asErrorLike(like?.extensions) ? (like?.extensions as Record<string, unknown>) : undefined;
  return new GraphQLError(message, { originalError: value instanceof Error ? value : undefined, extensions });
}
