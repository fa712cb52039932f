import { expect } from 'vitest';

/** What every error response of the service must look like, whatever produced it. */
export interface ProblemLike {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
}

/**
 * Asserts an RFC 9457 problem response: the status, the media type, and a body whose `type`,
 * `title` and `status` agree with the response. Returns the body.
 */
export function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number): ProblemLike {
  expect(response.statusCode, response.body.slice(0, 500)).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json(;|$)/);
  const problem = JSON.parse(response.body) as ProblemLike;
  expect(problem).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  expect(problem.title.length).toBeGreaterThan(0);
  return problem;
}

/** Strings that must never reach a client: stack frames, paths of the machine, library names. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [\w.<>]+ \(/, // a stack frame
  /node_modules/,
  /\/(srv|work|home|usr|tmp|etc)\//,
  /\.(ts|js|mjs|cjs):\d+/,
  /\bENOENT\b|\bEACCES\b/,
  /\b(ZodError|TypeError|ReferenceError|SyntaxError: Unexpected|FST_[A-Z_]+|MER_ERR_[A-Z_]+)\b/,
  /fastify|mercurius|zod/i,
];

/** Asserts that a response body carries none of the leak patterns. */
export function expectNoLeak(body: string): void {
  for (const pattern of LEAK_PATTERNS) expect(body, `response leaks ${pattern}`).not.toMatch(pattern);
}
