import { createServer, type ServerOptions } from 'node:http';
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Catalog } from '@learnpath/content';
import type { ApiKey, Store } from '@learnpath/store';
import { CatalogStore } from './catalog/store.js';
import { warmSearchOnListen } from './catalog/warm-search.js';
import type { CorsOrigins } from './http/cached-body.js';
import { DEFAULT_CACHE_CONTROL } from './defaults.js';
import { listeningBaseUrl } from './http/base-url.js';
import { FrontCache } from './http/front-cache.js';
import { DEFAULT_BODY_LIMIT } from './http/request-limits.js';
import { apiKeysPlugin, rateLimitKeyOf, redactSecrets } from './plugins/api-keys.js';
import { requireStore, storeHealthCheck, storePlugin } from './plugins/store.js';
import type { HealthCheck } from './rest/health-checks.js';
import { registerCompress } from './plugins/external/compress.js';
import { registerCors } from './plugins/external/cors.js';
import { DEFAULT_RATE_LIMIT, registerRateLimit, type RateLimitOptions } from './plugins/external/rate-limit.js';
import { registerDocs, registerOpenApi } from './plugins/external/swagger.js';
import { createLazyChildLogger } from './plugins/logger.js';
import { createNotFoundHandler, handleError, handleFrameworkError } from './plugins/problems.js';
import { RouteIndex } from './plugins/route-index.js';
import { timeoutServerOptions, writeClientError, type TimeoutOptions } from './plugins/timeouts.js';
import { memoizedValidatorCompiler } from './plugins/validator.js';
import { registerCachedRoutes, registerScopedRoutes } from './rest/index.js';
import type { RestRouteOptions } from './rest/shared.js';
import { graphqlPlugin } from './graphql/plugin.js';
import { createClassProgress, ltiRoutes, type LtiOptions } from './lti/index.js';
import { learnRoutes, type Cmi5ProgressOptions } from './learn/index.js';
import { holdExchangeShapes, holdTickShape } from './http/shapes.js';

export { DEFAULT_RATE_LIMIT, type RateLimitOptions };

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
  /**
   * Whether repeated GETs of paths, phases, resources and listings are answered from memory
   * before Fastify routes them (http/front-cache.ts), when neither rate limiting nor request
   * logging is on. Default true. Hooks added to the returned app's root scope do not run for
   * those answers: turn it off when you add any.
   */
  frontCache?: boolean;
  /**
   * How long a listing or a search waits for the background indexing of a new content version
   * (after a start or a reload of a large catalog) before it is answered 503 with Retry-After
   * (GraphQL: SERVICE_UNAVAILABLE). Default 15 000 ms.
   */
  indexWaitMs?: number;
  /** Rate limiting per client address, or false for none. Default `DEFAULT_RATE_LIMIT`. */
  rateLimit?: RateLimitOptions | false;
  /** Timeouts against slow and idle clients (see `DEFAULT_TIMEOUTS`). */
  timeouts?: TimeoutOptions;
  /**
   * The public base URL of the service (`https://learn.example.org`), written into exports.
   * Default: the address the server listens at (`http://HOST:PORT`), never a request's Host; set it in production.
   */
  publicBaseUrl?: string;
  /** Largest accepted request body in bytes. Default `DEFAULT_BODY_LIMIT`, derived from the request limits. */
  bodyLimit?: number;
  /** Fastify's trustProxy: set it behind a load balancer so rate limits see client addresses. */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Whether `/openapi.json` and `/docs` are served. Default true. */
  docs?: boolean;
  /** Checks `/healthz` runs beyond stale content (e.g. the learner database); a reason from any makes it `degraded`. */
  healthChecks?: readonly HealthCheck[];
  /** Options passed to the GraphQL plugin. */
  graphql?: Record<string, unknown>;
  /** The LTI 1.3 tool (`/lti`); off when omitted. */
  lti?: LtiOptions;
  /** The learner store (PGlite or PostgreSQL) behind the learner routes, or a promise of it while it opens; without one they answer 503. The caller closes it. */
  learnerStore?: Store | Promise<Store>;
  /** The API keys the learner routes accept (hashes; see `loadApiKeys`). Default none. */
  apiKeys?: readonly ApiKey[];
  /** cmi5 completions saved as learner progress, confirmed with the LRSs of these origins; off when omitted. */
  cmi5?: Cmi5ProgressOptions;
}

export { DEFAULT_CACHE_CONTROL } from './defaults.js';

/**
 * Builds the service: REST routes under /v1, /healthz, OpenAPI and docs, errors as problem
 * details. It never listens; `server.ts` does, tests use `app.inject`.
 */
export async function buildApp(options: BuildAppOptions) {
  // A process that serves requests keeps nextTick fast (server.ts does this first of all; an
  // embedder gets it here, which helps unless its start-up has already spoilt the cache).
  holdTickShape();
  const store = options.store ?? (options.catalog ? new CatalogStore(options.catalog) : undefined);
  if (store === undefined) throw new TypeError('buildApp needs a store or a catalog');
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  // The front cache answers before any per-request work: with rate limiting or request logging
  // on, every request must go through them.
  const logsRequests = Boolean(options.logger) && options.logRequests !== false;
  const front = options.frontCache !== false && rateLimit === false && !logsRequests ? new FrontCache(() => store.catalog) : undefined;
  const timeouts = timeoutServerOptions(options.timeouts);

  const app = Fastify({
    // Authorization headers never reach a log line.
    logger: redactSecrets(options.logger ?? false),
    logController: new LogController({ disableRequestLogging: options.logRequests === false }),
    childLoggerFactory: createLazyChildLogger,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    frameworkErrors: handleFrameworkError,
    routerOptions: { maxParamLength: 200 },
    // The plugins only read local files and build schemas; on a machine busy with other work
    // that can take longer than Fastify's 10 s default, which must not fail a start.
    pluginTimeout: 60_000,
    ...timeouts,
    clientErrorHandler: writeClientError,
    ...(front ? { serverFactory: frontServerFactory(front, timeouts.http) } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  // Every response keeps fast properties, however the process collects before its first request.
  holdExchangeShapes(app.server);
  // While the server closes, Fastify answers new requests with 503.
  if (front) app.addHook('preClose', async () => front.close());
  app.setValidatorCompiler(memoizedValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // JSON is the only body the REST API reads; anything else is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');

  const routes = new RouteIndex();
  app.addHook('onRoute', (route) => routes.add(route.method, route.url));
  app.setNotFoundHandler(createNotFoundHandler(routes));

  await app.register(storePlugin, { store: options.learnerStore ?? null });
  await app.register(apiKeysPlugin, { keys: options.apiKeys ?? [] });

  // External plugins first, so that every route registered after them is covered.
  await registerCompress(app);
  if (rateLimit) await registerRateLimit(app, { keyGenerator: rateLimitKeyOf, ...rateLimit });
  if (options.docs !== false) await registerOpenApi(app);

  const corsOrigins = options.corsOrigins ?? '*';
  const rest: RestRouteOptions = {
    store,
    send: { cacheControl: options.cacheControl ?? DEFAULT_CACHE_CONTROL, cors: corsOrigins === '*' ? '*' : new Set(corsOrigins) },
    front,
    ...(options.indexWaitMs !== undefined ? { indexWaitMs: options.indexWaitMs } : {}),
  };
  // Problems and 404s answer with the same CORS policy as the routes (plugins/problems.ts).
  const corsPolicy = rest.send.cors;
  app.decorate('corsPolicy', { getter: () => corsPolicy });
  // The cached routes stay outside the CORS scope below; rest/index.ts holds the rule.
  await registerCachedRoutes(app, rest);
  warmSearchOnListen(app, store);
  if (options.lti) await app.register(ltiRoutes, { ...(options.publicBaseUrl ? { baseUrl: options.publicBaseUrl } : {}), ...options.lti, store });
  // Learner pages are HTML for people on this origin: no CORS, their own CSP per response.
  const ltiLearners = options.lti?.learners;
  await app.register(learnRoutes, {
    store,
    learners: options.learnerStore ? () => requireStore(app) : () => null,
    ...(ltiLearners
      ? {
          onProgressChange: (learnerId: string, slug: string) => ltiLearners.grades.reportProgress(learnerId, slug),
          classProgress: createClassProgress(ltiLearners.store, () => store.catalog.paths.values()),
        }
      : {}),
    ...(options.cmi5 ? { cmi5: options.cmi5 } : {}),
  });

  await app.register(async (scope) => {
    await registerCors(scope, corsOrigins);
    const healthChecks = [...(options.healthChecks ?? []), ...(options.learnerStore ? [storeHealthCheck(app)] : [])];
    await registerScopedRoutes(scope, { ...rest, baseUrl: () => options.publicBaseUrl ?? listeningBaseUrl(app.server), healthChecks });
    if (options.docs !== false) await registerDocs(scope);
  });
  // Outside the CORS scope: /graphql writes the app's CORS headers itself (and compresses its
  // answers itself), one hook per request instead of four.
  await app.register(graphqlPlugin, {
    store,
    learners: { store: () => requireStore(app), keyring: app.apiKeyring },
    cors: corsPolicy,
    ...(front ? { front } : {}),
    ...(options.indexWaitMs !== undefined ? { indexWaitMs: options.indexWaitMs } : {}),
    ...options.graphql,
  });
  app.decorate('catalogStore', store);
  app.decorate('frontCache', front);
  return app;
}

/**
 * The HTTP server Fastify would create (same options and timeouts), with the front cache asked
 * first for every request.
 */
function frontServerFactory(front: FrontCache, http: ServerOptions): NonNullable<FastifyServerOptions['serverFactory']> {
  return (handler, fastifyOptions) => {
    const server = createServer(http, (req, res) => front.handle(req, res, handler));
    // What Fastify does to the server it creates itself (its options carry their defaults here).
    const { keepAliveTimeout, requestTimeout, connectionTimeout, maxRequestsPerSocket } = fastifyOptions as Record<string, number | undefined>;
    if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
    if (requestTimeout !== undefined) server.requestTimeout = requestTimeout;
    server.setTimeout(connectionTimeout ?? 0);
    if (maxRequestsPerSocket !== undefined && maxRequestsPerSocket > 0) server.maxRequestsPerSocket = maxRequestsPerSocket;
    return server;
  };
}

/** The app `buildApp` returns. */
export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The store the app serves from. */
    catalogStore: CatalogStore;
    /** The CORS policy of every response. */
    corsPolicy: CorsOrigins | undefined;
    /** What answers repeated GETs before routing, when on (see `BuildAppOptions.frontCache`). */
    frontCache: FrontCache | undefined;
  }
}
