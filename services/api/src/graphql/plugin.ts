import type { Catalog } from '@learnpath/content';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import mercurius from 'mercurius';
import secureJson from 'secure-json-parse';
import { z } from 'zod';
import type { CatalogStore } from '../catalog/store.js';
import { attachResolvers } from './attach-resolvers.js';
import { CompiledQueries } from './compiled-queries.js';
import { createErrorFormatter, operationResolutionError } from './errors.js';
import { explorerRoutes } from './explorer.js';
import { knownOperationTypesRule } from './known-operation-types.js';
import { aliasLimitRule, checkDocumentLimits, depthLimitRule, GraphqlLimitsSchema, GraphqlRequestError, LIMIT_CODES, type GraphqlLimitsInput } from './limits.js';
import type { GraphqlContext } from './models.js';
import { checkCsrf, DEFAULT_CSRF, JSON_RESPONSE, responseMediaType, type CsrfSettings } from './over-http.js';
import { createResolvers } from './resolvers.js';
import { isPrivate, markPrivate, refusalError, refusalOf, requiredScopesOfText } from './learner-access.js';
import type { LearnerResolverOptions } from './learner-resolvers.js';
import { createApiKeyring, type ApiKeyScope } from '@learnpath/store';
import { ResultCache, type ResultCacheOptions } from './result-cache.js';
import type { FrontCache } from '../http/front-cache.js';
import { addCorsHeaders, JSON_CONTENT_TYPE, type CorsOrigins } from '../http/cached-body.js';
import { compressPayload } from '../http/compress.js';
import { buildGraphqlSchema } from './schema/build.js';

/** Options of the GraphQL plugin, every one with a default. */
export interface GraphqlOptions {
  /** Limits of depth, aliases, tokens, page size, batch size and body size (see `GraphqlLimitsSchema`). */
  limits?: GraphqlLimitsInput;
  /** Compile repeated queries with graphql-jit. Default true. */
  jit?: boolean;
  /** CSRF prevention of POST requests: true (the default), false, or its header/content-type lists. */
  csrfPrevention?: boolean | { requiredHeaders?: string[]; allowedContentTypes?: string[] };
  /** Serve the explorer at /graphiql. Default true. */
  graphiql?: boolean;
  /** Hide "Did you mean …?" suggestions. Default: when NODE_ENV is production. */
  production?: boolean;
  /** Cache serialised results by (query, variables, operation, catalog version): true (default), false, or sizes. */
  resultCache?: boolean | Partial<ResultCacheOptions>;
  /** Parsed and validated queries kept (mercurius LRU). Default 1024. */
  queryCache?: number;
  /** Slug of the path the explorer's default query shows. Default: the seed path when served, else the first path. */
  showcaseSlug?: string;
}

/** Options of `graphqlPlugin`. */
export interface GraphqlPluginOptions extends GraphqlOptions {
  /** The store every request reads its catalog from (watch mode swaps catalogs in it). */
  store: CatalogStore;
  /** The learner store and API keys behind `learner` and the mutations (the REST learner routes' own). */
  learners?: LearnerResolverOptions;
  /** How long a listing waits for the background indexing of a new content version before it is refused (ms). */
  indexWaitMs?: number;
  /** Answers repeated queries before routing (http/front-cache.ts): told which answers are the same for every such request. */
  front?: FrontCache;
  /**
   * The CORS policy /graphql writes itself, with its own compression instead of
   * @fastify/compress's hooks (one hook of its own instead of four): register the plugin outside
   * @fastify/cors's scope when given. Without it, /graphql leaves both to the app's plugins.
   */
  cors?: CorsOrigins;
}

const SEED_SLUG = 'batch-vs-stream-processing';

/** The query the explorer opens with. */
export function explorerDefaultQuery(slug: string): string {
  return `# Learnpath GraphQL explorer: press the run button (or Ctrl-Enter) to run this query.
# The Docs button lists every type and field; ?query=… in the URL pre-fills this editor.
{
  path(slug: "${slug}") {
    title
    totalMinutes
    phases {
      number
      title
      resources {
        title
        kind
        durationMinutes
        dependsOn {
          ... on PhaseReference { target { title } }
          ... on ResourceReference { target { title } }
        }
      }
    }
  }
}
`;
}

// The GraphQL-over-HTTP request shapes; unknown members are ignored as that spec asks.
const EMPTY_QUERY = 'the query is empty';
const PostOperationSchema = z.looseObject({
  query: z.string().min(1, EMPTY_QUERY).describe('The GraphQL document.'),
  operationName: z.string().max(200).nullish(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
});
const GetOperationSchema = z.looseObject({
  query: z.string().min(1, EMPTY_QUERY),
  operationName: z.string().max(200).optional(),
  variables: z.string().optional(),
  extensions: z.string().optional(),
});

interface Operation {
  query: string;
  /** The variables' JSON text ('' for none): part of the result cache's key. */
  variables: string;
  /** The variables as sent (a GET's already parsed). */
  values: Record<string, unknown> | null;
  operationName: string;
}

/**
 * Parses a GET parameter that must be a JSON object (`variables`, `extensions`), as a POST
 * body is parsed: `__proto__` and `constructor.prototype` keys are refused.
 */
function jsonObjectOf(text: string, name: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GraphqlRequestError(`Invalid GraphQL request: ${name} is not JSON. Send it as a URL-encoded JSON object.`, 'BAD_REQUEST');
  }
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new GraphqlRequestError(`Invalid GraphQL request: ${name} must be a JSON object.`, 'BAD_REQUEST');
  try {
    secureJson.scan(value);
  } catch {
    throw new GraphqlRequestError(`Invalid GraphQL request: ${name} holds a forbidden key (__proto__ or constructor.prototype).`, 'BAD_REQUEST');
  }
  return value as Record<string, unknown>;
}

function invalidRequest(issues: z.core.$ZodIssue[], at: readonly PropertyKey[] = []): GraphqlRequestError {
  const first = issues[0];
  const path = [...at, ...(first?.path ?? [])];
  const where = path.length > 0 ? ` at ${path.map(String).join('.')}` : '';
  return new GraphqlRequestError(`Invalid GraphQL request${where}: ${first?.message ?? 'malformed'}. Send { "query": "…", "variables": {…} }.`, 'BAD_REQUEST');
}

const registerGraphql: FastifyPluginAsync<GraphqlPluginOptions> = async (app, options) => {
  const { store, cors } = options;
  const limits = GraphqlLimitsSchema.parse(options.limits ?? {});
  const csrf: CsrfSettings | null =
    options.csrfPrevention === false ? null : options.csrfPrevention === true || options.csrfPrevention === undefined ? DEFAULT_CSRF : { ...DEFAULT_CSRF, ...options.csrfPrevention };
  const production = options.production ?? process.env['NODE_ENV'] === 'production';
  const schema = attachResolvers(
    buildGraphqlSchema(limits),
    createResolvers({
      store,
      maxFirst: limits.maxFirst,
      defaultFirst: limits.defaultFirst,
      maxCompleted: limits.maxCompleted,
      maxCompletedPaths: limits.maxCompletedPaths,
      learners: options.learners,
      indexWaitMs: options.indexWaitMs,
    }),
  );
  const formatErrors = createErrorFormatter({ hideSuggestions: production });
  const validationRules = [knownOperationTypesRule, depthLimitRule(limits.depth), aliasLimitRule(limits.aliases)];
  const keyring = options.learners?.keyring ?? createApiKeyring([]);
  const cacheOptions = options.resultCache === false ? null : { maxEntries: 4096, maxBytes: 32 * 1024 * 1024, maxEntryBytes: 1024 * 1024, ...(options.resultCache === true ? {} : (options.resultCache ?? {})) };
  const cache = cacheOptions ? new ResultCache(cacheOptions) : null;
  // Each request reads the store once; resolvers and the cache key use that one snapshot, kept
  // on the request (a WeakMap entry per request would cost the garbage collector more).
  app.decorateRequest('graphqlCatalog', null);

  const operationOf = (request: FastifyRequest): Operation | null => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      const parsed = GetOperationSchema.safeParse(request.query);
      if (!parsed.success) throw invalidRequest(parsed.error.issues);
      const values = parsed.data.variables === undefined ? null : jsonObjectOf(parsed.data.variables, 'variables');
      if (parsed.data.extensions !== undefined) jsonObjectOf(parsed.data.extensions, 'extensions');
      return { query: parsed.data.query, variables: parsed.data.variables ?? '', values, operationName: parsed.data.operationName ?? '' };
    }
    const body = request.body;
    if (Array.isArray(body)) {
      if (limits.batch === 0) throw new GraphqlRequestError('Batched queries are not enabled on this server; send one operation per request.', LIMIT_CODES.batch, 400, { limit: 0 });
      if (body.length === 0 || body.length > limits.batch) {
        throw new GraphqlRequestError(`A batch holds 1 to ${limits.batch} operations; this one holds ${body.length}.`, LIMIT_CODES.batch, 400, { limit: limits.batch, operations: body.length });
      }
      for (const [index, item] of body.entries()) {
        const parsed = PostOperationSchema.safeParse(item);
        if (!parsed.success) throw invalidRequest(parsed.error.issues, [index]);
      }
      return null;
    }
    // The common shape is checked by hand (this runs on every request); zod explains the rest.
    if (body !== null && typeof body === 'object') {
      const { query, variables, operationName, extensions } = body as { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown };
      if (
        typeof query === 'string' &&
        query !== '' &&
        (variables == null || (typeof variables === 'object' && !Array.isArray(variables))) &&
        (extensions == null || (typeof extensions === 'object' && !Array.isArray(extensions))) &&
        (operationName == null || (typeof operationName === 'string' && operationName.length <= 200))
      ) {
        return { query, variables: variables == null ? '' : JSON.stringify(variables), values: (variables as Record<string, unknown> | null | undefined) ?? null, operationName: operationName ?? '' };
      }
    }
    const parsed = PostOperationSchema.safeParse(body);
    throw invalidRequest(parsed.success ? [] : parsed.error.issues);
  };

  // mercurius keys its parsed-query cache by the query text alone, and checks which operation a
  // document runs only when it parses it (the preValidation hook below). A comment naming the
  // operation gives each operation of a document its own text, so its own cache entry and check.
  // An empty operationName names no operation, as an absent one.
  const pinnedText = (query: string, operationName: string): string =>
    operationName === '' ? query : `${query}\n# operation: ${operationName.replace(/[\r\n]/g, ' ')}`;
  /** Sends mercurius the operation's pinned text (`pinnedText`). */
  const pinOperation = (request: FastifyRequest, operation: Operation, pinned: string): void => {
    const sent = (request.method === 'POST' ? request.body : request.query) as { query: string; operationName?: string | null };
    sent.query = pinned;
    if (operation.operationName === '') sent.operationName = undefined;
  };
  const pinBatch = (request: FastifyRequest): void => {
    for (const item of request.body as { query: string; operationName?: string | null }[]) {
      item.query = pinnedText(item.query, item.operationName ?? '');
      if (!item.operationName) item.operationName = undefined;
    }
  };
  /** The operation a request names for this (pinned) text: undefined for none, false when unknown. */
  const operationNameFor = (request: FastifyRequest | undefined, text: string): string | undefined | false => {
    if (request === undefined) return false;
    const sent = request.method === 'POST' ? request.body : request.query;
    const item = Array.isArray(sent) ? (sent as { query?: unknown }[]).find((one) => one.query === text) : sent;
    if (item === null || typeof item !== 'object') return false;
    const name = (item as { operationName?: unknown }).operationName;
    return typeof name === 'string' && name !== '' ? name : undefined;
  };

  // An operation that reads or changes learner data is refused as a whole without a key holding
  // the scopes of its learner fields, before anything runs: UNAUTHENTICATED (401) or FORBIDDEN
  // (403) with WWW-Authenticate, as the REST learner routes answer; a batch, when any of its
  // operations is. Its answer is private (never in the result cache). The resolvers check again.
  // Checked here from the query text, which is parsed only when it names a learner field.
  const checkLearnerAccess = (request: FastifyRequest, reply: FastifyReply, operation: Operation | null): void => {
    let scopes: readonly ApiKeyScope[];
    if (operation) scopes = requiredScopesOfText(operation.query, operation.operationName === '' ? null : operation.operationName, limits.tokens);
    else {
      const all = new Set<ApiKeyScope>();
      for (const item of request.body as { query: string; operationName?: string | null }[]) {
        for (const scope of requiredScopesOfText(item.query, item.operationName || null, limits.tokens)) all.add(scope);
      }
      scopes = [...all];
    }
    if (scopes.length === 0) return;
    markPrivate(request);
    reply.header('cache-control', 'private, no-store');
    const refusal = refusalOf(request, keyring, scopes, 'This operation');
    if (refusal) {
      reply.header('www-authenticate', refusal.wwwAuthenticate);
      throw refusalError(refusal);
    }
  };

  // Queries asked for before run here, compiled once with graphql-jit, without mercurius's
  // request pipeline; anything else (a new text, variables that do not fit, a mutation, a batch)
  // is mercurius's, which executes without compiling: one compiled copy of each query, and one
  // wording of each error whichever request meets it. mercurius's execution hooks (preExecution,
  // onResolution) do not run for compiled queries: this plugin adds none, and one added later
  // must be run here too. Its preValidation hook's checks are CompiledQueries' own.
  const compiled =
    options.jit === false
      ? null
      : new CompiledQueries({ schema, rules: validationRules, limits, maxEntries: options.queryCache ?? 1024 });

  /** Answers from a compiled query; false when mercurius must answer instead. */
  const runCompiled = (request: FastifyRequest, reply: FastifyReply, operation: Operation, text: string, key: string | null, done: (error?: Error) => void): boolean => {
    const ready = compiled?.get(text, operation.operationName);
    if (!ready) return false;
    const variables = operation.values ?? {};
    const context: GraphqlContext = { catalog: request.graphqlCatalog ?? store.catalog, request, reply };
    const toMercurius = (): void => {
      pinOperation(request, operation, text);
      done();
    };
    const answer = (result: ExecutionResult): void => {
      if (result.errors === undefined) {
        const json = JSON.stringify(result);
        if (key !== null) cache?.set(key, json);
        reply.header('content-type', JSON_CONTENT_TYPE).send(json);
        return;
      }
      // Variables that do not fit their types stop an operation before it runs: mercurius words
      // that refusal (in graphql-js's words, as for a first request), without running anything.
      if (!('data' in result)) return toMercurius();
      // Errors of an operation that ran are formatted (and given their status) as mercurius does.
      const { statusCode, response } = formatErrors(result, { reply });
      // In graphql-js's order, as mercurius writes it.
      const body = 'data' in response ? { errors: response.errors, data: response.data } : response;
      reply.code(statusCode).header('content-type', JSON_CONTENT_TYPE).send(JSON.stringify(body));
    };
    let result: ExecutionResult | Promise<ExecutionResult>;
    try {
      result = ready.run(context, variables);
    } catch {
      toMercurius();
      return true;
    }
    if (result instanceof Promise) result.then(answer, toMercurius).catch(done);
    else answer(result);
    return true;
  };

  // Callback style on purpose: this runs on every request, and a hit answers from here.
  const preHandler = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    let operation: Operation | null;
    try {
      operation = operationOf(request);
      checkLearnerAccess(request, reply, operation);
    } catch (error) {
      done(error as Error);
      return;
    }
    const catalog = store.catalog;
    request.graphqlCatalog = catalog;
    if (!operation) {
      pinBatch(request);
      done();
      return;
    }
    let key: string | null = null;
    // Learner data is never kept: it belongs to one key, and changes without a new catalog.
    if (cache && !isPrivate(request)) {
      key = cache.keyOf(catalog.version, operation.query, operation.variables, operation.operationName);
      const hit = cache.get(key);
      if (hit !== undefined) {
        // A public result of this catalog version, asked for again: the same answer for the same
        // body and headers, which the front cache may give from now on.
        options.front?.markReusable(request.raw);
        reply.header('content-type', JSON_CONTENT_TYPE).send(hit);
        return;
      }
      if (!cache.admits(key)) key = null;
    }
    const text = pinnedText(operation.query, operation.operationName);
    if (runCompiled(request, reply, operation, text, key, done)) return;
    pinOperation(request, operation, text);
    if (!cache || key === null) {
      done();
      return;
    }
    const kept = key;
    // Serialise once and keep the text when the result is a clean 200: the next identical
    // request against this catalog version is answered without parsing or executing.
    // A custom serializer bypasses Fastify's JSON default, content type included.
    reply.header('content-type', JSON_CONTENT_TYPE).serializer((payload: unknown) => {
      const json = JSON.stringify(payload);
      const errors = payload !== null && typeof payload === 'object' ? (payload as { errors?: unknown }).errors : undefined;
      if (reply.statusCode === 200 && errors === undefined) cache.set(kept, json);
      return json;
    });
    done();
  };

  // mercurius gives its GraphQL routes an async onRequest hook that only runs its own CSRF check,
  // which is off here (preParsing below checks instead): without it a request awaits no promise
  // before its body is read.
  const graphqlUrl = `${app.prefix}/graphql`;
  app.addHook('onRoute', (route) => {
    if (route.url === graphqlUrl && typeof route.onRequest === 'function' && route.onRequest.name === 'onRequest') route.onRequest = undefined;
  });

  await app.register(mercurius, {
    schema,
    graphiql: false,
    jit: 0,
    cache: options.queryCache ?? 1024,
    // Checked in preHandler instead: mercurius would also refuse a plain GET, which only reads.
    csrfPrevention: false,
    allowBatchedQueries: limits.batch > 0,
    validationRules,
    graphql: { parseOptions: { maxTokens: limits.tokens } },
    errorFormatter: formatErrors as never,
    context: (request: FastifyRequest): GraphqlContext => ({ catalog: request.graphqlCatalog ?? store.catalog, request }),
    additionalRouteOptions: {
      // Compressed in onSend below when the plugin writes its own CORS headers (request bodies
      // are still decompressed by @fastify/compress).
      ...(cors ? { compress: false } : {}),
      bodyLimit: limits.bodyBytes,
      // The request shapes are checked by zod in preHandler (the app's validator compiler is zod's).
      schema: undefined,
      preHandler,
      // Before the body is parsed, so that a form-like POST is refused as such, not as a 415.
      // Callback style: an async hook costs a promise and a microtask on every request.
      preParsing: <T>(request: FastifyRequest, _reply: FastifyReply, payload: T, done: (error: Error | null, payload?: T) => void): void => {
        if (csrf) {
          try {
            checkCsrf(request, csrf);
          } catch (error) {
            done(error as Error);
            return;
          }
        }
        done(null, payload);
      },
      // Every answer, errors included, names its media type (the error path would drop it).
      onSend: (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: Error | null, payload?: unknown) => void): void => {
        if (cors) addCorsHeaders(request, reply, cors);
        const current = reply.getHeader('content-type');
        if (current === undefined || String(current).startsWith('application/json')) {
          const type = responseMediaType(request.headers.accept);
          // Most answers already say what the request asks for: nothing to write again.
          if (type !== JSON_RESPONSE || current !== JSON_CONTENT_TYPE) reply.header('content-type', `${type}; charset=utf-8`);
        }
        if (!cors) {
          done(null, payload);
          return;
        }
        let sent: unknown;
        try {
          sent = compressPayload(request, reply, payload);
        } catch (error) {
          done(error as Error);
          return;
        }
        done(null, sent);
      },
    },
  });

  if (cache) options.front?.acceptPosts(`${app.prefix}/graphql`);

  // mercurius falls back to reading the query text as a JSON AST; only real GraphQL documents are accepted.
  app.graphql.addHook('preValidation', async (_schema: GraphQLSchema, document: DocumentNode, context: GraphqlContext) => {
    // Any JSON value may come back from that fallback: `null` and numbers included.
    const loc = (document as DocumentNode | null)?.loc;
    if (loc === undefined) throw new GraphqlRequestError('Syntax Error: expected a GraphQL document.', 'GRAPHQL_PARSE_FAILED');
    // Refused before the spec validation rules, which are what makes a hostile document costly.
    const exceeded = checkDocumentLimits(document, limits);
    if (exceeded) throw exceeded;
    // A document is kept by its text, which names the operation asked for (pinOperation): the
    // operation is looked for once per text, before mercurius would fail to find it.
    const name = operationNameFor(context.request, loc.source.body);
    const unresolved = name === false ? null : operationResolutionError(document, name);
    if (unresolved) throw unresolved;
  });

  if (options.graphiql !== false) {
    const slug = options.showcaseSlug ?? (store.catalog.paths.has(SEED_SLUG) ? SEED_SLUG : ([...store.catalog.paths.keys()][0] ?? SEED_SLUG));
    await app.register(explorerRoutes, { endpoint: '/graphql', defaultQuery: explorerDefaultQuery(slug) });
  }
};

/**
 * GraphQL at /graphql (GET and POST) with mercurius over the same catalog store as the REST
 * routes, and the self-hosted explorer at /graphiql. Limits, CSRF prevention, JIT, a parsed
 * query cache and a result cache are on by default.
 */
export const graphqlPlugin = fp(registerGraphql, { name: 'learnpath-graphql', fastify: '5.x' });

declare module 'fastify' {
  interface FastifyRequest {
    /** The catalog a GraphQL request reads, taken from the store once per request. */
    graphqlCatalog: Catalog | null;
  }
}
