import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Catalog } from '@learnpath/content';
import type { LearningPath } from '@learnpath/schema';
import { csrfMatches, CSRF_HEADER, isStoreDown, readActiveSession, sendStoreDown, type ActiveSession, type LearnerStoreAccess } from './learner-session.js';
import { findPathOrSend404, sendError, wantsHtml } from './respond.js';
import { clearSessionCookie, readSessionCookie, SESSION_TTL_SECONDS, setSessionCookie } from './session-cookie.js';
import { learnUrl } from './urls.js';

/** Options of the session routes. */
export interface SessionRouteOptions {
  store: { readonly catalog: Catalog };
  /** The learner store; without one, links and sessions are not offered. */
  learners: LearnerStoreAccess;
  /** Called after a learner's marks on a path changed; its failure is logged, never the learner's. */
  onProgressChange?: (learnerId: string, slug: string) => Promise<unknown>;
}

const ImportSchema = z.strictObject({
  completed: z
    .array(z.strictObject({ id: z.string().max(200), at: z.string().max(64) }))
    .max(5000),
});

const resourceIds = (path: LearningPath): Set<string> => new Set(path.phases.flatMap((p) => p.resources.map((r) => r.id)));

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
}

/**
 * Learner links and sessions: `GET /learn/link/{token}` opens a session and redirects to the
 * clean page URL; `POST /learn/logout` ends it; `/learn/_session/…` is where the page script
 * keeps marks (each write carries the session's CSRF token in `X-CSRF-Token`).
 */
export const sessionRoutes: FastifyPluginAsync<SessionRouteOptions> = async (app, { store: catalogStore, learners, onProgressChange }) => {
  const hide = { schema: { hide: true } };
  const progressChanged = async (request: FastifyRequest, learnerId: string, slug: string): Promise<void> => {
    if (onProgressChange === undefined) return;
    try {
      await onProgressChange(learnerId, slug);
    } catch (error) {
      // The mark is stored; only its report (e.g. a grade to queue) failed.
      request.log.warn({ err: error }, 'reporting a progress change failed');
    }
  };
  // Only reached with a live session, so a store exists.
  const learnersOrThrow = () => {
    const store = learners();
    if (store === null) throw new TypeError('a session without a learner store');
    return store;
  };

  // The sign-out form posts urlencoded; only this scope reads such bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.get<{ Params: { token: string } }>('/learn/link/:token', hide, async (request, reply) => {
    noStore(reply);
    try {
      const store = learners();
      if (store === null) return sendError(request, reply, 404, 'Learner links are off', 'This service keeps no learner progress, so it opens no learner links.');
      const consumed = await store.consumeLearnerLink(request.params.token);
      if (consumed.status !== 'ok') {
        if (consumed.status === 'expired') return sendError(request, reply, 410, 'This link has expired', 'Learner links work for a few minutes only. Go back to where you came from and open the course again.');
        if (consumed.status === 'used') return sendError(request, reply, 410, 'This link was used already', 'A learner link opens once. Go back to where you came from and open the course again.');
        return sendError(request, reply, 404, 'No such link', 'This learner link is not known here. Check that it was copied whole.');
      }
      // A browser that had a session for someone else leaves it behind.
      const previous = readSessionCookie(request);
      if (previous !== null) await store.endSession(previous);
      const session = await store.createSession({ learnerId: consumed.learnerId, expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000) });
      setSessionCookie(reply, session.id, SESSION_TTL_SECONDS);
      const target = consumed.slug !== null && catalogStore.catalog.paths.has(consumed.slug) ? learnUrl(consumed.slug) : learnUrl();
      // A redirect, so the token leaves the address bar and the history.
      return reply.code(303).header('location', target).send();
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
  });

  app.post<{ Body: Record<string, unknown> | undefined }>('/learn/logout', hide, async (request, reply) => {
    noStore(reply);
    const done = (): FastifyReply => (wantsHtml(request) ? reply.code(303).header('location', learnUrl()).send() : reply.code(204).send());
    let session: ActiveSession | null;
    try {
      session = await readActiveSession(request, learners);
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
    if (session === null) {
      // Nothing to end (no cookie, or a session that ended already): make sure the browser forgets it.
      clearSessionCookie(reply);
      return done();
    }
    const body = request.body;
    const presented = request.headers[CSRF_HEADER] ?? (body && typeof body === 'object' ? body.csrf : undefined);
    if (!csrfMatches(session, presented)) return sendError(request, reply, 403, 'Sign-out refused', 'The request did not carry this session’s token. Sign out from the page’s Sign out button.');
    try {
      await learners()?.endSession(session.id);
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
    clearSessionCookie(reply);
    return done();
  });

  /** Resolves the session, checks the CSRF token and the path; answers the 4xx itself and returns null then. */
  const guard = async (request: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply): Promise<{ session: ActiveSession; path: LearningPath } | null> => {
    noStore(reply);
    const session = await readActiveSession(request, learners);
    if (session === null) {
      await sendError(request, reply, 401, 'Not signed in', 'There is no session, or it has ended. Open the course again to sign in.');
      return null;
    }
    if (!csrfMatches(session, request.headers[CSRF_HEADER])) {
      await sendError(request, reply, 403, 'Missing or wrong CSRF token', `Every change needs the session’s token in the ${CSRF_HEADER} header.`);
      return null;
    }
    const path = await findPathOrSend404(catalogStore.catalog, request.params.slug, request, reply);
    return path ? { session, path } : null;
  };

  const completedOn = async (learnerId: string, path: LearningPath): Promise<string[]> => {
    const ids = resourceIds(path);
    return (await learnersOrThrow().getPathState(learnerId, path.slug)).completions.map((c) => c.resourceId).filter((id) => ids.has(id));
  };

  const markRoute = (done: boolean) => async (request: FastifyRequest<{ Params: { slug: string; resourceId: string } }>, reply: FastifyReply) => {
    try {
      const checked = await guard(request, reply);
      if (checked === null) return reply;
      const { session, path } = checked;
      if (!resourceIds(path).has(request.params.resourceId)) return sendError(request, reply, 404, 'No such resource', `The path "${path.title}" has no resource "${request.params.resourceId.slice(0, 120)}".`);
      const input = { learnerId: session.learnerId, slug: path.slug, resourceId: request.params.resourceId, source: 'page' as const };
      const result = done ? await learnersOrThrow().completeResource(input) : await learnersOrThrow().uncompleteResource(input);
      if (result.changed) await progressChanged(request, session.learnerId, path.slug);
      return reply.send({ completed: await completedOn(session.learnerId, path) });
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
  };
  app.put('/learn/_session/paths/:slug/completions/:resourceId', hide, markRoute(true));
  app.delete('/learn/_session/paths/:slug/completions/:resourceId', hide, markRoute(false));

  app.post<{ Params: { slug: string }; Body: unknown }>('/learn/_session/paths/:slug/import', hide, async (request, reply) => {
    try {
      const checked = await guard(request, reply);
      if (checked === null) return reply;
      const { session, path } = checked;
      const parsed = ImportSchema.safeParse(request.body);
      if (!parsed.success) return sendError(request, reply, 400, 'Cannot import this', 'Send { "completed": [{ "id": resource id, "at": ISO-8601 time }] }.');
      const ids = resourceIds(path);
      const imported: string[] = [];
      const skipped: string[] = [];
      for (const mark of parsed.data.completed) {
        // Marks of resources the path no longer has are reported, not stored.
        if (!ids.has(mark.id)) {
          skipped.push(mark.id);
          continue;
        }
        const at = Date.parse(mark.at);
        const completedAt = Number.isNaN(at) || at > Date.now() ? new Date() : new Date(at);
        const result = await learnersOrThrow().completeResource({ learnerId: session.learnerId, slug: path.slug, resourceId: mark.id, completedAt, source: 'page' });
        if (result.changed) imported.push(mark.id);
      }
      if (imported.length > 0) await progressChanged(request, session.learnerId, path.slug);
      return reply.send({ completed: await completedOn(session.learnerId, path), imported, skipped });
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
  });
};
