import type { Catalog } from '@learnpath/content';
import { GraphQLError } from 'graphql';
import { buildPathGraph, evaluateProgress, unknownResourceIds, type LearningPath, type PathGraph } from '@learnpath/schema';
import { badUserInput, pageSizeOf } from './arguments.js';
import type { CatalogStore } from '../catalog/store.js';
import { findPath, indexPath } from '../catalog/path-index.js';
import { DEFAULT_INDEX_WAIT_MS, INDEX_RETRY_AFTER_SECONDS, whenIndexed } from '../catalog/index-wait.js';
import type { SearchedIndex } from '../catalog/text-index.js';
import { viewOf } from '../catalog/view.js';
import { createLearnerResolvers, type LearnerResolverOptions } from './learner-resolvers.js';
import { InvalidCursorError, listPathConnection, listResourceConnection } from './connections.js';
import { adopt, adoptPath, ownerOf, type Owner } from './owners.js';
import type { Resolvers } from './schema/generated-types.js';
import type { GraphqlContext } from './models.js';

/** What the resolvers need besides the catalog. */
export interface ResolverOptions {
  /** Serves the catalog when a context carries none (e.g. `app.graphql()` called directly). */
  store: CatalogStore;
  /** The largest `first` a connection accepts. */
  maxFirst: number;
  /** The page size when `first` is not given. */
  defaultFirst: number;
  /** The most ids `progress(completed:)` accepts. */
  maxCompleted: number;
  /** The most slugs `progress(completedPaths:)` accepts. */
  maxCompletedPaths: number;
  /** The learner store and API keys behind `learner` and the mutations; without them those fields are refused or unavailable. */
  learners?: LearnerResolverOptions | undefined;
  /** How long a connection waits for the background indexing of a new content version (ms). */
  indexWaitMs?: number | undefined;
}

export { badUserInput } from './arguments.js';

const graphs = new WeakMap<LearningPath, PathGraph>();

// While a content version is indexed in the background, a connection waits for it (as the
// REST listings do), up to `waitMs`; then it is refused with the time to wait.
function whenListable<T>(catalog: Catalog, q: string | null | undefined, index: SearchedIndex, waitMs: number, list: () => T): T | Promise<T> {
  return whenIndexed(viewOf(catalog), q, index, waitMs, list, (error) => new GraphQLError(error.message, { extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: INDEX_RETRY_AFTER_SECONDS } }));
}

/** The resolvers of the schema, typed by the types generated from the SDL. */
export function createResolvers(options: ResolverOptions): Resolvers {
  const { store, maxFirst, defaultFirst, maxCompleted, maxCompletedPaths } = options;
  const indexWaitMs = options.indexWaitMs ?? DEFAULT_INDEX_WAIT_MS;
  const learner = createLearnerResolvers({ learners: options.learners, catalog: () => store.catalog, maxFirst, defaultFirst });
  const catalogOf = (context: GraphqlContext | undefined): Catalog => context?.catalog ?? store.catalog;
  const pathOf = (context: GraphqlContext, slug: string): LearningPath | null => {
    const path = findPath(catalogOf(context), slug);
    return path ? adoptPath(path) : null;
  };
  const ownerOrFail = (value: object, what: string): Owner => {
    const owner = ownerOf(value);
    // Every object reaches a resolver through an indexed path; a miss is a bug, not bad input.
    if (!owner) throw new Error(`no owner recorded for a ${what}`);
    return owner;
  };
  const pageSize = (first: number | null | undefined): number => pageSizeOf(first, defaultFirst, maxFirst);
  const withCursor = <T>(list: () => T): T => {
    try {
      return list();
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badUserInput(error.message, { argument: 'after' });
      throw error;
    }
  };

  return {
    Query: {
      paths: (_root, args, context) => {
        const catalog = catalogOf(context);
        return whenListable(catalog, args.filter?.q, 'paths', indexWaitMs, () => withCursor(() => listPathConnection(catalog, { filter: args.filter ?? {}, sort: args.sort ?? null, first: pageSize(args.first), after: args.after })));
      },
      resources: (_root, args, context) => {
        const catalog = catalogOf(context);
        return whenListable(catalog, args.filter?.q, 'resources', indexWaitMs, () => withCursor(() => listResourceConnection(catalog, { filter: args.filter ?? {}, first: pageSize(args.first), after: args.after })));
      },
      path: (_root, args, context) => pathOf(context, args.slug),
      phase: (_root, args, context) => {
        const path = pathOf(context, args.path);
        return path ? (indexPath(path).phases.get(args.id) ?? null) : null;
      },
      resource: (_root, args, context) => {
        const path = pathOf(context, args.path);
        return path ? (indexPath(path).resources.get(args.id)?.resource ?? null) : null;
      },
      progress: (_root, args, context) => {
        const path = pathOf(context, args.path);
        if (!path) return null;
        if (args.completed.length > maxCompleted) throw badUserInput(`\`completed\` lists at most ${maxCompleted} ids.`, { argument: 'completed', max: maxCompleted });
        if (args.completedPaths && args.completedPaths.length > maxCompletedPaths) {
          throw badUserInput(`\`completedPaths\` lists at most ${maxCompletedPaths} slugs.`, { argument: 'completedPaths', max: maxCompletedPaths });
        }
        const unknown = unknownResourceIds(path, args.completed);
        if (unknown.length > 0) {
          throw badUserInput(`Unknown resource ids for path ${path.slug}: ${unknown.slice(0, 20).join(', ')}`, { argument: 'completed', unknownIds: unknown });
        }
        const report = evaluateProgress(path, args.completed, args.completedPaths ? { completedPaths: args.completedPaths } : {});
        adopt(report, { path });
        return report;
      },
      graph: (_root, args, context) => {
        const path = pathOf(context, args.path);
        if (!path) return null;
        let graph = graphs.get(path);
        if (!graph) {
          graph = buildPathGraph(path);
          adopt(graph, { path });
          graphs.set(path, graph);
        }
        return graph;
      },
      ...learner.Query,
    },
    Learner: learner.Learner,
    LearnerPath: learner.LearnerPath,
    Mutation: learner.Mutation,
    Phase: {
      learningPath: (phase) => ownerOrFail(phase, 'phase').path,
    },
    Resource: {
      phase: (resource) => {
        const phase = ownerOrFail(resource, 'resource').phase;
        if (!phase) throw new Error('no phase recorded for a resource');
        return phase;
      },
      learningPath: (resource) => ownerOrFail(resource, 'resource').path,
    },
    PhaseReference: {
      target: (ref) => indexPath(ownerOrFail(ref, 'reference').path).phases.get(ref.phase) ?? null,
    },
    ResourceReference: {
      target: (ref) => indexPath(ownerOrFail(ref, 'reference').path).resources.get(ref.resource)?.resource ?? null,
    },
    PathReference: {
      target: (ref, _args, context) => pathOf(context, ref.path),
    },
    Prerequisite: {
      learningPath: (prerequisite, _args, context) => (prerequisite.path === null ? null : pathOf(context, prerequisite.path)),
    },
    ChecklistItem: {
      target: (item) => (item.target === 'supplementary' ? { supplementary: ownerOrFail(item, 'checklist item').path } : item.target),
    },
    SupplementaryMaterial: {
      additionalResources: (material) => material.supplementary.additionalResources,
      supplementaryVideos: (material) => material.supplementary.supplementaryVideos,
    },
    Reference: {
      __resolveType: (ref) => ('phase' in ref ? 'PhaseReference' : 'resource' in ref ? 'ResourceReference' : 'PathReference'),
    },
    DependentReference: {
      __resolveType: (ref) => ('phase' in ref ? 'PhaseReference' : 'ResourceReference'),
    },
    ChecklistTarget: {
      __resolveType: (target) => ('supplementary' in target ? 'SupplementaryMaterial' : 'PhaseReference'),
    },
  };
}
