import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LearningPathSchema, PathListSchema, PhaseSchema, ResourceEntrySchema, type LearningPath } from '@learnpath/schema';
import { createJsonBody } from '../http/cached-body.js';
import { findPath, indexPath } from '../catalog/path-index.js';
import { viewOf, type CatalogView } from '../catalog/view.js';
import { pathsPageBody } from './listings.js';
import { ProblemError } from '../http/problem.js';
import { redirectTo } from '../plugins/problems.js';
import { PathListQuerySchema, PathParamsSchema, PhaseParamsSchema, ResourceParamsSchema, queryKey } from './schemas.js';
import { jsonResponse, notModifiedResponse, problemResponses, respondWhenIndexed, sendUrlBody, type RestRouteOptions } from './shared.js';

/** The path with `slug`, or a 404 problem. */
export function requirePath(view: CatalogView, slug: string): LearningPath {
  const path = findPath(view.catalog, slug);
  if (path === undefined) throw new ProblemError(404, `There is no learning path "${slug}".`);
  return path;
}

/** `GET /paths`, `GET /paths/{slug}` and the phases and resources of a path. */
export const pathRoutes: FastifyPluginAsyncZod<RestRouteOptions> = async (app, options) => {
  const { store } = options;
  // `/v1/paths/` would match `/v1/paths/:slug` with an empty slug; it redirects like every other
  // trailing slash (see the not-found handler).
  app.get('/paths/', { schema: { hide: true } }, (request, reply) => redirectTo(reply, request.url.replace(/^([^?]*?)\/+(\?|$)/, '$1$2')));

  app.get(
    '/paths',
    {
      // Precompressed by sendCached; no per-request compression hooks on this hot route.
      compress: false,
      decompress: false,
      schema: {
        operationId: 'listPaths',
        tags: ['paths'],
        summary: 'List learning paths',
        description:
          'Summaries of the learning paths, filtered by text, tag, level, resource kind and length, sorted and paginated. ' +
          'Pass `nextCursor` back as `cursor` with the same filters to get the next page.',
        querystring: PathListQuerySchema,
        response: { 200: jsonResponse(PathListSchema, 'A page of path summaries.'), ...notModifiedResponse, ...problemResponses(400, 406, 429, 503) },
      },
    },
    (request, reply) => {
      const view = viewOf(store.catalog);
      // While a new content version is indexed in the background, listings wait for it.
      return respondWhenIndexed(view, request.query.q, 'paths', () => {
        const body = view.responses.get(`paths?${queryKey(request.query)}`, () => pathsPageBody(view, request.query));
        sendUrlBody(options, view, request, reply, body);
      }, options.indexWaitMs);
    },
  );

  app.get(
    '/paths/:slug',
    {
      // Precompressed by sendCached; no per-request compression hooks on this hot route.
      compress: false,
      decompress: false,
      schema: {
        operationId: 'getPath',
        tags: ['paths'],
        summary: 'Get a learning path',
        description: 'The full learning path: phases, resources, dependencies, links, videos, checklist and notes, with derived totals.',
        params: PathParamsSchema,
        response: { 200: jsonResponse(LearningPathSchema, 'The learning path.'), ...notModifiedResponse, ...problemResponses(400, 404, 406, 429) },
      },
    },
    (request, reply) => {
      const view = viewOf(store.catalog);
      const { slug } = request.params;
      const body = view.responses.get(`path/${slug}`, () => createJsonBody(LearningPathSchema, requirePath(view, slug)));
      sendUrlBody(options, view, request, reply, body);
    },
  );

  app.get(
    '/paths/:slug/phases/:phaseId',
    {
      // Precompressed by sendCached; no per-request compression hooks on this hot route.
      compress: false,
      decompress: false,
      schema: {
        operationId: 'getPhase',
        tags: ['paths'],
        summary: 'Get a phase of a learning path',
        description: 'One phase with its resources and derived totals.',
        params: PhaseParamsSchema,
        response: { 200: jsonResponse(PhaseSchema, 'The phase.'), ...notModifiedResponse, ...problemResponses(400, 404, 406, 429) },
      },
    },
    (request, reply) => {
      const view = viewOf(store.catalog);
      const { slug, phaseId } = request.params;
      const body = view.responses.get(`phase/${slug}/${phaseId}`, () => {
        const phase = indexPath(requirePath(view, slug)).phases.get(phaseId);
        if (phase === undefined) throw new ProblemError(404, `The learning path "${slug}" has no phase "${phaseId}".`);
        return createJsonBody(PhaseSchema, phase);
      });
      sendUrlBody(options, view, request, reply, body);
    },
  );

  app.get(
    '/paths/:slug/resources/:resourceId',
    {
      // Precompressed by sendCached; no per-request compression hooks on this hot route.
      compress: false,
      decompress: false,
      schema: {
        operationId: 'getPathResource',
        tags: ['paths'],
        summary: 'Get a resource of a learning path',
        description: 'One resource with the path and phase it belongs to.',
        params: ResourceParamsSchema,
        response: { 200: jsonResponse(ResourceEntrySchema, 'The resource.'), ...notModifiedResponse, ...problemResponses(400, 404, 406, 429) },
      },
    },
    (request, reply) => {
      const view = viewOf(store.catalog);
      const { slug, resourceId } = request.params;
      const body = view.responses.get(`resource/${slug}/${resourceId}`, () => {
        const placed = indexPath(requirePath(view, slug)).resources.get(resourceId);
        if (placed) return createJsonBody(ResourceEntrySchema, { ...placed.resource, pathSlug: slug, phaseId: placed.phase.id });
        throw new ProblemError(404, `The learning path "${slug}" has no resource "${resourceId}".`);
      });
      sendUrlBody(options, view, request, reply, body);
    },
  );
};
