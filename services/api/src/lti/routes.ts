import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LearningPath } from '@learnpath/schema';
import type { Store } from '@learnpath/store';
import type { CatalogStore } from '../catalog/store.js';
import { renderAutoPostForm } from './auto-post.js';
import { canvasToolConfiguration } from './canvas-config.js';
import { buildDeepLinkingResponse, signDeepLinkContext, verifyDeepLinkContext, type DeepLinkChoice } from './deep-linking.js';
import { LtiError } from './errors.js';
import { initiateLogin } from './login.js';
import type { LtiNonceStore } from './nonce-store.js';
import { pagePolicy, renderLaunchPage, renderPickerPage, renderRefusalPage } from './pages.js';
import { PlatformKeySets } from './platform-keys.js';
import type { LtiPlatform, LtiPlatformRegistry } from './platforms.js';
import { clearStateCookie, parseCookies, stateCookieName, StateInPlatformStorage } from './state.js';
import { renderStorageGetPage, renderStoragePutPage } from './platform-storage.js';
import type { ToolKeySet } from './tool-keys.js';
import { toolUrls, type ToolUrls } from './tool-urls.js';
import { verifyLaunch, type VerifiedLaunch, type VerifiedResourceLinkLaunch } from './verify-launch.js';
import { SCORE_SCOPE } from './claims.js';
import { fetchPlatformConfiguration, registerWithPlatform, renderRegistrationClosePage } from './dynamic-registration.js';
import { ltiLearnerId, type LtiSessionStarter } from './learner.js';
import type { GradeReporter } from './grades.js';

/** Options of the `/lti` routes. */
export interface LtiOptions {
  registry: LtiPlatformRegistry;
  keys: ToolKeySet;
  nonces: LtiNonceStore;
  /** Platform key sets (shared cache); one is made when omitted. */
  platformKeys?: PlatformKeySets;
  /** The service's public base URL; default: the scheme and host of each request. */
  baseUrl?: string;
  /** The tool's name shown in LMSs. Default `Learnpath`. */
  toolName?: string;
  /** Clock skew tolerated on token times, in seconds. Default 60. */
  clockSkewSeconds?: number;
  /**
   * The learner store: a launch then signs the learner in (a learner and a session) and lands on
   * `/learn/{slug}`, graded links get scores, instructors see their course's progress. Without
   * it a launch only shows the path.
   */
  learners?: LtiLearnerOptions;
  /** Where `GET /lti/register` (Dynamic Registration) stores platforms; the route refuses without it. */
  registrations?: { insert(platform: LtiPlatform): Promise<void> };
  /** Whether platforms registered through `GET /lti/register` may leave names and emails (`LTI_KEEP_PERSONAL_DATA`). Default false. */
  keepRegisteredPersonalData?: boolean;
}

/** What a launch needs to sign learners in and report their grades. */
export interface LtiLearnerOptions {
  store: Store;
  sessions: LtiSessionStarter;
  grades: GradeReporter;
}

type Form = Record<string, string | string[]>;

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function plainExcerpt(markdown: string): string {
  const text = markdown.replace(/[#*_`>[\]]|\(https?:[^)]*\)/g, '').replace(/\s+/g, ' ').trim();
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}

/**
 * The LTI 1.3 tool routes: OIDC login, launch verification, the tool key set, the Canvas
 * configuration and the Deep Linking picker. Pages are HTML for people (framed by the LMS);
 * a refusal is a 4xx page naming the failed check.
 */
export async function ltiRoutes(app: FastifyInstance, options: LtiOptions & { store: CatalogStore }): Promise<void> {
  const platformKeys = options.platformKeys ?? new PlatformKeySets();
  const urlsFor = (request: FastifyRequest): ToolUrls => toolUrls(options.baseUrl ?? `${request.protocol}://${request.host}`);

  // Platforms post forms (form_post launches, the login initiation); repeated names (checkboxes) become lists.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const form: Form = Object.create(null) as Form;
    for (const [name, value] of new URLSearchParams(body as string)) {
      const existing = form[name];
      form[name] = existing === undefined ? value : [...list(existing), value];
    }
    done(null, form);
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof LtiError) return sendRefusal(request, reply, error);
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return sendRefusal(request, reply, new LtiError('login', 'The request could not be read.', status));
    request.log.error(error);
    return sendRefusal(request, reply, new LtiError('platform', 'The tool could not complete the request.', 502));
  });

  // Keys added or retired through another replica are picked up within the cache time (tool-keys.ts).
  app.addHook('onRequest', async () => {
    await options.keys.refresh();
  });

  const hidden = { schema: { hide: true } } as const;

  app.get('/lti/jwks', hidden, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*');
    return options.keys.jwks();
  });

  app.get('/lti/config/canvas.json', hidden, async (request) => canvasToolConfiguration(urlsFor(request), options.toolName, options.keepRegisteredPersonalData === true));

  const login = async (request: FastifyRequest, reply: FastifyReply, params: Record<string, unknown>): Promise<void> => {
    const redirect = await initiateLogin(params, { registry: options.registry, keys: options.keys, urls: urlsFor(request) });
    reply.header('set-cookie', redirect.cookie.header);
    if (redirect.storage !== undefined) {
      const put = renderStoragePutPage(redirect.storage, redirect.redirectUrl);
      reply.header('content-security-policy', put.csp);
      sendHtml(reply, 200, put.html);
      return;
    }
    reply.header('cache-control', 'no-store').redirect(redirect.redirectUrl, 302);
  };
  app.get('/lti/login', hidden, (request, reply) => login(request, reply, request.query as Record<string, unknown>));
  app.post('/lti/login', hidden, (request, reply) => login(request, reply, flatten(request.body)));

  app.post('/lti/launch', hidden, async (request, reply) => {
    const form = flatten(request.body);
    let launch: VerifiedLaunch;
    try {
      launch = await verifyLaunch(
        { id_token: form.id_token, state: form.state },
        parseCookies(request.headers.cookie),
        {
          registry: options.registry,
          keys: options.keys,
          platformKeys,
          nonces: options.nonces,
          ...(options.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: options.clockSkewSeconds }),
        },
        { secret: form.lti_storage_secret, looked: form.lti_storage_looked === '1' },
      );
    } catch (error) {
      if (!(error instanceof StateInPlatformStorage)) throw error;
      // Nothing was used up: the launch is posted again once the browser has read its secret.
      const get = renderStorageGetPage({ ...error.storage, key: stateCookieName(error.stateId) }, new URL(urlsFor(request).launch).pathname, { id_token: form.id_token ?? '', state: form.state ?? '' });
      reply.header('content-security-policy', get.csp);
      return sendHtml(reply, 200, get.html);
    }
    reply.header('set-cookie', clearStateCookie(launch.stateId));
    if (launch.messageType === 'LtiDeepLinkingRequest') {
      const context = await signDeepLinkContext({ issuer: launch.platform.issuer, clientId: launch.platform.clientId, deploymentId: launch.deploymentId, settings: launch.settings }, options.keys);
      return sendPicker(request, reply, context, { q: '', level: '', tag: '' }, launch.settings.accept_multiple !== false);
    }
    if (launch.pathSlug === null) throw new LtiError('claims', 'The link names no learning path (custom parameter "path" or a target link to /learn/{slug}).');
    const path = options.store.catalog.paths.get(launch.pathSlug);
    if (path === undefined) throw new LtiError('claims', 'The learning path of this link is not in the catalog (any more).', 404);
    const learners = options.learners;
    if (learners === undefined || launch.sub === undefined) {
      return sendPage(reply, 200, renderLaunchPage(path, { name: launch.name, instructor: launch.instructor, context: launch.context?.title }));
    }
    const learnerId = ltiLearnerId(launch.platform.issuer, launch.sub);
    const course = { issuer: launch.platform.issuer, clientId: launch.platform.clientId, contextId: launch.context?.id ?? '' };
    // Instructors are not learners of their class: their launches stay out of its progress and grades.
    if (!launch.instructor) await learners.store.lti.recordLaunch({ learnerId, slug: path.slug, ...course, lineItem: gradedLineItem(launch), userId: launch.sub });
    // Names and emails stay only where the platform's registration allows it; otherwise what was kept is forgotten.
    const keep = launch.platform.keepPersonalData === true;
    await learners.store.lti.savePerson({ learnerId, name: keep ? clip(launch.name) : null, email: keep ? clip(launch.email) : null });
    const session = await learners.sessions.start(learnerId);
    if (launch.instructor && launch.context !== undefined) {
      await learners.store.lti.grantCourseView(session.id, { learnerId, ...course, title: clip(launch.context.title) }, session.expiresAt);
    }
    reply.header('set-cookie', [clearStateCookie(launch.stateId), session.cookie]);
    return reply.header('cache-control', 'no-store').redirect(`/learn/${encodeURIComponent(path.slug)}`, 303);
  });

  app.get('/lti/register', hidden, async (request, reply) => {
    // A repeated parameter counts once, as its first value.
    const query = request.query as Form;
    const openidConfiguration = single(query.openid_configuration);
    const registrationToken = single(query.registration_token);
    if (options.registrations === undefined) throw new LtiError('platform', 'Dynamic Registration needs the database (DATABASE_URL or DATA_DIR) to keep the platform.', 404);
    if (!openidConfiguration) throw new LtiError('platform', 'The registration request has no openid_configuration.', 400);
    const configuration = await fetchPlatformConfiguration(openidConfiguration, registrationToken);
    const platform = await registerWithPlatform(configuration, registrationToken, urlsFor(request), {
      ...(options.toolName === undefined ? {} : { toolName: options.toolName }),
      keepPersonalData: options.keepRegisteredPersonalData === true,
    });
    await options.registrations.insert(platform);
    request.log.info({ issuer: platform.issuer, clientId: platform.clientId }, 'LTI platform registered');
    const closing = renderRegistrationClosePage(options.toolName);
    reply.header('content-security-policy', closing.csp);
    return sendHtml(reply, 200, closing.html);
  });

  app.get('/lti/deep-link', hidden, async (request, reply) => {
    const query = request.query as Form;
    const token = single(query.context);
    const context = await verifyDeepLinkContext(token, options.keys);
    return sendPicker(request, reply, token!, { q: single(query.q) ?? '', level: single(query.level) ?? '', tag: single(query.tag) ?? '' }, context.settings.accept_multiple !== false);
  });

  app.post('/lti/deep-link', hidden, async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const context = await verifyDeepLinkContext(single(form.context), options.keys);
    const urls = urlsFor(request);
    const catalog = options.store.catalog;
    const choices: DeepLinkChoice[] = [];
    for (const slug of new Set(list(form.path))) {
      const path = catalog.paths.get(slug);
      if (path === undefined) throw new LtiError('deep_linking', 'A chosen learning path is not in the catalog (any more); pick again.', 404);
      choices.push({ slug, title: path.title, text: plainExcerpt(path.overview), url: `${urls.baseUrl}/learn/${slug}` });
    }
    const jwt = await buildDeepLinkingResponse(context, choices, options.keys);
    const form_ = renderAutoPostForm(context.settings.deep_link_return_url, { JWT: jwt });
    reply.header('content-security-policy', form_.csp);
    return sendHtml(reply, 200, form_.html);
  });

  function sendPicker(_request: FastifyRequest, reply: FastifyReply, context: string, query: { q: string; level: string; tag: string }, multiple: boolean): FastifyReply {
    const all = [...options.store.catalog.paths.values()];
    const q = query.q.trim().toLowerCase();
    const paths = all.filter(
      (p: LearningPath) =>
        (q === '' || p.title.toLowerCase().includes(q) || p.overview.toLowerCase().includes(q) || p.tags.some((t) => t.toLowerCase() === q)) &&
        (query.level === '' || p.level === query.level) &&
        (query.tag === '' || p.tags.includes(query.tag)),
    );
    const levels = [...new Set(all.flatMap((p) => (p.level ? [p.level] : [])))].sort();
    const tags = [...new Set(all.flatMap((p) => p.tags))].sort();
    return sendPage(reply, 200, renderPickerPage({ context, action: '/lti/deep-link', paths, multiple, query, levels, tags }));
  }
}

// Scores go to the launch's line item only when the platform granted the score scope.
function gradedLineItem(launch: VerifiedResourceLinkLaunch): string {
  const ags = launch.ags;
  return ags?.lineitem !== undefined && ags.scope.includes(SCORE_SCOPE) ? ags.lineitem : '';
}

// Platform-supplied text is shown to people and stored; a bounded length keeps both sane.
const clip = (text: string | undefined): string | null => (text === undefined || text.trim() === '' ? null : text.trim().slice(0, 200));

function flatten(body: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [name, value] of Object.entries(body as Form)) out[name] = single(value);
  return out;
}

function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(body);
}

function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  reply.header('content-security-policy', pagePolicy());
  return sendHtml(reply, status, body);
}

function sendRefusal(request: FastifyRequest, reply: FastifyReply, error: LtiError): FastifyReply {
  request.log.info({ check: error.check, status: error.statusCode }, 'LTI request refused');
  if (/json/.test(request.headers.accept ?? '') && !/html/.test(request.headers.accept ?? '')) {
    return reply
      .code(error.statusCode)
      .header('content-type', 'application/problem+json')
      .header('cache-control', 'no-store')
      .send(
        JSON.stringify({
          type: `urn:learnpath:lti:${error.check}`,
          title: 'LTI request refused',
          status: error.statusCode,
          detail: error.message,
          check: error.check,
          ...(error.reopen ? { reopen: `/lti/login?${new URLSearchParams(error.reopen).toString()}` } : {}),
        }),
      );
  }
  return sendPage(reply, error.statusCode, renderRefusalPage(error.statusCode, error.check, error.message, error.reopen));
}
