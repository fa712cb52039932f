import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Catalog } from '@learnpath/content';
import { LevelSchema, SlugSchema, type LearningPath } from '@learnpath/schema';
import { waitForView } from '../catalog/text-index.js';
import { viewOf, type CatalogView } from '../catalog/view.js';
import { ProblemError } from '../http/problem.js';
import { listPaths } from '../rest/listings.js';
import { loadLearnAssets } from './assets.js';
import { Cmi5LaunchError, readCmi5Launch } from './cmi5-launch.js';
import { allowedLrsEndpoint, CMI5_COMPLETIONS_URL, cmi5Routes, type Cmi5ProgressOptions } from './cmi5-routes.js';
import { isStoreDown, readActiveSession, sendStoreDown, type ActiveSession, type LearnerStoreAccess } from './learner-session.js';
import { describeLearnerView } from './learner-view.js';
import { CatalogPage } from './pages/catalog-page.js';
import type { ClassProgressView } from './pages/class-progress.js';
import { PathPage } from './pages/path-page.js';
import { ResourcePage } from './pages/resource-page.js';
import { findPathOrSend404, sendAsset, sendError, sendPage, wantsHtml } from './respond.js';
import { sessionRoutes } from './session-routes.js';
import { catalogUrl, learnUrl } from './urls.js';
import type { PathTitles } from './pages/path-page.js';

/** Options of the learner pages. */
export interface LearnRouteOptions {
  /** Where the served catalog is read, once per request (watch mode swaps it). */
  store: { readonly catalog: Catalog };
  /** The learner store: learner links, sessions and saved marks. Without it, marks stay in the browser. */
  learners?: LearnerStoreAccess;
  /** Called after a learner's marks on a path changed (the LTI tool reports the grade). */
  onProgressChange?: (learnerId: string, slug: string) => Promise<unknown>;
  /** The class progress a session may see on a path (an instructor's LTI session), or null. */
  classProgress?: (sessionId: string, path: LearningPath) => Promise<ClassProgressView | null>;
  /** cmi5 completions saved as progress, confirmed with these LRSs; off without it (or without learners). */
  cmi5?: Cmi5ProgressOptions;
}

const CatalogQuerySchema = z.object({
  q: z.string().max(200).optional(),
  tag: z.union([SlugSchema, z.literal('')]).optional(),
  level: z.union([LevelSchema, z.literal('')]).optional(),
  cursor: z.string().max(2000).optional(),
});

/** How many paths one page of the catalog shows. */
export const CATALOG_PAGE_SIZE = 50;

// The titles of the paths a page links to, looked up in the catalog (one path, not a map of all
// of them per request), once per content version.
const titlesByCatalog = new WeakMap<Catalog, PathTitles>();
function pathTitles(catalog: Catalog): PathTitles {
  let titles = titlesByCatalog.get(catalog);
  if (titles === undefined) {
    titles = { get: (slug) => catalog.paths.get(slug)?.title, has: (slug) => catalog.paths.has(slug) };
    titlesByCatalog.set(catalog, titles);
  }
  return titles;
}

// Every tag of a content version, sorted, for the tag filter: worked out once per version.
const tagsByView = new WeakMap<CatalogView, string[]>();
function tagsOf(view: CatalogView): string[] {
  let tags = tagsByView.get(view);
  if (tags === undefined) {
    tags = [...new Set(view.paths().flatMap((p) => p.summary.tags))].sort();
    tagsByView.set(view, tags);
  }
  return tags;
}


/**
 * The learner pages: `/learn` (the catalog for people), `/learn/{slug}` (a path with progress,
 * graph and marks), `/learn/{slug}/{resourceId}` (one resource; also a cmi5 assignable unit when
 * an LMS launches it), and their script and stylesheet under `/learn/_assets/`.
 */
export const learnRoutes: FastifyPluginAsync<LearnRouteOptions> = async (app, { store, learners = () => null, onProgressChange, classProgress, cmi5 }) => {
  const hide = { schema: { hide: true } };
  await app.register(sessionRoutes, { store, learners, ...(onProgressChange ? { onProgressChange } : {}) });
  await app.register(cmi5Routes, { store, learners, cmi5 });

  /** Where a cmi5 launch reports its completion: only with a learner store and an allowed LRS. */
  const cmi5ReportUrl = (endpoint: string): string | null => {
    if (cmi5 === undefined || allowedLrsEndpoint(endpoint, cmi5.lrsOrigins) === null) return null;
    let configured: boolean;
    try {
      configured = learners() !== null;
    } catch {
      // The store is configured and still opening: it will take the report.
      configured = true;
    }
    return configured ? CMI5_COMPLETIONS_URL : null;
  };

  /** The request's session and the learner's stored marks on `path` (ids the path still has). */
  const readLearner = async (request: FastifyRequest, path: LearningPath | null): Promise<{ session: ActiveSession | null; completed: string[] }> => {
    const session = await readActiveSession(request, learners);
    const stored = learners();
    if (session === null || path === null || stored === null) return { session, completed: [] };
    const ids = new Set(path.phases.flatMap((p) => p.resources.map((r) => r.id)));
    const state = await stored.getPathState(session.learnerId, path.slug);
    return { session, completed: state.completions.map((c) => c.resourceId).filter((id) => ids.has(id)) };
  };

  app.get<{ Params: { file: string } }>('/learn/_assets/:file', hide, async (request, reply) => {
    const assets = await loadLearnAssets();
    const asset = assets.byName.get(request.params.file);
    if (!asset) return sendError(request, reply, 404, 'Not found', 'There is no such file.');
    return sendAsset(request, reply, asset);
  });

  const catalogRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = CatalogQuerySchema.safeParse(request.query);
    if (!parsed.success) return sendError(request, reply, 400, 'Cannot search like this', 'Search with words (at most 200 characters), a tag from the list and a level: beginner, intermediate or advanced.');
    if (!wantsHtml(request)) return sendError(request, reply, 406, 'Not acceptable', 'This page is HTML; the catalog as JSON is at /v1/paths.');
    const catalog = store.catalog;
    const view = viewOf(catalog);
    const q = (parsed.data.q ?? '').trim();
    const tag = parsed.data.tag ?? '';
    const level = parsed.data.level ?? '';
    const cursor = parsed.data.cursor;
    // While a content version is indexed in the background, the catalog page waits for it.
    await waitForView(view, q !== '' ? 'paths' : false);
    // The REST listing's page, so its cursor is the one `GET /v1/paths` gives for the same search:
    // ranked by relevance, or by title without words.
    let page;
    try {
      page = listPaths(view, { q, tag: tag || undefined, level: level || undefined, limit: CATALOG_PAGE_SIZE, cursor });
    } catch (error) {
      if (error instanceof ProblemError && error.statusCode === 400) {
        return sendError(request, reply, 400, 'This page link is out of date', 'The link to this page of paths belongs to another search. Search again, or go back to the first page.');
      }
      throw error;
    }
    const paths = page.items.flatMap((summary) => catalog.paths.get(summary.slug) ?? []);
    let learner;
    try {
      learner = await readLearner(request, null);
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
    const assets = await loadLearnAssets();
    const next = page.nextCursor === null ? null : catalogUrl({ q, tag, level, cursor: page.nextCursor });
    const first = cursor === undefined ? null : catalogUrl({ q, tag, level });
    return sendPage(reply, assets, <CatalogPage paths={paths} matched={page.total} total={catalog.paths.size} query={{ q, tag, level }} tags={tagsOf(view)} next={next} first={first} />, {
      title: 'Learning paths',
      ...(learner.session ? { session: { csrfToken: learner.session.csrfToken } } : {}),
    });
  };
  app.get('/learn', hide, catalogRoute);
  app.get('/learn/', hide, catalogRoute);

  app.get<{ Params: { slug: string } }>('/learn/:slug', hide, async (request, reply) => {
    const catalog = store.catalog;
    const path = await findPathOrSend404(catalog, request.params.slug, request, reply);
    if (!path) return reply;
    if (!wantsHtml(request)) return sendError(request, reply, 406, 'Not acceptable', `This page is HTML; the path as JSON is at /v1/paths/${path.slug}.`);
    let learner;
    let classView: ClassProgressView | null = null;
    try {
      learner = await readLearner(request, path);
      // Only a session opened by an instructor's launch has a class to see; every other gets null.
      if (learner.session && classProgress) classView = await classProgress(learner.session.id, path);
    } catch (error) {
      if (isStoreDown(error)) return sendStoreDown(request, reply);
      throw error;
    }
    const assets = await loadLearnAssets();
    // With a session the page is drawn from the saved marks; without one, the script applies the browser's.
    const view = describeLearnerView(path, learner.completed);
    return sendPage(reply, assets, <PathPage path={path} view={view} pathTitles={pathTitles(catalog)} stored={learner.session ? learner.completed : null} classProgress={classView} />, {
      title: path.title,
      trail: [{ label: 'Learning paths', href: learnUrl() }],
      ...(learner.session ? { session: { csrfToken: learner.session.csrfToken } } : {}),
    });
  });

  app.get<{ Params: { slug: string; resourceId: string }; Querystring: Record<string, unknown> }>('/learn/:slug/:resourceId', hide, async (request, reply) => {
    const catalog = store.catalog;
    const { slug, resourceId } = request.params;
    const path = await findPathOrSend404(catalog, slug, request, reply);
    if (!path) return reply;
    const phase = path.phases.find((p) => p.resources.some((r) => r.id === resourceId));
    const resource = phase?.resources.find((r) => r.id === resourceId);
    if (!phase || !resource) return sendError(request, reply, 404, 'No such resource', `The path "${path.title}" has no resource "${resourceId.slice(0, 120)}".`);
    let launch;
    try {
      launch = readCmi5Launch(request.query);
    } catch (error) {
      if (error instanceof Cmi5LaunchError) return sendError(request, reply, 400, 'This course link is incomplete', error.message);
      throw error;
    }
    if (!wantsHtml(request)) return sendError(request, reply, 406, 'Not acceptable', `This page is HTML; the resource as JSON is at /v1/paths/${path.slug}/resources/${resource.id}.`);
    let learner: { session: ActiveSession | null; completed: string[] } = { session: null, completed: [] };
    // A cmi5 launch names its learner itself (the actor); a learner session does not apply there.
    if (launch === null) {
      try {
        learner = await readLearner(request, path);
      } catch (error) {
        if (isStoreDown(error)) return sendStoreDown(request, reply);
        throw error;
      }
    }
    const assets = await loadLearnAssets();
    const view = describeLearnerView(path, learner.completed);
    return sendPage(
      reply,
      assets,
      <ResourcePage path={path} phase={phase} resource={resource} view={view} pathTitles={pathTitles(catalog)} cmi5={launch !== null} cmi5Report={launch ? cmi5ReportUrl(launch.endpoint) : null} stored={learner.session ? learner.completed : null} />,
      {
      title: resource.title,
      trail: [
        { label: 'Learning paths', href: learnUrl() },
        { label: path.title, href: learnUrl(path.slug) },
      ],
        ...(launch ? { cmi5Origins: launch.origins } : {}),
        ...(learner.session ? { session: { csrfToken: learner.session.csrfToken } } : {}),
      },
    );
  });

  app.get('/learn/*', hide, async (request, reply) => sendError(request, reply, 404, 'Not found', 'There is no page at this address.'));
};
