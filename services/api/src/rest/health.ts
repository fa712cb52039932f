import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema, type Health } from './schemas.js';
import { jsonResponse, type RestRouteOptions } from './shared.js';

/** `GET /healthz`: liveness and which content version is served. */
export const healthRoutes: FastifyPluginAsyncZod<Pick<RestRouteOptions, 'store'>> = async (app, { store }) => {
  app.get(
    '/healthz',
    {
      compress: false,
      // Load balancers and orchestrators poll this; a 429 would take a healthy replica out.
      config: { rateLimit: false },
      schema: {
        operationId: 'getHealth',
        tags: ['service'],
        summary: 'Health and content version',
        description:
          'Answers while the service is up. `stale` is true when newer content failed to load (watch mode) and the last good ' +
          'catalog is still served; `diagnostics` counts what was wrong with it (the log has the details).',
        response: { 200: jsonResponse(HealthSchema, 'The service is up.') },
      },
    },
    async (_request, reply) => {
      const state = store.state;
      const health: Health = {
        status: 'ok',
        paths: state.catalog.paths.size,
        contentVersion: state.catalog.version,
        loadedAt: state.loadedAt.toISOString(),
        stale: state.stale,
        diagnostics: state.diagnostics.length,
      };
      return reply.header('cache-control', 'no-store').send(health);
    },
  );
};
