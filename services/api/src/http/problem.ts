import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '@learnpath/schema';
import { RefusalError } from './refusal.js';

/** The media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Extra members a problem may carry besides the RFC 9457 ones. */
export type ProblemExtensions = Partial<Pick<Problem, 'errors' | 'unknownIds'>>;

/**
 * An error a handler throws (or passes to `reply.send`) to answer with a problem+json
 * response of its status. Use it for every 4xx a route decides on.
 */
export class ProblemError extends RefusalError {
  /** The HTTP status (4xx). */
  readonly statusCode: number;
  /** A URI naming the kind of problem. */
  readonly type: string;
  /** Extra members of the problem. */
  readonly extensions: ProblemExtensions;
  /** Response headers to add (e.g. `Allow` on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    statusCode: number,
    detail: string,
    options: { type?: string; extensions?: ProblemExtensions; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.statusCode = statusCode;
    this.type = options.type ?? 'about:blank';
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

/** The title of a status code, e.g. 404 → "Not Found". */
export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

// A problem names the address it is about, but does not echo kilobytes of a hostile URL back.
const INSTANCE_MAX = 1000;
function instanceOf(url: string): string {
  const path = url.split('?', 1)[0] ?? url;
  return path.length <= INSTANCE_MAX ? path : `${path.slice(0, INSTANCE_MAX - 1)}…`;
}

/** Builds a problem document for a request. */
export function createProblem(
  request: FastifyRequest,
  status: number,
  detail: string,
  options: { type?: string; extensions?: ProblemExtensions } = {},
): Problem {
  return {
    type: options.type ?? 'about:blank',
    title: statusTitle(status),
    status,
    detail,
    instance: instanceOf(request.url),
    requestId: request.id,
    ...options.extensions,
  };
}

/** Sends a problem as application/problem+json (already serialised, so no response schema applies). */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .header('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
    .header('cache-control', 'no-store')
    .send(JSON.stringify(problem));
}
