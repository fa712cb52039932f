export { buildApp, DEFAULT_CACHE_CONTROL, DEFAULT_RATE_LIMIT } from './app.js';
export type { App, BuildAppOptions, RateLimitOptions } from './app.js';
export { DEFAULT_TIMEOUTS, timeoutServerOptions, writeClientError } from './plugins/timeouts.js';
export type { TimeoutOptions } from './plugins/timeouts.js';
export { CatalogStore } from './catalog/store.js';
export { holdExchangeShapes, holdTickShape } from './http/shapes.js';
export type { CatalogState } from './catalog/store.js';
export { ProblemError, createProblem, sendProblem, PROBLEM_CONTENT_TYPE } from './http/problem.js';
export type { ProblemExtensions } from './http/problem.js';
export { CachedBody, createJsonBody, sendCached, JSON_CONTENT_TYPE } from './http/cached-body.js';
export type { SendOptions, CorsOrigins } from './http/cached-body.js';
export { viewOf } from './catalog/view.js';
export type { CatalogView } from './catalog/view.js';
export { searchPaths, searchResources } from './catalog/search.js';
export { textIndexOf } from './catalog/text-index.js';
// The bodies come from @learnpath/schema; the query schemas are the service's own.
export {
  PathSummarySchema,
  PathListSchema,
  ResourceEntrySchema,
  ResourceListSchema,
  ProgressRequestSchema,
  HealthSchema,
  HealthReasonSchema,
  ProblemSchema,
} from '@learnpath/schema';
export type { PathSummary, PathList, ResourceEntry, ResourceList, ProgressRequest, Health, HealthReason, Problem } from '@learnpath/schema';
export { PathListQuerySchema, ResourceListQuerySchema } from './rest/schemas.js';
export type { PathListQuery, ResourceListQuery } from './rest/schemas.js';
export { renderMermaid } from './rest/mermaid.js';
export { readServerConfig, ServerEnvSchema, ConfigError } from './config.js';
export { runHealthChecks, staleContentCheck } from './rest/health-checks.js';
export type { HealthCheck } from './rest/health-checks.js';
export { LoadReporter } from './catalog/reload-report.js';
export type { LoadReport } from './catalog/reload-report.js';
export type { ServerConfig, ContentSource } from './config.js';
export { loadContent } from './catalog/load.js';
export { watchContent } from './catalog/watch.js';
export type { WatchOptions, ContentWatcher } from './catalog/watch.js';
export { attachResolvers, buildGraphqlSchema, createResolvers, GraphqlLimitsSchema, printGraphqlSchema } from './graphql/index.js';
