import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LEARNER_LINK_LIFETIME, LearnerLinkRequestSchema, LearnerLinkSchema } from '@learnpath/schema';
import { ProblemError } from '../http/problem.js';
import { API_KEY_SECURITY_SCHEME, requireScope } from '../plugins/api-keys.js';
import { requireStore } from '../plugins/store.js';
import { LearnerParamsSchema } from './schemas.js';
import { jsonResponse, problemResponses, type RestRouteOptions } from './shared.js';

/** `POST /learners/{learnerId}/links`: a single-use, short-lived link that opens the learner pages with a session. */
export const learnerLinkRoutes: FastifyPluginAsyncZod<RestRouteOptions & { baseUrl: () => string }> = async (app, { store, baseUrl }) => {
  app.post(
    '/learners/:learnerId/links',
    {
      preHandler: requireScope('progress:write'),
      schema: {
        operationId: 'createLearnerLink',
        tags: ['learners'],
        summary: 'Make a single-use learner link',
        description:
          'A link that opens the learner pages (the path given, or the catalog) with a session for this learner, once, within ' +
          `\`expiresIn\` seconds (default ${LEARNER_LINK_LIFETIME.default}). Opening it sets an HttpOnly session cookie and redirects to the page\'s ` +
          'clean URL; marks the learner makes there are stored with `source: page`. A second use or a late one gets 410. ' +
          'Call this from your back end (it needs an API key with `progress:write`) and redirect the learner\'s browser to `url`.',
        // Bearer schemes carry no scopes in OpenAPI; the scope the key needs is in the description.
        security: [{ [API_KEY_SECURITY_SCHEME]: [] }],
        params: LearnerParamsSchema,
        body: LearnerLinkRequestSchema,
        response: { 201: jsonResponse(LearnerLinkSchema, 'The link, and when it expires.'), ...problemResponses(400, 401, 403, 404, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const learners = requireStore(app);
      const slug = request.body.path;
      if (slug !== undefined && !store.catalog.paths.has(slug)) throw new ProblemError(404, `There is no learning path "${slug}".`);
      const seconds = request.body.expiresIn ?? LEARNER_LINK_LIFETIME.default;
      const link = await learners.createLearnerLink({ learnerId: request.params.learnerId, slug: slug ?? null, expiresAt: new Date(Date.now() + seconds * 1000) });
      const url = `${baseUrl().replace(/\/+$/, '')}/learn/link/${link.token}`;
      return reply.code(201).header('cache-control', 'no-store').send({ url, expiresAt: link.expiresAt });
    },
  );
};
