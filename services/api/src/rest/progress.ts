import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { evaluateProgress, ProgressReportSchema, ProgressRequestSchema, unknownResourceIds } from '@learnpath/schema';
import { JSON_CONTENT_TYPE } from '../http/cached-body.js';
import { viewOf } from '../catalog/view.js';
import { acceptsMediaType } from '../http/negotiate.js';
import { ProblemError } from '../http/problem.js';
import { PathParamsSchema } from './schemas.js';
import { requirePath } from './paths.js';
import { jsonResponse, problemResponses, type RestRouteOptions } from './shared.js';

/** `POST /paths/{slug}/progress`: evaluates a learner's progress. Stateless: nothing is stored. */
export const progressRoutes: FastifyPluginAsyncZod<RestRouteOptions> = async (app, { store }) => {
  app.post(
    '/paths/:slug/progress',
    {
      schema: {
        operationId: 'evaluateProgress',
        tags: ['progress'],
        summary: 'Evaluate a learner\'s progress through a path',
        description:
          'Given the resources a learner has completed, which resources are completed, available or locked, the percent per phase ' +
          'and overall, the minutes left, the next resource to study and the checklist. Nothing is stored. ' +
          'Ids that name no resource of the path are rejected with 400 and listed in `unknownIds`.',
        params: PathParamsSchema,
        body: ProgressRequestSchema,
        response: { 200: jsonResponse(ProgressReportSchema, 'The learner\'s progress.'), ...problemResponses(400, 404, 406, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      if (!acceptsMediaType(request.headers.accept, 'application/json')) {
        throw new ProblemError(406, 'This resource is available as application/json only.');
      }
      const path = requirePath(viewOf(store.catalog), request.params.slug);
      const { completed, completedPaths } = request.body;
      const unknown = unknownResourceIds(path, completed);
      if (unknown.length > 0) {
        throw new ProblemError(400, `${unknown.length} completed id(s) name no resource of "${path.slug}": ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ', …' : ''}.`, {
          type: 'urn:learnpath:problem:unknown-resource-ids',
          extensions: {
            unknownIds: unknown,
            errors: unknown.slice(0, 100).map((id) => ({
              in: 'body' as const,
              pointer: `/completed/${completed.indexOf(id)}`,
              message: `no resource "${id}" in this path`,
            })),
          },
        });
      }
      const report = evaluateProgress(path, completed, completedPaths === undefined ? {} : { completedPaths });
      return reply.header('content-type', JSON_CONTENT_TYPE).header('cache-control', 'no-store').send(report);
    },
  );
};
