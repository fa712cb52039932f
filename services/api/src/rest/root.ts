import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { chooseMediaType } from '../http/negotiate.js';
import { problemResponses, type RestRouteOptions } from './shared.js';
import { LANDING_CSP, renderLandingPage } from './landing-page.js';
import { LEARN_PATH, listServiceLinks, ServiceLinkSchema, type ServiceLink } from './service-links.js';

const NAME = 'Learnpath API';
const DESCRIPTION =
  'A headless content API for learning paths: phases of resources with typed dependencies, served over REST and GraphQL and exported for learning management systems.';

/** What `GET /` answers an API client. */
export const ServiceIndexSchema = z
  .strictObject({
    name: z.string().max(100).describe('The name of the service.'),
    description: z.string().max(500).describe('What the service is.'),
    contentVersion: z.string().max(128).describe('Content hash of the served catalog.'),
    paths: z.number().int().nonnegative().describe('How many paths are served.'),
    links: z.array(ServiceLinkSchema).max(20).describe('Where to go next.'),
  })
  .describe('The places of the service.');
export type ServiceIndex = z.output<typeof ServiceIndexSchema>;

/** `GET /`: a landing page for browsers, a JSON index of the same links for API clients. */
export const rootRoutes: FastifyPluginAsyncZod<Pick<RestRouteOptions, 'store'>> = async (app, { store }) => {
  // Whether learner pages are there is known once every route is registered.
  let links: ServiceLink[] | undefined;
  const linksOfService = (): ServiceLink[] => (links ??= listServiceLinks({ learn: app.hasRoute({ method: 'GET', url: LEARN_PATH }) }));

  app.get(
    '/',
    {
      schema: {
        operationId: 'getServiceIndex',
        tags: ['service'],
        summary: 'Where to go',
        description: 'Links to the paths, the docs, the GraphQL explorer and the health check. Browsers (`Accept: text/html`) get them as a page.',
        response: {
          200: {
            description: 'The links, as JSON or as an HTML page.',
            content: {
              'application/json': { schema: ServiceIndexSchema },
              'text/html': { schema: z.string().max(20_000).describe('The landing page.') },
            },
          },
          ...problemResponses(429),
        },
      },
    },
    async (request, reply) => {
      const catalog = store.catalog;
      const index: ServiceIndex = { name: NAME, description: DESCRIPTION, contentVersion: catalog.version, paths: catalog.paths.size, links: linksOfService() };
      reply.header('cache-control', 'no-cache').header('vary', 'accept');
      if (chooseMediaType(request.headers.accept, ['application/json', 'text/html']) === 'text/html') {
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', LANDING_CSP)
          .header('x-content-type-options', 'nosniff')
          .send(renderLandingPage(index));
      }
      return reply.header('content-type', 'application/json; charset=utf-8').send(index);
    },
  );
};
