import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { buildPathGraph, PathGraphSchema } from '@learnpath/schema';
import { CachedBody, createJsonBody, sendCached } from '../http/cached-body.js';
import { viewOf } from '../catalog/view.js';
import { renderMermaid } from './mermaid.js';
import { GraphQuerySchema, PathParamsSchema } from './schemas.js';
import { requirePath } from './paths.js';
import { chooseMediaType } from '../http/negotiate.js';
import { ProblemError } from '../http/problem.js';
import { notModifiedResponse, problemResponses, type RestRouteOptions } from './shared.js';

/** The media type of Mermaid text. */
const MERMAID = 'text/vnd.mermaid';
const MEDIA_TYPES = ['application/json', MERMAID] as const;

/** `GET /paths/{slug}/graph`: the dependency graph as JSON or as a Mermaid flowchart. */
export const graphRoutes: FastifyPluginAsyncZod<RestRouteOptions> = async (app, { store, send }) => {
  app.get(
    '/paths/:slug/graph',
    {
      // Precompressed by sendCached; no per-request compression hooks on this hot route.
      compress: false,
      decompress: false,
      schema: {
        operationId: 'getPathGraph',
        tags: ['paths'],
        summary: 'Get the dependency graph of a learning path',
        description:
          'Nodes (resources), edges (authored dependencies and the order of sequential phases), the topological order and the ' +
          'longest chain in minutes. As `text/vnd.mermaid` (`Accept: text/vnd.mermaid`, or `format=mermaid`), a Mermaid ' +
          '`flowchart` with one subgraph per phase.',
        params: PathParamsSchema,
        querystring: GraphQuerySchema,
        response: {
          200: {
            description: 'The graph as JSON, or as a Mermaid flowchart when Accept or `format=mermaid` asks for it.',
            content: {
              'application/json': { schema: PathGraphSchema },
              [MERMAID]: { schema: z.string().describe('A Mermaid flowchart.') },
            },
          },
          ...notModifiedResponse,
          ...problemResponses(400, 404, 406, 429),
        },
      },
    },
    (request, reply) => {
      const view = viewOf(store.catalog);
      const { slug } = request.params;
      const graph = (): ReturnType<typeof buildPathGraph> => buildPathGraph(requirePath(view, slug));
      // `format` picks the representation where a link cannot set Accept; otherwise Accept does.
      const mediaType = request.query.format ?? chooseMediaType(request.headers.accept, MEDIA_TYPES);
      if (mediaType === undefined) throw new ProblemError(406, `This resource is available as ${MEDIA_TYPES.join(' or ')}.`);
      const body =
        mediaType === 'mermaid' || mediaType === MERMAID
          ? view.responses.get(`mermaid/${slug}`, () => new CachedBody(renderMermaid(graph()), `${MERMAID}; charset=utf-8`))
          : view.responses.get(`graph/${slug}`, () => createJsonBody(PathGraphSchema, graph()));
      sendCached(request, reply, body, { ...send, varyAccept: true });
    },
  );
};
