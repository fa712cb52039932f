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

/**
 * A onRequest hook that lets a request through only with a configured key holding `scope`:
 * 401 with `WWW-Authenticate: Bearer` without a valid key, 403 without the scope.
 */
export function requireScope(scope: ApiKeyScope) {
  return async function checkScope(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const principal = authenticate(request, request.server.apiKeyring);
    if (principal === null) {
      const given = request.headers.authorization !== undefined;
      throw new ProblemError(401, given ? 'The API key is not valid (unknown, revoked or malformed). Send Authorization: Bearer <key>.' : 'This route needs an API key: send Authorization: Bearer <key>.', {
        type: 'urn:learnpath:problem:unauthorized',
        headers: { 'www-authenticate': given ? 'Bearer realm="learnpath", error="invalid_token"' : 'Bearer realm="learnpath"' },
      });
    }
    if (!principal.scopes.includes(scope)) {
      throw new ProblemError(403, `The API key "${principal.name}" does not have the scope ${scope} this route needs.`, {
        type: 'urn:learnpath:problem:forbidden',
        headers: { 'www-authenticate': `Bearer realm="learnpath", error="insufficient_scope", scope="${scope}"` },
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
