import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUnavailable, StoreUnavailableError, type LearnerSession, type Store } from '@learnpath/store';
import { sendError } from './respond.js';
import { readSessionCookie } from './session-cookie.js';

/** The header that carries a session's CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/** A request's session: its id (from the cookie) and what the store knows of it. */
export interface ActiveSession extends LearnerSession {
  id: string;
}

/** Seconds a client should wait before retrying while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

/** Whether an error means the learner store cannot be reached. */
export function isStoreDown(error: unknown): boolean {
  return error instanceof StoreUnavailableError || isUnavailable(error);
}

/** Answers 503 with Retry-After: the learner store is away; content pages without a session still work. */
export function sendStoreDown(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return sendError(request, reply, 503, 'Progress is unavailable', 'Saved progress cannot be reached right now. Try again in a few seconds.', {
    'retry-after': String(RETRY_AFTER_SECONDS),
  });
}

/** The live session of the request's cookie, or null (no cookie, unknown, ended or expired). Store errors propagate. */
export async function readActiveSession(request: FastifyRequest, learners: Store | undefined): Promise<ActiveSession | null> {
  if (learners === undefined) return null;
  const id = readSessionCookie(request);
  if (id === null) return null;
  const session = await learners.getSession(id);
  return session ? { ...session, id } : null;
}

/** Whether `presented` is the session's CSRF token (compared in constant time). */
export function csrfMatches(session: LearnerSession, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented === '') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
