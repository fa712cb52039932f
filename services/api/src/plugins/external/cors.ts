import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { EXPOSED_HEADER_LIST } from '../../http/cached-body.js';

/**
 * Request headers a page on another origin may send: the JSON content type, revalidation,
 * the header that marks a GraphQL request as preflighted (CSRF prevention), credentials for
 * learner data, and the client name and version Apollo Client sends.
 */
export const ALLOWED_HEADERS = [
  'Content-Type',
  'If-None-Match',
  'Authorization',
  'mercurius-require-preflight',
  'x-mercurius-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
] as const;

/**
 * Registers @fastify/cors in `scope`: its hook reaches the routes registered in that scope
 * only. The cached routes live outside it and write the same headers themselves (see
 * `rest/index.ts`).
 */
export async function registerCors(scope: FastifyInstance, origins: '*' | string[]): Promise<void> {
  await scope.register(fastifyCors, {
    origin: origins,
    // Joined once here: given as lists, the hook joins them again on every request.
    methods: 'GET, HEAD, POST',
    allowedHeaders: ALLOWED_HEADERS.join(', '),
    exposedHeaders: EXPOSED_HEADER_LIST,
    maxAge: 600,
    // An OPTIONS request that is not a preflight gets an empty 204, not a text/plain 400.
    strictPreflight: false,
  });
}
