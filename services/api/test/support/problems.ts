import { expect } from 'vitest';
import { ProblemSchema, type Problem } from '@learnpath/schema';

/**
 * Asserts an RFC 9457 problem response: the status, the media type, a body the problem schema
 * accepts whose `status` agrees with the response, a title, a detail and a known kind of
 * `type`. Returns the body.
 */
export function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number): Problem {
  expect(response.statusCode, response.body.slice(0, 500)).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const problem = ProblemSchema.parse(JSON.parse(response.body));
  expect(problem.status).toBe(status);
  expect(problem.title.length).toBeGreaterThan(0);
  expect(problem.detail.length).toBeGreaterThan(0);
  expect(problem.type).toMatch(/^(about:blank|urn:learnpath:problem:[a-z-]+)$/);
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
