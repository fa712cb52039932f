import { z } from 'zod';
import {
  ChecklistItemSchema,
  CompletionRequestSchema,
  CompletionSourceSchema,
  EventTypeSchema,
  LearnerEventSchema,
  LearnerIdSchema,
  LearnerPathSchema,
  LearnerProgressSchema,
  GraphEdgeSchema,
  GraphNodeSchema,
  LearningPathSchema,
  LevelSchema,
  LinkSchema,
  LongestChainSchema,
  PathGraphSchema,
  PathRefSchema,
  PhaseRefSchema,
  PhaseSchema,
  PhaseStateSchema,
  PrerequisiteSchema,
  ProgressReportSchema,
  ReferenceSchema,
  ResourceKindSchema,
  ResourceRefSchema,
  ResourceSchema,
  ResourceStateSchema,
  VideoSchema,
} from '@learnpath/schema';
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  GraphQLUnionType,
  printSchema,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLNullableType,
} from 'graphql';
import { ZodToGraphql } from './zod-to-graphql.js';
import { PATH_SORTS } from '../connections.js';
import { PathListQuerySchema, ResourceListQuerySchema } from '../../rest/schemas.js';
import { GraphqlLimitsSchema, type GraphqlLimits } from '../limits.js';

// What every learner field says about access; the scope is the one the REST routes need.
const LEARNER_NOTE =
  'Needs an API key with the scope progress:read in the Authorization header (Bearer): without one the request is refused with UNAUTHENTICATED (HTTP 401), without the scope with FORBIDDEN (403). A learner the service has never seen has no data, not an error.';

// Query parameters of the REST listings that are not filters: GraphQL pages with `first`/`after` and sorts with `sort`.
const PAGING_PARAMETERS: ReadonlySet<string> = new Set(['sort', 'limit', 'cursor']);

const nonNull = <T extends GraphQLNullableType>(type: T): GraphQLNonNull<T> => new GraphQLNonNull(type);
const listOf = <T extends GraphQLNullableType>(type: T): GraphQLNonNull<GraphQLList<GraphQLNonNull<T>>> => nonNull(new GraphQLList(nonNull(type)));

/**
 * Builds the GraphQL schema of the service (types only; resolvers are attached by
 * `attachResolvers`). Every domain type is generated from the zod model of
 * `@learnpath/schema`, field for field with its description, so the SDL cannot drift from
 * the model; the root fields, connections and filters are declared here.
 */
export function buildGraphqlSchema(limits: Pick<GraphqlLimits, 'maxFirst' | 'defaultFirst'> = GraphqlLimitsSchema.parse({})): GraphQLSchema {
  const converter: ZodToGraphql = new ZodToGraphql({
    // The fields that are identifiers (GraphQL `ID`), by `Type.field`; the rest of the strings are `String`.
    ids: [
      'LearningPath.slug',
      'Phase.id',
      'Resource.id',
      'ProgressReport.slug',
      'ProgressNext.id',
      'ResourceProgress.id',
      'PhaseProgress.id',
      'PathGraph.slug',
      'PathGraph.order',
      'GraphPhase.id',
      'GraphPhase.resourceIds',
      'GraphNode.id',
      'LongestChain.resourceIds',
      'LearnerProgress.slug',
      'LearnerPath.slug',
      'LearnerEvent.id',
      'LearnerEvent.slug',
      'LearnerEvent.resourceId',
    ],
    names: new Map<z.ZodType, string>([
      [LearningPathSchema, 'LearningPath'],
      [PhaseSchema, 'Phase'],
      [ResourceSchema, 'Resource'],
      [PrerequisiteSchema, 'Prerequisite'],
      [LinkSchema, 'Link'],
      [VideoSchema, 'Video'],
      [ChecklistItemSchema, 'ChecklistItem'],
      [ResourceKindSchema, 'ResourceKind'],
      [LevelSchema, 'Level'],
      [ResourceStateSchema, 'ResourceState'],
      [PhaseStateSchema, 'PhaseState'],
      [ProgressReportSchema, 'ProgressReport'],
      [PathGraphSchema, 'PathGraph'],
      [GraphNodeSchema, 'GraphNode'],
      [GraphEdgeSchema, 'GraphEdge'],
      [LongestChainSchema, 'LongestChain'],
      [LearnerProgressSchema, 'LearnerProgress'],
      [LearnerPathSchema, 'LearnerPath'],
      [LearnerEventSchema, 'LearnerEvent'],
      [EventTypeSchema, 'LearnerEventType'],
      [CompletionSourceSchema, 'CompletionSource'],
    ]),
    namesByField: {
      'ProgressReport.next': 'ProgressNext',
      'ProgressReport.resources': 'ResourceProgress',
      'ProgressReport.phases': 'PhaseProgress',
      // A learner's stored progress is the report plus updatedAt: the same nested types.
      'LearnerProgress.next': 'ProgressNext',
      'LearnerProgress.resources': 'ResourceProgress',
      'LearnerProgress.phases': 'PhaseProgress',
      'PathGraph.phases': 'GraphPhase',
      'GraphEdge.type': 'GraphEdgeType',
    },
    referenceMembers: { phase: 'PhaseReference', resource: 'ResourceReference', path: 'PathReference' },
    referenceUnions: {
      'PathReference|PhaseReference|ResourceReference': {
        name: 'Reference',
        description: `${ReferenceSchema.description ?? ''} Select the member's \`target\` to follow it.`,
      },
      'PhaseReference|ResourceReference': {
        name: 'DependentReference',
        description: 'A reference to a phase or a resource of the same path. Select `target` to follow it.',
      },
    },
    fieldTypes: {
      // A checklist target is a phase, the literal "supplementary" or null: GraphQL unions
      // hold object types only, so "supplementary" becomes a SupplementaryMaterial object.
      'ChecklistItem.target': () => checklistTarget,
    },
    extraFields: {
      PhaseReference: () => ({ target: { type: phase, description: 'The phase this reference names, or null when it names none.' } }),
      ResourceReference: () => ({ target: { type: resource, description: 'The resource this reference names, or null when it names none.' } }),
      PathReference: () => ({ target: { type: learningPath, description: 'The learning path this reference names, or null when the catalog has none by that slug.' } }),
      Prerequisite: () => ({ learningPath: { type: learningPath, description: 'The learning path named by `path`, or null.' } }),
      Resource: () => ({
        phase: { type: nonNull(phase), description: 'Resolved: the phase the resource belongs to.' },
        learningPath: { type: nonNull(learningPath), description: 'Resolved: the learning path the resource belongs to.' },
      }),
      Phase: () => ({ learningPath: { type: nonNull(learningPath), description: 'Resolved: the learning path the phase belongs to.' } }),
      LearnerPath: () => ({ learningPath: { type: learningPath, description: 'Resolved: the learning path, or null when the catalog no longer has it.' } }),
    },
  });
  // Built first so that the shared reference types take their descriptions from the model.
  converter.objectType(PhaseRefSchema, 'PhaseReference');
  converter.objectType(ResourceRefSchema, 'ResourceReference');
  converter.objectType(PathRefSchema, 'PathReference');
  const learningPath: GraphQLObjectType = converter.objectType(LearningPathSchema);
  const phase: GraphQLObjectType = converter.objectType(PhaseSchema);
  const resource: GraphQLObjectType = converter.objectType(ResourceSchema);
  const progressReport: GraphQLObjectType = converter.objectType(ProgressReportSchema);
  const pathGraph: GraphQLObjectType = converter.objectType(PathGraphSchema);
  const learnerProgress: GraphQLObjectType = converter.objectType(LearnerProgressSchema);
  const learnerPath: GraphQLObjectType = converter.objectType(LearnerPathSchema);
  const learnerEvent: GraphQLObjectType = converter.objectType(LearnerEventSchema);
  const level = converter.enumType(LevelSchema, 'Level');
  const resourceKind = converter.enumType(ResourceKindSchema, 'ResourceKind');

  const supplementary = new GraphQLObjectType({
    name: 'SupplementaryMaterial',
    description: 'The supplementary material of a path: its additional resources and videos.',
    fields: () => ({
      additionalResources: { type: listOf(converter.objectType(LinkSchema)), description: LearningPathSchema.shape.additionalResources.description },
      supplementaryVideos: { type: listOf(converter.objectType(VideoSchema)), description: LearningPathSchema.shape.supplementaryVideos.description },
    }),
  });
  const phaseReference = converter.types.get('PhaseReference') as GraphQLObjectType;
  const checklistTarget = new GraphQLUnionType({
    name: 'ChecklistTarget',
    description: ChecklistItemSchema.shape.target.description,
    types: [phaseReference, supplementary],
  });

  const pageInfo = new GraphQLObjectType({
    name: 'PageInfo',
    description: 'Where a page of a connection sits in the whole list.',
    fields: {
      hasNextPage: { type: nonNull(GraphQLBoolean), description: 'Whether more items follow this page.' },
      hasPreviousPage: { type: nonNull(GraphQLBoolean), description: 'Whether items precede this page.' },
      startCursor: { type: GraphQLString, description: 'Cursor of the first item of the page, or null when the page is empty.' },
      endCursor: { type: GraphQLString, description: 'Cursor of the last item of the page; pass it as `after` for the next page.' },
    },
  });
  // `total` describes totalCount; null leaves it out (a list the service does not count, like an event log).
  const connection = (name: string, node: GraphQLObjectType, what: string, total: string | null = `How many ${what}s match the filter, across all pages.`) => {
    const edge = new GraphQLObjectType({
      name: `${name}Edge`,
      description: `One ${what} of a page, with its cursor.`,
      fields: {
        cursor: { type: nonNull(GraphQLString), description: 'Opaque cursor of this item; pass it as `after` to continue after it.' },
        node: { type: nonNull(node), description: `The ${what}.` },
      },
    });
    return new GraphQLObjectType({
      name: `${name}Connection`,
      description: `A page of ${what}s (Relay cursor connection).`,
      fields: {
        edges: { type: listOf(edge), description: `The ${what}s of this page, in order.` },
        pageInfo: { type: nonNull(pageInfo), description: 'Where this page sits.' },
        ...(total === null ? {} : { totalCount: { type: nonNull(GraphQLInt), description: total } }),
      },
    });
  };

  // The filters are the REST query parameters but for paging and sorting: same names, same
  // meaning, descriptions from there. A new REST filter needs its GraphQL type here, or the
  // schema fails to build.
  const filterTypes: Readonly<Record<string, GraphQLInputType>> = { q: GraphQLString, tag: GraphQLString, path: GraphQLID, level, kind: resourceKind, maxMinutes: GraphQLFloat };
  const filterFields = (query: z.ZodObject, what: string): GraphQLInputFieldConfigMap =>
    Object.fromEntries(
      Object.entries(query.shape)
        .filter(([key]) => !PAGING_PARAMETERS.has(key))
        .map(([key, schema]) => {
          const type = filterTypes[key];
          if (type === undefined) throw new Error(`${what}.${key}: give the REST filter a GraphQL type in filterTypes`);
          return [key, { type, description: (schema as z.ZodType).description ?? '' }];
        }),
    );
  const pathFilter = new GraphQLInputObjectType({
    name: 'PathFilter',
    description: 'Narrows the list of paths; every given condition must hold.',
    fields: filterFields(PathListQuerySchema, 'PathFilter'),
  });
  const resourceFilter = new GraphQLInputObjectType({
    name: 'ResourceFilter',
    description: 'Narrows the list of resources; every given condition must hold.',
    fields: filterFields(ResourceListQuerySchema, 'ResourceFilter'),
  });
  const sortEnum = (name: string, description: string, sorts: Readonly<Record<string, string>>) =>
    new GraphQLEnumType({
      name,
      description,
      values: Object.fromEntries(Object.entries(sorts).map(([key, text]) => [key, { value: key, description: text }])),
    });
  const pathSort = sortEnum('PathSort', 'The order of a list of paths (ties broken by slug).', PATH_SORTS);

  const page = {
    first: { type: GraphQLInt, description: `How many items to return (1–${limits.maxFirst}, default ${Math.min(limits.defaultFirst, limits.maxFirst)}).` },
    after: { type: GraphQLString, description: 'Return the items after this cursor (`pageInfo.endCursor` of the previous page).' },
  };
  const slugArg = (text: string) => ({ type: nonNull(GraphQLID), description: text });

  const learnerIdArg = { type: nonNull(GraphQLID), description: LearnerIdSchema.description };
  const learner = new GraphQLObjectType({
    name: 'Learner',
    description: `A learner's stored state. ${LEARNER_NOTE}`,
    fields: {
      id: { type: nonNull(GraphQLID), description: LearnerIdSchema.description },
      paths: {
        type: nonNull(connection('LearnerPath', learnerPath, 'started path', 'How many paths of the current content the learner has started.')),
        description: 'The paths of the current content the learner has started, most recently changed first, with their progress (GET /v1/learners/{learnerId}/paths).',
        args: page,
      },
      progress: {
        type: learnerProgress,
        description:
          "The learner's progress through a path, evaluated over the current content (GET /v1/learners/{learnerId}/paths/{slug}/progress). An unknown path is an error (NOT_FOUND) and null.",
        args: { slug: slugArg('Slug of the path.') },
      },
      events: {
        type: nonNull(connection('LearnerEvent', learnerEvent, 'event', null)),
        description: "The learner's event log, newest first (GET /v1/learners/{learnerId}/events).",
        args: page,
      },
    },
  });
  const resourceArgs = {
    learnerId: learnerIdArg,
    slug: slugArg('Slug of the path.'),
    resourceId: slugArg('Id of the resource.'),
  };
  const mutation = new GraphQLObjectType({
    name: 'Mutation',
    description: `Change a learner's stored state. Each field answers once the change is committed. ${LEARNER_NOTE.replace('progress:read', 'progress:write')}`,
    fields: {
      completeResource: {
        type: learnerProgress,
        description:
          "Marks a resource done for a learner (idempotent: a second call keeps the first time), as PUT /v1/learners/{learnerId}/paths/{slug}/completions/{resourceId} does; the learner's progress after it. An unknown path or resource is an error (NOT_FOUND) and null.",
        args: {
          ...resourceArgs,
          completedAt: { type: GraphQLString, description: CompletionRequestSchema.shape.completedAt.description },
        },
      },
      uncompleteResource: {
        type: learnerProgress,
        description:
          "Marks a resource not done for a learner (nothing changes when it was not done), as DELETE /v1/learners/{learnerId}/paths/{slug}/completions/{resourceId} does; the learner's progress after it. An unknown path or resource is an error (NOT_FOUND) and null.",
        args: resourceArgs,
      },
    },
  });

  const query = new GraphQLObjectType({
    name: 'Query',
    description: 'Read the learning path catalog, and (with an API key) learners\' stored progress.',
    fields: {
      paths: {
        type: nonNull(connection('Path', learningPath, 'learning path')),
        description: 'The learning paths of the catalog, filtered, sorted and paginated.',
        args: { filter: { type: pathFilter, description: 'Conditions the paths must meet.' }, sort: { type: pathSort, description: 'The order. Without it, a search (`filter.q`) is ranked by relevance and anything else is sorted by TITLE.' }, ...page },
      },
      resources: {
        type: nonNull(connection('Resource', resource, 'resource')),
        description: 'Resources across every path of the catalog, by path slug then document order, filtered and paginated.',
        args: { filter: { type: resourceFilter, description: 'Conditions the resources must meet.' }, ...page },
      },
      path: {
        type: learningPath,
        description: 'One learning path by slug, or null when the catalog has none.',
        args: { slug: slugArg('Slug of the path.') },
      },
      phase: {
        type: phase,
        description: 'One phase of a path, or null when there is no such path or phase.',
        args: { path: slugArg('Slug of the path.'), id: slugArg('Id of the phase.') },
      },
      resource: {
        type: resource,
        description: 'One resource of a path, or null when there is no such path or resource.',
        args: { path: slugArg('Slug of the path.'), id: slugArg('Id of the resource.') },
      },
      progress: {
        type: progressReport,
        description:
          'A learner\'s progress through a path given the resources completed (the report of POST /v1/paths/{slug}/progress), or null when there is no such path. Unknown resource ids are an error (BAD_USER_INPUT).',
        args: {
          path: slugArg('Slug of the path.'),
          completed: { type: listOf(GraphQLID), description: 'Ids of the resources the learner has completed.' },
          completedPaths: {
            type: new GraphQLList(nonNull(GraphQLID)),
            description: 'Slugs of other paths the learner has completed; when given, dependencies on other paths are enforced.',
          },
        },
      },
      graph: {
        type: pathGraph,
        description: 'The dependency graph of a path (the JSON of GET /v1/paths/{slug}/graph), or null when there is no such path.',
        args: { path: slugArg('Slug of the path.') },
      },
      learner: {
        type: learner,
        description: `A learner by id: their started paths, progress and event log. ${LEARNER_NOTE} An id that is not a valid learner id is an error (BAD_USER_INPUT) and null.`,
        args: { id: learnerIdArg },
      },
    },
  });

  const schema = new GraphQLSchema({ query, mutation, types: [...converter.types.values()] });
  const unused = converter.unusedIds();
  if (unused.length > 0) throw new Error(`ids names fields the model does not have: ${unused.join(', ')}`);
  return schema;
}

/** The SDL of the schema, as served and as committed in `schemas/learnpath.graphql`. */
export function printGraphqlSchema(schema: GraphQLSchema = buildGraphqlSchema()): string {
  return `${printSchema(schema)}\n`;
}
