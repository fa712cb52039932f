import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CompletionRequestSchema,
  LearnerEventListSchema,
  LearnerPathListSchema,
  LearnerProgressSchema,
} from '@learnpath/schema';
import { dependsOnOtherPaths } from '@learnpath/store';
import { viewOf, type CatalogView } from '../catalog/view.js';
import { JSON_CONTENT_TYPE } from '../http/cached-body.js';
import { ProblemError } from '../http/problem.js';
import { API_KEY_SECURITY_SCHEME, requireScope } from '../plugins/api-keys.js';
import { requireStore } from '../plugins/store.js';
import { completeLearnerResource, listLearnerPaths, uncompleteLearnerResource } from './learner-operations.js';
import { learnerProgressOf } from './learner-progress.js';
import { requirePath } from './paths.js';
import { progressBody } from './progress-bodies.js';
import { LearnerPageQuerySchema, LearnerParamsSchema, LearnerPathParamsSchema, LearnerResourceParamsSchema } from './schemas.js';
import { jsonResponse, notModifiedResponse, problemResponses, type RestRouteOptions } from './shared.js';

const security = [{ [API_KEY_SECURITY_SCHEME]: [] }];
const learnerProblems = problemResponses(400, 401, 403, 404, 406, 429, 503);

function acceptJson(request: FastifyRequest): void {
  const accept = request.headers.accept;
  if (accept !== undefined && !/(^|,)\s*(application\/(json|\*)|\*\/\*)/i.test(accept)) {
    throw new ProblemError(406, 'This resource is available as application/json only.');
  }
}

// Learner answers are built from the types of the schemas they are documented with, field by
// field, and a test checks that they hold nothing more: they are written with JSON.stringify
// rather than passed through zod first, which cost more than the rest of a progress read.
const serializeJson = (body: unknown): string => JSON.stringify(body);

function sendJson(reply: FastifyReply, body: unknown, cacheControl = 'private, no-store'): FastifyReply {
  return reply.header('content-type', JSON_CONTENT_TYPE).header('cache-control', cacheControl).serializer(serializeJson).send(body);
}

function etagOf(view: CatalogView, revision: string): string {
  return `"${view.catalog.version}.${revision}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** The learner routes under /v1: completions, stored progress, started paths, the event log and erasure. Every one needs an API key. */
export const learnerRoutes: FastifyPluginAsyncZod<RestRouteOptions> = async (app, { store: catalogStore }) => {
  const learners = () => requireStore(app);
  const learnerDescription = 'The learner is an opaque id chosen by the integrator; a learner the service has never seen has no data, not a 404.';

  app.put(
    '/learners/:learnerId/paths/:slug/completions/:resourceId',
    {
      onRequest: requireScope('progress:write'),
      schema: {
        operationId: 'completeResource',
        tags: ['learners'],
        summary: 'Mark a resource done for a learner',
        description: `Records that the learner completed the resource (idempotent: a second call keeps the first time). Answers once the change is committed, with the learner's progress. Needs the scope \`progress:write\`. ${learnerDescription}`,
        security,
        params: LearnerResourceParamsSchema,
        body: CompletionRequestSchema.nullish(),
        response: { 200: jsonResponse(LearnerProgressSchema, "The learner's progress after the change."), ...problemResponses(400, 401, 403, 404, 406, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      acceptJson(request);
      const { learnerId, slug, resourceId } = request.params;
      const progress = await completeLearnerResource(learners, viewOf(catalogStore.catalog), { learnerId, slug, resourceId, completedAt: request.body?.completedAt });
      return sendJson(reply, progress);
    },
  );

  app.delete(
    '/learners/:learnerId/paths/:slug/completions/:resourceId',
    {
      onRequest: requireScope('progress:write'),
      schema: {
        operationId: 'uncompleteResource',
        tags: ['learners'],
        summary: 'Mark a resource not done for a learner',
        description: `Removes the learner's completion of the resource (nothing changes when there was none). Answers once committed, with the learner's progress. Needs the scope \`progress:write\`. ${learnerDescription}`,
        security,
        params: LearnerResourceParamsSchema,
        response: { 200: jsonResponse(LearnerProgressSchema, "The learner's progress after the change."), ...learnerProblems },
      },
    },
    async (request, reply) => {
      acceptJson(request);
      const { learnerId, slug, resourceId } = request.params;
      return sendJson(reply, await uncompleteLearnerResource(learners, viewOf(catalogStore.catalog), { learnerId, slug, resourceId }));
    },
  );

  app.get(
    '/learners/:learnerId/paths/:slug/progress',
    {
      onRequest: requireScope('progress:read'),
      schema: {
        operationId: 'getLearnerProgress',
        tags: ['learners'],
        summary: "A learner's stored progress through a path",
        description:
          "The learner's progress evaluated over the current content: completions of resources the content no longer has are kept but not counted, " +
          "and dependencies on other paths hold when the learner has completed those paths. The ETag changes when the learner's progress or the content " +
          `changes; send If-None-Match for a 304. Needs the scope \`progress:read\`. ${learnerDescription}`,
        security,
        params: LearnerPathParamsSchema,
        response: { 200: jsonResponse(LearnerProgressSchema, "The learner's progress."), ...notModifiedResponse, ...learnerProblems },
      },
    },
    async (request, reply) => {
      acceptJson(request);
      const { learnerId, slug } = request.params;
      const view = viewOf(catalogStore.catalog);
      const path = requirePath(view, slug);
      const store = requireStore(app);
      const state = await store.getPathState(learnerId, slug);
      // Progress on a path that depends on other paths changes with them too: its ETag follows
      // the learner's latest change on any path.
      let revision = state.revision ?? '0';
      if (dependsOnOtherPaths(path)) {
        const started = await store.listStartedPaths(learnerId);
        revision = started.reduce((max, p) => (BigInt(p.revision) > BigInt(max) ? p.revision : max), '0');
      }
      const etag = etagOf(view, revision);
      reply.header('etag', etag);
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).header('cache-control', 'private, no-cache').send(undefined);
      const progress = () => learnerProgressOf(store, view, path, learnerId, state);
      if (dependsOnOtherPaths(path)) return sendJson(reply, await progress(), 'private, no-cache');
      const body = await progressBody(store, path, state.revision, progress);
      // A string is written as it is (no serializer runs); the route's typed payload is the object it encodes.
      return reply.header('content-type', JSON_CONTENT_TYPE).header('cache-control', 'private, no-cache').send(body as never);
    },
  );

  app.get(
    '/learners/:learnerId/paths',
    {
      onRequest: requireScope('progress:read'),
      schema: {
        operationId: 'listLearnerPaths',
        tags: ['learners'],
        summary: 'The paths a learner has started',
        description: `The paths of the current content on which the learner has completed something, most recently changed first, with their progress. Needs the scope \`progress:read\`. ${learnerDescription}`,
        security,
        params: LearnerParamsSchema,
        querystring: LearnerPageQuerySchema,
        response: { 200: jsonResponse(LearnerPathListSchema, 'A page of started paths.'), ...learnerProblems },
      },
    },
    async (request, reply) => {
      acceptJson(request);
      const { learnerId } = request.params;
      const { limit, cursor } = request.query;
      const page = await listLearnerPaths(learners, viewOf(catalogStore.catalog), learnerId, { limit, cursor });
      return sendJson(reply, { items: page.items, total: page.total, nextCursor: page.nextCursor });
    },
  );

  app.get(
    '/learners/:learnerId/events',
    {
      onRequest: requireScope('progress:read'),
      schema: {
        operationId: 'listLearnerEvents',
        tags: ['learners'],
        summary: "A learner's event log",
        description: `Every change of the learner's completions (completed, uncompleted), newest first. Needs the scope \`progress:read\`. ${learnerDescription}`,
        security,
        params: LearnerParamsSchema,
        querystring: LearnerPageQuerySchema,
        response: { 200: jsonResponse(LearnerEventListSchema, 'A page of events, newest first.'), ...learnerProblems },
      },
    },
    async (request, reply) => {
      acceptJson(request);
      const store = requireStore(app);
      const page = await store.listEvents(request.params.learnerId, { limit: request.query.limit, cursor: request.query.cursor ?? null });
      return sendJson(reply, page);
    },
  );

  app.delete(
    '/learners/:learnerId',
    {
      onRequest: requireScope('learners:delete'),
      schema: {
        operationId: 'eraseLearner',
        tags: ['learners'],
        summary: 'Erase everything about a learner',
        description:
          "Removes the learner's completions, started paths and events. The erasure itself is logged without the learner id. " +
          'Answers 204 whether or not there was anything. Needs the scope `learners:delete`.',
        security,
        params: LearnerParamsSchema,
        response: { 204: z.undefined().describe('Erased: nothing is left about the learner.'), ...learnerProblems },
      },
    },
    async (request, reply) => {
      const store = requireStore(app);
      await store.eraseLearner(request.params.learnerId);
      return reply.code(204).header('cache-control', 'no-store').send();
    },
  );
};
