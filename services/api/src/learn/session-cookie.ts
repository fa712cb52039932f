import type { FastifyReply, FastifyRequest } from 'fastify';

/** Name of the learner session cookie. */
export const SESSION_COOKIE = 'learnpath_session';

/** How long a session lasts: a working day. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/** The session id the request's cookie carries, if any. */
export function readSessionCookie(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === SESSION_COOKIE) return part.slice(index + 1).trim() || null;
  }
  return null;
}

// HttpOnly: the page script never sees the id. SameSite=None with Secure: the same pages are
// framed by LMSs on other sites (LTI), where a Lax or Strict cookie would not be sent; requests
// that change state carry a CSRF token instead. Partitioned (CHIPS) keeps the cookie working in
// such frames where browsers block third-party cookies, keyed to the top-level site. Path=/learn:
// the REST API never sees it. Browsers accept Secure on https and on http://localhost or 127.0.0.1.
const ATTRIBUTES = 'Path=/learn; HttpOnly; Secure; SameSite=None; Partitioned';

/** The Set-Cookie value of a session cookie for `maxAgeSeconds`. */
export function sessionCookieHeader(id: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; ${ATTRIBUTES}`;
}

/** Sets the session cookie for `maxAgeSeconds`. */
export function setSessionCookie(reply: FastifyReply, id: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', sessionCookieHeader(id, maxAgeSeconds));
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`);
}
