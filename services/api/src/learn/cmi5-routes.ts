import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Catalog } from '@learnpath/content';
import { SlugSchema } from '@learnpath/schema';
import { Cmi5ActorSchema, cmi5LearnerId } from './cmi5-learner.js';
import { COMPLETED_VERB, DEFAULT_LRS_REQUEST_LIMITS, fetchLrsStatement, LrsConfirmError, type LrsRequestLimits, type LrsStatement } from './cmi5-statement.js';
import { isStoreDown, sendStoreDown, type LearnerStoreAccess } from './learner-session.js';
import { sendError } from './respond.js';

/** Where the page reports a cmi5 completion. */
export const CMI5_COMPLETIONS_URL = '/learn/_cmi5/completions';

/** Settings of cmi5 progress: which LRSs are trusted to confirm completions, and how long they get. */
export interface Cmi5ProgressOptions {
  /** Origins of the LRSs (`https://lrs.example.org`); a completion from any other is refused. */
  lrsOrigins: readonly string[];
  /** Limits of the request to the LRS. Default `DEFAULT_LRS_REQUEST_LIMITS`. */
  limits?: LrsRequestLimits;
}

/** Options of the cmi5 progress route. */
export interface Cmi5RouteOptions {
  store: { readonly catalog: Catalog };
  learners: LearnerStoreAccess;
  cmi5: Cmi5ProgressOptions | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CompletionReportSchema = z.strictObject({
  slug: SlugSchema,
  resourceId: z.string().min(1).max(200),
  registration: z.string().regex(UUID),
  statementId: z.string().regex(UUID),
  endpoint: z.string().min(1).max(2048),
  // The cmi5 token is base64 credentials; anything else cannot be a header value the LRS reads.
  authToken: z
    .string()
    .min(1)
    .max(4096)
    .regex(/^[A-Za-z0-9+/=._~-]+$/),
  actor: Cmi5ActorSchema,
});

/** Whether an LRS may confirm completions, and the endpoint as a URL: http(s), no credentials, an allowed origin. */
export function allowedLrsEndpoint(endpoint: string, origins: readonly string[]): URL | null {
  if (!URL.canParse(endpoint)) return null;
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return origins.includes(url.origin) ? url : null;
}

/** Whether an activity IRI is the AU id the cmi5 export gives the resource (`…/v1/paths/{slug}/resources/{id}`). */
function isAuOf(iri: string, slug: string, resourceId: string): boolean {
  if (!URL.canParse(iri)) return false;
  const url = new URL(iri);
  return url.search === '' && url.hash === '' && url.pathname.endsWith(`/v1/paths/${encodeURIComponent(slug)}/resources/${encodeURIComponent(resourceId)}`);
}

/** Why the statement does not confirm the report, or null when it does. */
function mismatch(statement: LrsStatement, report: z.output<typeof CompletionReportSchema>, learnerId: string): string | null {
  if (statement.id.toLowerCase() !== report.statementId.toLowerCase()) return 'The LRS returned another statement.';
  if (statement.verb.id !== COMPLETED_VERB) return 'The statement is not a completion.';
  if (statement.context?.registration?.toLowerCase() !== report.registration.toLowerCase()) return 'The statement belongs to another registration.';
  if (cmi5LearnerId(statement.actor) !== learnerId) return 'The statement is about another learner.';
  // A conforming LMS launches the AU under an activity id of its own and names the AU's id (the
  // publisher id) in the context's grouping; some LMSs launch under the AU's id itself.
  const activities = [statement.object.id, ...(statement.context?.contextActivities?.grouping ?? []).map((a) => a.id)];
  if (!activities.some((iri) => isAuOf(iri, report.slug, report.resourceId))) return 'The statement is about another activity.';
  return null;
}

/**
 * `POST /learn/_cmi5/completions`: the page of a cmi5 launch reports a `completed` statement it
 * sent; the service fetches that statement from the LRS (an allowed origin only, with the
 * launch's token, which it keeps nowhere) and, when the LRS confirms it, saves the completion
 * for the actor's learner id with source `cmi5`. Idempotent: reporting again changes nothing,
 * and a completion stated before the learner last marked the resource not done is not applied.
 */
export const cmi5Routes: FastifyPluginAsync<Cmi5RouteOptions> = async (app, { store: catalogStore, learners, cmi5 }) => {
  const limits = cmi5?.limits ?? DEFAULT_LRS_REQUEST_LIMITS;
  app.post<{ Body: unknown }>(CMI5_COMPLETIONS_URL, { schema: { hide: true }, bodyLimit: 16 * 1024 }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    let store;
    try {
      store = learners();
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
    if (cmi5 === undefined || cmi5.lrsOrigins.length === 0 || store === null) {
      return sendError(request, reply, 404, 'cmi5 progress is off', 'This service does not save cmi5 completions as progress (no learner store, or no LRS origins allowed).');
    }
    const parsed = CompletionReportSchema.safeParse(request.body);
    if (!parsed.success) {
      return sendError(request, reply, 400, 'Cannot read this completion', 'Send { "slug", "resourceId", "registration" (UUID), "statementId" (UUID), "endpoint" (the LRS), "authToken", "actor" (an agent with account or mbox) } as JSON.');
    }
    const report = parsed.data;
    const learnerId = cmi5LearnerId(report.actor);
    if (learnerId === null) return sendError(request, reply, 400, 'Cannot tell who the learner is', 'The actor needs an account (homePage and name) or an mbox.');
    const path = catalogStore.catalog.paths.get(report.slug);
    if (!path) return sendError(request, reply, 404, 'No such learning path', `There is no learning path "${report.slug}".`);
    if (!path.phases.some((p) => p.resources.some((r) => r.id === report.resourceId))) {
      return sendError(request, reply, 404, 'No such resource', `The path "${path.title}" has no resource "${report.resourceId.slice(0, 120)}".`);
    }
    // Only an allowed LRS is ever asked: the endpoint comes from the browser.
    const endpoint = allowedLrsEndpoint(report.endpoint, cmi5.lrsOrigins);
    if (endpoint === null) return sendError(request, reply, 403, 'This LRS is not allowed', 'Completions are confirmed only with the LRSs this service is set up to trust.');
    let statement: LrsStatement;
    try {
      statement = await fetchLrsStatement(endpoint, report.statementId, report.authToken, limits);
    } catch (error) {
      if (error instanceof LrsConfirmError) return sendError(request, reply, error.status, error.title, error.message);
      throw error;
    }
    const refused = mismatch(statement, report, learnerId);
    if (refused !== null) return sendError(request, reply, 403, 'The LRS does not confirm this completion', refused);
    const stated = statement.timestamp === undefined ? Number.NaN : Date.parse(statement.timestamp);
    const completedAt = Number.isNaN(stated) || stated > Date.now() ? new Date() : new Date(stated);
    try {
      // A completion stated before the learner last marked the resource not done is an old one
      // reported again (a page reloaded, a report resent): the learner's later choice stands.
      const uncompletedAt = await store.lastUncompletedAt(learnerId, path.slug, report.resourceId);
      if (uncompletedAt !== null && completedAt.getTime() <= Date.parse(uncompletedAt)) {
        return reply.send({ learnerId, slug: path.slug, resourceId: report.resourceId, changed: false });
      }
      const result = await store.completeResource({ learnerId, slug: path.slug, resourceId: report.resourceId, completedAt, source: 'cmi5' });
      return reply.send({ learnerId, slug: path.slug, resourceId: report.resourceId, changed: result.changed });
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
  });
};
