export { graphqlPlugin, explorerDefaultQuery } from './plugin.js';
export type { GraphqlOptions, GraphqlPluginOptions } from './plugin.js';
export { buildGraphqlSchema, printGraphqlSchema } from './schema/build.js';
export { GraphqlLimitsSchema, LIMIT_CODES, depthLimitRule, aliasLimitRule } from './limits.js';
export type { GraphqlLimits, GraphqlLimitsInput } from './limits.js';
export { EXPLORER_CSP } from './explorer.js';
export { PATH_SORTS, REST_PATH_SORTS } from './connections.js';
export { attachResolvers } from './attach-resolvers.js';
export { createResolvers } from './resolvers.js';
