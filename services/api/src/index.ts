export { buildApp, DEFAULT_CACHE_CONTROL, DEFAULT_RATE_LIMIT } from './app.js';
export type { App, BuildAppOptions, RateLimitOptions } from './app.js';
export { DEFAULT_TIMEOUTS, timeoutServerOptions, writeClientError } from './server-limits.js';
export type { TimeoutOptions } from './server-limits.js';
export { CatalogStore } from './catalog-store.js';
export type { CatalogState } from './catalog-store.js';
export { ProblemError, createProblem, sendProblem, PROBLEM_CONTENT_TYPE } from './problem.js';
export type { ProblemExtensions } from './problem.js';
export { CachedBody, createJsonBody, sendCached, JSON_CONTENT_TYPE } from './cached-body.js';
export type { SendOptions, CorsOrigins } from './cached-body.js';
export { viewOf } from './catalog-view.js';
export type { CatalogView } from './catalog-view.js';
export {
  PathSummarySchema,
  PathListSchema,
  ResourceEntrySchema,
  ResourceListSchema,
  PathListQuerySchema,
  ResourceListQuerySchema,
  ProgressRequestSchema,
  HealthSchema,
  HealthReasonSchema,
  ProblemSchema,
} from './schemas.js';
export type { PathSummary, PathList, ResourceEntry, ResourceList, PathListQuery, ResourceListQuery, ProgressRequest, Health, HealthReason, Problem } from './schemas.js';
export { renderMermaid } from './mermaid.js';
export { readServerConfig, ServerEnvSchema, ConfigError } from './config.js';
export { runHealthChecks, staleContentCheck } from './health-checks.js';
export type { HealthCheck } from './health-checks.js';
export { LoadReporter } from './reload-report.js';
export type { LoadReport } from './reload-report.js';
export type { ServerConfig, ContentSource } from './config.js';
export { loadContent } from './load-content.js';
export { watchContent } from './watch.js';
export type { WatchOptions, ContentWatcher } from './watch.js';
