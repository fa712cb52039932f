import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { createApiKeyring, type ApiKey, type ApiKeyring, type ApiKeyScope } from '@learnpath/store';
import { ProblemError } from '../http/problem.js';
import { serializeRequest } from './log-redaction.js';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** The key a request authenticated with: its name (logged instead of the secret) and scopes. */
export interface Principal {
  name: string;
  scopes: readonly ApiKeyScope[];
}

/** The security scheme every learner route declares in the OpenAPI document. */
export const API_KEY_SECURITY_SCHEME = 'apiKey';

// Secrets are `lp_` and 43 base64url characters; a longer header is not worth hashing.
const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,200})[ \t]*$/i;

// One verification per request, shared by the rate limiter (which runs first) and the routes.
const principals = new WeakMap<FastifyRequest, Principal | null>();

/** Options of the API key plugin. */
export interface ApiKeysPluginOptions {
  /** The configured keys (hashes, never secrets). */
  keys: readonly ApiKey[];
}

/** Decorates the app with the keyring that `authenticate` and `requireScope` check against. */
export const apiKeysPlugin = fp<ApiKeysPluginOptions>(
  async (app, { keys }) => {
    app.decorate('apiKeyring', createApiKeyring(keys));
  },
  { name: 'learnpath-api-keys' },
);

/** The key of the request's `Authorization: Bearer` header, or null when there is none or it is not configured. */
export function authenticate(request: FastifyRequest, keyring: ApiKeyring): Principal | null {
  const known = principals.get(request);
  if (known !== undefined) return known;
  const header = request.headers.authorization;
  const secret = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  const principal = secret === undefined ? null : keyring.verify(secret);
  principals.set(request, principal);
  return principal;
}

/** The rate limiter's key: the API key's name for an authenticated request, else the client address. */
export function rateLimitKeyOf(request: FastifyRequest): string {
  const keyring = request.server.apiKeyring as ApiKeyring | undefined;
  const principal = keyring && request.headers.authorization !== undefined ? authenticate(request, keyring) : null;
  return principal ? `key:${principal.name}` : request.ip;
}

/** Why a request may not do what it asked: no valid key (401) or a key without the scope (403). */
export interface AccessRefusal {
  status: 401 | 403;
  /** What to tell the client; names the key, never its secret. */
  message: string;
  /** The `WWW-Authenticate` header to send (RFC 6750). */
  wwwAuthenticate: string;
}

/**
 * Checks the request's key against `scope`: the principal when it may, else why not. `what`
 * names what needs the key in the message ("This route", "The field learner"). REST and
 * GraphQL both decide here, and only differ in how they answer a refusal.
 */
export function checkScope(request: FastifyRequest, keyring: ApiKeyring, scope: ApiKeyScope, what = 'This route'): Principal | AccessRefusal {
  const principal = authenticate(request, keyring);
  if (principal === null) {
    const given = request.headers.authorization !== undefined;
    return given
      ? { status: 401, message: 'The API key is not valid (unknown, revoked or malformed). Send Authorization: Bearer <key>.', wwwAuthenticate: 'Bearer realm="learnpath", error="invalid_token"' }
      : { status: 401, message: `${what} needs an API key: send Authorization: Bearer <key>.`, wwwAuthenticate: 'Bearer realm="learnpath"' };
  }
  if (!principal.scopes.includes(scope)) {
    return {
      status: 403,
      message: `The API key "${principal.name}" does not have the scope ${scope} ${what === 'This route' ? 'this route' : what.replace(/^The /, 'the ')} needs.`,
      wwwAuthenticate: `Bearer realm="learnpath", error="insufficient_scope", scope="${scope}"`,
    };
  }
  return principal;
}

/** Whether `checkScope` refused. */
export function isRefusal(value: Principal | AccessRefusal): value is AccessRefusal {
  return 'status' in value;
}

/**
 * A onRequest hook that lets a request through only with a configured key holding `scope`:
 * 401 with `WWW-Authenticate: Bearer` without a valid key, 403 without the scope.
 */
export function requireScope(scope: ApiKeyScope) {
  return async function checkRouteScope(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const decision = checkScope(request, request.server.apiKeyring, scope);
    if (isRefusal(decision)) {
      throw new ProblemError(decision.status, decision.message, {
        type: decision.status === 401 ? 'urn:learnpath:problem:unauthorized' : 'urn:learnpath:problem:forbidden',
        headers: { 'www-authenticate': decision.wwwAuthenticate },
      });
    }
  };
}

/** Paths of the log object that could hold a secret; pino writes `[Redacted]` instead. */
export const REDACTED_LOG_PATHS = ['req.headers.authorization', 'request.headers.authorization', 'headers.authorization', 'req.headers.cookie', 'headers.cookie'];

/**
 * Fastify's logger option with the Authorization header and cookies redacted from every log
 * line, and request URLs logged without their secrets (learner-link tokens, token-bearing queries).
 */
export function redactSecrets(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return logger;
  const options: LoggerOptions = logger === true ? {} : (logger as LoggerOptions);
  if ('child' in options) return logger;
  return { ...options, redact: options.redact ?? REDACTED_LOG_PATHS, serializers: { req: serializeRequest, ...options.serializers } };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The configured API keys. */
    apiKeyring: ApiKeyring;
  }
}
