import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { countDiagnostics } from '@learnpath/content';
import { HealthSchema, type Health } from '@learnpath/schema';
import { runHealthChecks, staleContentCheck, type HealthCheck } from './health-checks.js';
import { jsonResponse, type RestRouteOptions } from './shared.js';

/** Options of the health route. */
export interface HealthRouteOptions extends Pick<RestRouteOptions, 'store'> {
  /** Checks beyond stale content (e.g. the learner database); any reason they give makes the status `degraded`. */
  checks?: readonly HealthCheck[];
}

/** `GET /healthz`: whether the service serves, how well, and which content version. */
export const healthRoutes: FastifyPluginAsyncZod<HealthRouteOptions> = async (app, { store, checks = [] }) => {
  const allChecks = [staleContentCheck(store), ...checks];
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
          'Answers 200 while the service can serve content, so a load balancer keeps it in rotation. `status` is `degraded`, with ' +
          '`reasons`, when it serves but something is wrong: `stale` is true when newer content failed to load (watch mode) and the ' +
          'last good catalog is still served, or the learner database does not answer (learner routes answer 503 until it is back). ' +
          '`diagnostics` counts the errors and warnings of the latest load (the log has each one).',
        response: { 200: jsonResponse(HealthSchema, 'The service serves: `ok` or `degraded`.') },
      },
    },
    async (_request, reply) => {
      const state = store.state;
      const reasons = await runHealthChecks(allChecks);
      const health: Health = {
        status: reasons.length === 0 ? 'ok' : 'degraded',
        reasons,
        paths: state.catalog.paths.size,
        contentVersion: state.catalog.version,
        loadedAt: state.loadedAt.toISOString(),
        stale: state.stale,
        diagnostics: countDiagnostics(state.diagnostics),
      };
      return reply.header('cache-control', 'no-store').send(health);
    },
  );
};
