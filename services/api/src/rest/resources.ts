import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ResourceListSchema } from '@learnpath/schema';
import { viewOf } from '../catalog/view.js';
import { resourcesPageBody } from './listings.js';
import { queryKey, ResourceListQuerySchema } from './schemas.js';
import { jsonResponse, notModifiedResponse, problemResponses, respondWhenIndexed, sendUrlBody, type RestRouteOptions } from './shared.js';

/** `GET /resources`: resources across every path. */
export const resourceRoutes: FastifyPluginAsyncZod<RestRouteOptions> = async (app, options) => {
  const { store } = options;
  app.get(
    '/resources',
    {
      // Precompressed by sendCached; no per-request compression hooks on this hot route.
      compress: false,
      decompress: false,
      schema: {
        operationId: 'listResources',
        tags: ['resources'],
        summary: 'List resources across all paths',
        description:
          'Every resource of every learning path, each with its path slug and phase id, filtered by text, kind, length and path, ' +
          'in path then document order and paginated like `GET /v1/paths`.',
        querystring: ResourceListQuerySchema,
        response: { 200: jsonResponse(ResourceListSchema, 'A page of resources.'), ...notModifiedResponse, ...problemResponses(400, 406, 429, 503) },
      },
    },
    (request, reply) => {
      const view = viewOf(store.catalog);
      // While a new content version is indexed in the background, listings wait for it.
      return respondWhenIndexed(view, request.query.q, 'resources', () => {
        const body = view.responses.get(`resources?${queryKey(request.query)}`, () => resourcesPageBody(view, request.query));
        sendUrlBody(options, view, request, reply, body);
      }, options.indexWaitMs);
    },
  );
};
