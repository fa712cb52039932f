import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from '../../http/problem.js';

/** Rate limiting per client address (@fastify/rate-limit). */
export interface RateLimitOptions {
  /** Requests a client may make per window. */
  max: number;
  /** The window, in milliseconds or as a string such as `"1 minute"`. */
  timeWindow: number | string;
  /** Client addresses never limited (e.g. a trusted LMS, or loopback in tests). */
  allowList?: string[];
  /** What a request counts against (default its client address; authenticated requests count per API key). */
  keyGenerator?: (request: FastifyRequest) => string;
}

export { DEFAULT_RATE_LIMIT } from '../../defaults.js';

/** Limits every route (but those with `config.rateLimit: false`); a client over the limit gets a 429 problem. */
export async function registerRateLimit(app: FastifyInstance, rateLimit: RateLimitOptions): Promise<void> {
  const allowed = new Set(rateLimit.allowList ?? []);
  await app.register(fastifyRateLimit, {
    global: true,
    max: rateLimit.max,
    timeWindow: rateLimit.timeWindow,
    // The allow list names client addresses, whatever key a request counts against.
    allowList: (request) => allowed.has(request.ip),
    ...(rateLimit.keyGenerator ? { keyGenerator: rateLimit.keyGenerator } : {}),
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) =>
      new ProblemError(429, `Too many requests: at most ${context.max} per ${context.after}. Retry after the time the Retry-After header gives.`),
  });
}
