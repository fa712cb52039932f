import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import * as resolversPlugin from '@graphql-codegen/typescript-resolvers';
import { GraphQLEnumType, parse } from 'graphql';
import { buildGraphqlSchema, printGraphqlSchema } from '@learnpath/api';
import { GENERATED_NOTE, type GeneratedFile } from './types.js';

// Parent values the resolvers receive: the domain objects of @learnpath/schema, not the
// GraphQL shapes, so resolvers are typed against what the catalog really holds.
const MAPPERS: Record<string, string> = {
  LearningPath: '@learnpath/schema#LearningPath as LearningPathModel',
  Phase: '@learnpath/schema#Phase as PhaseModel',
  Resource: '@learnpath/schema#Resource as ResourceModel',
  PhaseReference: '@learnpath/schema#PhaseRef as PhaseRefModel',
  ResourceReference: '@learnpath/schema#ResourceRef as ResourceRefModel',
  PathReference: '@learnpath/schema#PathRef as PathRefModel',
  Prerequisite: '@learnpath/schema#Prerequisite as PrerequisiteModel',
  Link: '@learnpath/schema#Link as LinkModel',
  Video: '@learnpath/schema#Video as VideoModel',
  ChecklistItem: '@learnpath/schema#ChecklistItem as ChecklistItemModel',
  ProgressReport: '@learnpath/schema#ProgressReport as ProgressReportModel',
  PathGraph: '@learnpath/schema#PathGraph as PathGraphModel',
  GraphNode: '@learnpath/schema#GraphNode as GraphNodeModel',
  GraphEdge: '@learnpath/schema#GraphEdge as GraphEdgeModel',
  LearnerProgress: '@learnpath/schema#LearnerProgress as LearnerProgressModel',
  LearnerPath: '@learnpath/schema#LearnerPath as LearnerPathModel',
  LearnerEvent: '@learnpath/schema#LearnerEventEntry as LearnerEventModel',
  Learner: '../models.js#LearnerModel',
  LearnerPathConnection: '../models.js#LearnerPathPageModel',
  LearnerPathEdge: '../models.js#LearnerPathEdgeModel',
  LearnerEventConnection: '../models.js#LearnerEventPageModel',
  LearnerEventEdge: '../models.js#LearnerEventEdgeModel',
  SupplementaryMaterial: '../models.js#SupplementaryModel',
  PathConnection: '../models.js#PathPageModel',
  ResourceConnection: '../models.js#ResourcePageModel',
  PathEdge: '../models.js#PathEdgeModel',
  ResourceEdge: '../models.js#ResourceEdgeModel',
};

/** The GraphQL SDL and the resolver types generated from it. */
export default async function generate(): Promise<GeneratedFile[]> {
  const schema = buildGraphqlSchema();
  const sdl = printGraphqlSchema(schema);
  // Enum values reach resolvers as the zod values (`in-progress`), not the GraphQL names.
  const enumValues: Record<string, Record<string, string>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type instanceof GraphQLEnumType && !type.name.startsWith('__')) {
      enumValues[type.name] = Object.fromEntries(type.getValues().map((v) => [v.name, String(v.value)]));
    }
  }
  const types = await codegen({
    schema: parse(sdl),
    documents: [],
    filename: 'generated-types.ts',
    plugins: [{ typescript: {} }, { typescriptResolvers: {} }],
    pluginMap: { typescript: typescriptPlugin, typescriptResolvers: resolversPlugin },
    config: {
      useTypeImports: true,
      enumsAsTypes: true,
      enumValues,
      mappers: MAPPERS,
      contextType: '../models.js#GraphqlContext',
      useIndexSignature: false,
      avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      resolverTypeWrapperSignature: 'T | Promise<T>',
      scalars: { ID: { input: 'string', output: 'string' } },
    },
  });
  return [
    { path: 'schemas/learnpath.graphql', content: `# ${GENERATED_NOTE} (from the zod model of @learnpath/schema)\n\n${sdl}` },
    {
      path: 'services/api/src/graphql/schema/generated-types.ts',
      content: `// ${GENERATED_NOTE} (GraphQL Code Generator over schemas/learnpath.graphql)\n/* eslint-disable */\n${types}`,
    },
  ];
}
