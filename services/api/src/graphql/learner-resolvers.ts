import type { Catalog } from '@learnpath/content';
import { CompletionRequestSchema, LearnerIdSchema, type LearnerProgress, type LearningPath } from '@learnpath/schema';
import { createApiKeyring, encodeEventCursor, isUnavailable, StoreClosedError, StoreInputError, StoreUnavailableError, type ApiKeyring, type ApiKeyScope, type Store } from '@learnpath/store';
import { GraphQLError } from 'graphql';
import { viewOf } from '../catalog/view.js';
import { ProblemError } from '../http/problem.js';
import { STORE_RETRY_AFTER_SECONDS } from '../plugins/store.js';
import { completeLearnerResource, encodeLearnerPathCursor, listLearnerPaths, readLearnerProgress, uncompleteLearnerResource } from '../rest/learner-operations.js';
import { badUserInput, pageSizeOf } from './arguments.js';
import { markPrivate, refusalOf } from './learner-access.js';
import type { GraphqlContext, LearnerEventPageModel, LearnerPathPageModel } from './models.js';
import { adopt, adoptPath } from './owners.js';
import type { Resolvers } from './schema/generated-types.js';

/** Where the learner fields find the store and the keys. */
export interface LearnerResolverOptions {
  /** The learner store; throws `StoreUnavailableError` while there is none. */
  store: () => Store;
  /** The configured API keys. */
  keyring: ApiKeyring;
}

/** Options of `createLearnerResolvers`. */
export interface LearnerResolversSettings {
  /** The store and keys; without them every learner field is refused or unavailable. */
  learners?: LearnerResolverOptions | undefined;
  /** Serves the catalog when a context carries none. */
  catalog: () => Catalog;
  maxFirst: number;
  defaultFirst: number;
}

const noStore = (): Store => {
  throw new StoreUnavailableError('no learner database is configured for this service');
};

/** The resolvers of `learner`, its fields, and the mutations, over the operations the REST learner routes use. */
export function createLearnerResolvers(settings: LearnerResolversSettings): Pick<Resolvers, 'Learner' | 'LearnerPath' | 'Mutation'> & { Query: Pick<NonNullable<Resolvers['Query']>, 'learner'> } {
  const learners = settings.learners?.store ?? noStore;
  const keyring = settings.learners?.keyring ?? createApiKeyring([]);
  const catalogOf = (context: GraphqlContext | undefined): Catalog => context?.catalog ?? settings.catalog();
  const pageSize = (first: number | null | undefined): number => pageSizeOf(first, settings.defaultFirst, settings.maxFirst);

  // The operation was checked before it ran (plugin.ts); this holds for a schema run without that check too.
  const authorize = (context: GraphqlContext | undefined, scope: ApiKeyScope, field: string): void => {
    const request = context?.request;
    if (request === undefined) throw new GraphQLError(`The field ${field} needs an API key: send Authorization: Bearer <key>.`, { extensions: { code: 'UNAUTHENTICATED' } });
    markPrivate(request);
    const refusal = refusalOf(request, keyring, [scope], `The field ${field}`);
    if (refusal) throw new GraphQLError(refusal.message, { extensions: { code: refusal.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN' } });
  };

  const checkLearnerId = (id: string, argument: string): string => {
    if (!LearnerIdSchema.safeParse(id).success) {
      throw badUserInput(`\`${argument}\` is not a learner id: expected 1–200 letters, digits and . _ : @ -, not only dots.`, { argument });
    }
    return id;
  };

  // The errors of the shared learner operations, as GraphQL errors. The database being away is a
  // masked SERVICE_UNAVAILABLE with the time to wait: its own message names hosts and ports.
  const translate = (error: unknown, context: GraphqlContext | undefined, argument: { cursor?: string } = {}): unknown => {
    if (error instanceof GraphQLError) return error;
    if (error instanceof ProblemError) {
      if (error.statusCode === 404) return new GraphQLError(error.message, { extensions: { code: 'NOT_FOUND' } });
      if (error.statusCode === 400) return badUserInput(error.message, argument.cursor ? { argument: argument.cursor } : {});
      return error;
    }
    if (error instanceof StoreInputError) return badUserInput(error.message, { argument: error.field === 'cursor' && argument.cursor ? argument.cursor : error.field });
    if (error instanceof StoreUnavailableError || error instanceof StoreClosedError || isUnavailable(error)) {
      const request = context?.request;
      request?.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'learner database unavailable');
      context?.reply?.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
      return new GraphQLError('The learner database is unavailable right now; the catalog still answers. Retry after the time extensions.retryAfter gives (seconds).', {
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: STORE_RETRY_AFTER_SECONDS },
      });
    }
    return error;
  };
  const run = async <T>(context: GraphqlContext | undefined, work: () => Promise<T>, argument: { cursor?: string } = {}): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw translate(error, context, argument);
    }
  };
  // Resolved fields of the checklist (`target`) find their path through the owner map.
  const owned = (progress: LearnerProgress, path: LearningPath | undefined): LearnerProgress => {
    if (path) adopt(progress, { path: adoptPath(path) });
    return progress;
  };

  return {
    Query: {
      learner: (_root, args, context) => {
        authorize(context, 'progress:read', 'learner');
        return { id: checkLearnerId(args.id, 'id') };
      },
    },
    Learner: {
      id: (learner) => learner.id,
      progress: (learner, args, context) =>
        run(context, async () => {
          const view = viewOf(catalogOf(context));
          return owned(await readLearnerProgress(learners, view, learner.id, args.slug), view.catalog.paths.get(args.slug));
        }),
      paths: (learner, args, context) =>
        run(
          context,
          async (): Promise<LearnerPathPageModel> => {
            const page = await listLearnerPaths(learners, viewOf(catalogOf(context)), learner.id, { limit: pageSize(args.first), cursor: args.after });
            const edges = page.items.map((node) => ({ cursor: encodeLearnerPathCursor(node), node }));
            return {
              edges,
              pageInfo: { hasNextPage: page.nextCursor !== null, hasPreviousPage: page.offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
              totalCount: page.total,
            };
          },
          { cursor: 'after' },
        ),
      events: (learner, args, context) =>
        run(
          context,
          async (): Promise<LearnerEventPageModel> => {
            const limit = pageSize(args.first);
            const page = await learners().listEvents(learner.id, { limit, cursor: args.after ?? null });
            const edges = page.items.map((node) => ({ cursor: encodeEventCursor(node.id), node }));
            return {
              edges,
              // A cursor was handed out with an event, so an `after` page always has events before it.
              pageInfo: { hasNextPage: page.nextCursor !== null, hasPreviousPage: args.after != null, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
            };
          },
          { cursor: 'after' },
        ),
    },
    LearnerPath: {
      learningPath: (item, _args, context) => {
        const path = catalogOf(context).paths.get(item.slug);
        return path ? adoptPath(path) : null;
      },
    },
    Mutation: {
      completeResource: (_root, args, context) => {
        authorize(context, 'progress:write', 'completeResource');
        const learnerId = checkLearnerId(args.learnerId, 'learnerId');
        let completedAt: string | undefined;
        if (args.completedAt != null) {
          const parsed = CompletionRequestSchema.shape.completedAt.safeParse(args.completedAt);
          if (!parsed.success) throw badUserInput('`completedAt` must be an ISO 8601 date-time with a time zone, such as 2026-05-01T12:00:00Z.', { argument: 'completedAt' });
          completedAt = parsed.data;
        }
        return run(context, async () => {
          const view = viewOf(catalogOf(context));
          const progress = await completeLearnerResource(learners, view, { learnerId, slug: args.slug, resourceId: args.resourceId, completedAt });
          return owned(progress, view.catalog.paths.get(args.slug));
        });
      },
      uncompleteResource: (_root, args, context) => {
        authorize(context, 'progress:write', 'uncompleteResource');
        const learnerId = checkLearnerId(args.learnerId, 'learnerId');
        return run(context, async () => {
          const view = viewOf(catalogOf(context));
          return owned(await uncompleteLearnerResource(learners, view, { learnerId, slug: args.slug, resourceId: args.resourceId }), view.catalog.paths.get(args.slug));
        });
      },
    },
  };
}
