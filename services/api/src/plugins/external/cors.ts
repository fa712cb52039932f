import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { EXPOSED_HEADERS } from '../../http/cached-body.js';

/**
 * Registers @fastify/cors in `scope`: its hook reaches the routes registered in that scope
 * only. The cached routes live outside it and write the same headers themselves (see
 * `rest/index.ts`).
 */
export async function registerCors(scope: FastifyInstance, origins: '*' | string[]): Promise<void> {
  await scope.register(fastifyCors, {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ['Content-Type', 'If-None-Match'],
    exposedHeaders: [...EXPOSED_HEADERS],
    maxAge: 600,
    // An OPTIONS request that is not a preflight gets an empty 204, not a text/plain 400.
    strictPreflight: false,
  });
}
