import type { FastifyRequest } from 'fastify';

/** What a logged secret is replaced with. */
export const REDACTED = '[Redacted]';

// Query parameters that carry a secret or a one-time credential: cmi5's token fetch URL and
// auth token, OAuth/OIDC and LTI parameters (state, id_token, hints, registration token),
// and generic token names. Matched without regard to case.
const SECRET_QUERY_PARAMETERS = new Set([
  'token',
  'auth',
  'auth-token',
  'authtoken',
  'fetch',
  'access_token',
  'refresh_token',
  'id_token',
  'jwt',
  'state',
  'code',
  'nonce',
  'csrf',
  'login_hint',
  'lti_message_hint',
  'registration_token',
  'client_assertion',
  'key',
  'api_key',
  'apikey',
  'password',
  'secret',
]);

// Path segments that are secrets themselves: the token of a learner link.
const SECRET_PATH = /^(\/learn\/link\/)[^/?#]+/;

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * A request URL (path and query) with its secrets replaced: the token of `/learn/link/{token}`
 * and the values of token-bearing query parameters (`fetch`, `token`, `state`, `id_token`, …).
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = (at === -1 ? url : url.slice(0, at)).replace(SECRET_PATH, `$1${REDACTED}`);
  if (at === -1) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && SECRET_QUERY_PARAMETERS.has(decodedName(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

/** How a request appears in the log (Fastify's fields), with the secrets of its URL redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  // Whatever is logged under `req` comes here, not only Fastify's requests (an error report may
  // log a plain object): keep to the fields, and never to headers, which carry keys and cookies.
  const url: unknown = request.url;
  return {
    method: request.method,
    url: typeof url === 'string' ? redactUrl(url) : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
