import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Catalog } from '@learnpath/content';
import { CatalogStore } from './catalog-store.js';
import { EXPOSED_HEADERS, type CorsOrigins } from './cached-body.js';
import { createLazyChildLogger } from './lazy-logger.js';
import { registerDocs, registerOpenApi } from './openapi.js';
import { ProblemError } from './problem.js';
import { createNotFoundHandler, handleError, handleFrameworkError } from './problem-handlers.js';
import { RouteIndex } from './route-index.js';
import { timeoutServerOptions, writeClientError, type TimeoutOptions } from './server-limits.js';
import { memoizedValidatorCompiler } from './validator.js';
import { graphRoutes } from './routes/graph.js';
import { healthRoutes } from './routes/health.js';
import { pathRoutes } from './routes/paths.js';
import { progressRoutes } from './routes/progress.js';
import { exportRoutes } from './routes/exports.js';
import { resourceRoutes } from './routes/resources.js';
import type { RestRouteOptions } from './routes/shared.js';
import { graphqlPlugin } from './graphql/plugin.js';

/** Rate limiting per client address (@fastify/rate-limit). */
export interface RateLimitOptions {
  /** Requests a client may make per window. */
  max: number;
  /** The window, in milliseconds or as a string such as `"1 minute"`. */
  timeWindow: number | string;
  /** Client addresses never limited (e.g. a trusted LMS, or loopback in tests). */
  allowList?: string[];
}

/** Options of `buildApp`. Everything but the catalog has a default. */
export interface BuildAppOptions {
  /** The store to serve from (watch mode swaps catalogs in it). Give this or `catalog`. */
  store?: CatalogStore;
  /** A fixed catalog to serve, when no store is given. */
  catalog?: Catalog;
  /** Cache-Control of every cacheable response. Default `public, max-age=60`. */
  cacheControl?: string;
  /** Origins allowed by CORS: `"*"` (the default: a public read API) or a list. */
  corsOrigins?: '*' | string[];
  /** Fastify's logger option (false by default; server.ts turns it on). */
  logger?: FastifyServerOptions['logger'];
  /** Whether every request is logged when the logger is on. Default true. */
  logRequests?: boolean;
  /** Rate limiting per client address, or false for none. Default `DEFAULT_RATE_LIMIT`. */
  rateLimit?: RateLimitOptions | false;
  /** Timeouts against slow and idle clients (see `DEFAULT_TIMEOUTS`). */
  timeouts?: TimeoutOptions;
  /**
   * The public base URL of the service (`https://learn.example.org`), written into exports.
   * Default: the scheme and host of each request, which a client can forge; set it in production.
   */
  publicBaseUrl?: string;
  /** Largest accepted request body in bytes. Default 64 KiB. */
  bodyLimit?: number;
  /** Fastify's trustProxy: set it behind a load balancer so rate limits see client addresses. */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Whether `/openapi.json` and `/docs` are served. Default true. */
  docs?: boolean;
  /** Options passed to the GraphQL plugin. */
  graphql?: Record<string, unknown>;
}

/** The default Cache-Control of cacheable responses. */
export const DEFAULT_CACHE_CONTROL = 'public, max-age=60';

/** The default rate limit: 1000 requests per client address and minute. */
export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = { max: 1000, timeWindow: '1 minute' };

/**
 * Builds the service: REST routes under /v1, /healthz, OpenAPI and docs, errors as problem
 * details. It never listens; `server.ts` does, tests use `app.inject`.
 */
export async function buildApp(options: BuildAppOptions) {
  const store = options.store ?? (options.catalog ? new CatalogStore(options.catalog) : undefined);
  if (store === undefined) throw new TypeError('buildApp needs a store or a catalog');

  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: options.logRequests === false }),
    childLoggerFactory: createLazyChildLogger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: options.trustProxy ?? false,
    frameworkErrors: handleFrameworkError,
    routerOptions: { maxParamLength: 200 },
    ...timeoutServerOptions(options.timeouts),
    clientErrorHandler: writeClientError,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(memoizedValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // JSON is the only body the REST API reads; anything else is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');

  const routes = new RouteIndex();
  app.addHook('onRoute', (route) => routes.add(route.method, route.url));
  app.setNotFoundHandler(createNotFoundHandler(routes));

  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (rateLimit) {
    await app.register(fastifyRateLimit, {
      global: true,
      max: rateLimit.max,
      timeWindow: rateLimit.timeWindow,
      allowList: rateLimit.allowList ?? [],
      enableDraftSpec: true,
      errorResponseBuilder: (_request, context) =>
        new ProblemError(429, `Too many requests: at most ${context.max} per ${context.after}. Retry after the time the Retry-After header gives.`),
    });
  }
  if (options.docs !== false) await registerOpenApi(app);

  const corsOrigins = options.corsOrigins ?? '*';
  const rest: RestRouteOptions = {
    store,
    send: { cacheControl: options.cacheControl ?? DEFAULT_CACHE_CONTROL, cors: corsOrigins === '*' ? '*' : new Set(corsOrigins) },
  };
  // The cached GET routes run no per-request hook at all: sendCached writes their CORS headers
  // itself (same policy), and they opt out of the compression hooks (their bodies are
  // precompressed). This is what keeps them within the benchmark floors. @fastify/cors is
  // registered in a scope of its own below, so its hook reaches every other route but not these.
  // Problems and 404s answer with the same CORS policy as the routes (problem-handlers.ts).
  const corsPolicy = rest.send.cors;
  app.decorate('corsPolicy', { getter: () => corsPolicy });
  await app.register(pathRoutes, { ...rest, prefix: '/v1' });
  await app.register(resourceRoutes, { ...rest, prefix: '/v1' });
  await app.register(graphRoutes, { ...rest, prefix: '/v1' });

  await app.register(async (scope) => {
    await scope.register(fastifyCors, {
      origin: corsOrigins,
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ['Content-Type', 'If-None-Match'],
      exposedHeaders: [...EXPOSED_HEADERS],
      maxAge: 600,
      // An OPTIONS request that is not a preflight gets an empty 204, not a text/plain 400.
      strictPreflight: false,
    });
    await scope.register(healthRoutes, { store });
    await scope.register(progressRoutes, { ...rest, prefix: '/v1' });
    await scope.register(graphqlPlugin, { store, ...options.graphql });
    await scope.register(exportRoutes, { ...rest, prefix: '/v1', ...(options.publicBaseUrl ? { baseUrl: options.publicBaseUrl } : {}) });
    if (options.docs !== false) await registerDocs(scope);
  });
  app.decorate('catalogStore', store);
  return app;
}

/** The app `buildApp` returns. */
export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The store the app serves from. */
    catalogStore: CatalogStore;
    /** The CORS policy of every response. */
    corsPolicy: CorsOrigins | undefined;
  }
}
