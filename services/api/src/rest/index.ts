import type { FastifyInstance } from 'fastify';
import { exportRoutes } from './exports.js';
import { graphRoutes } from './graph.js';
import { healthRoutes } from './health.js';
import { learnerLinkRoutes } from './learner-links.js';
import { pathRoutes } from './paths.js';
import { progressRoutes } from './progress.js';
import { resourceRoutes } from './resources.js';
import type { HealthCheck } from './health-checks.js';
import { rootRoutes } from './root.js';
import { learnerRoutes } from './learners.js';
import type { RestRouteOptions } from './shared.js';

// The rule that keeps the hot routes fast, in one place. The route groups below answer from
// bodies serialised once per content version (`sendCached`): they run no per-request hook,
// write their own CORS headers with the app's policy and opt out of the compression hooks
// (their bodies are precompressed). So they are registered in the app's root scope, before
// and outside the scope where @fastify/cors installs its hook. So is the GraphQL plugin, given
// the app's CORS policy: /graphql writes those headers and compresses in one onSend hook of its
// own. Every other route group, whatever its folder, goes in that CORS scope
// (`registerScopedRoutes`).

/** The route groups served from cached bodies, outside the CORS hook's scope. */
export const CACHED_ROUTE_GROUPS = [pathRoutes, resourceRoutes, graphRoutes] as const;

/** Registers the cached route groups under /v1; call it on the root scope, never inside the CORS scope. */
export async function registerCachedRoutes(app: FastifyInstance, options: RestRouteOptions): Promise<void> {
  for (const routes of CACHED_ROUTE_GROUPS) await app.register(routes, { ...options, prefix: '/v1' });
}

/** Registers the other REST route groups; call it inside the CORS scope. */
export async function registerScopedRoutes(
  scope: FastifyInstance,
  options: RestRouteOptions & { baseUrl: () => string; healthChecks: readonly HealthCheck[] },
): Promise<void> {
  await scope.register(rootRoutes, { store: options.store });
  await scope.register(healthRoutes, { store: options.store, checks: options.healthChecks });
  await scope.register(progressRoutes, { ...options, prefix: '/v1' });
  await scope.register(learnerRoutes, { ...options, prefix: '/v1' });
  await scope.register(exportRoutes, { ...options, prefix: '/v1' });
  await scope.register(learnerLinkRoutes, { ...options, prefix: '/v1' });
}
