import type { components } from './generated/openapi.js';

/** An RFC 9457 problem as the service sends it (extension members included). */
export type LearnpathProblem = components['schemas']['Problem'];

function isProblem(value: unknown): value is LearnpathProblem {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v['status'] === 'number' && typeof v['title'] === 'string' && typeof v['type'] === 'string';
}

/** An error response of the service, with its problem details. */
export class LearnpathProblemError extends Error {
  /** The HTTP status of the response. */
  readonly status: number;
  /** The problem details (a minimal one when the body was not a problem, e.g. from a proxy). */
  readonly problem: LearnpathProblem;
  /** The response the problem came with. */
  readonly response: Response | undefined;

  constructor(problem: LearnpathProblem, response?: Response) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'LearnpathProblemError';
    this.status = problem.status;
    this.problem = problem;
    this.response = response;
  }

  /** The error for a failed response and whatever body openapi-fetch read from it. */
  static fromResponse(response: Response, body: unknown): LearnpathProblemError {
    if (isProblem(body)) return new LearnpathProblemError(body, response);
    const text: string = typeof body === 'string' ? (body as string) : '';
    return new LearnpathProblemError(
      {
        type: 'about:blank',
        title: response.statusText || 'Error',
        status: response.status,
        detail: text !== '' ? text.slice(0, 4000) : `The service answered ${response.status}.`,
        instance: new URL(response.url || 'http://invalid/').pathname,
      },
      response,
    );
  }
}
