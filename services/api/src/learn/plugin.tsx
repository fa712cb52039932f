import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import type { ReactElement } from 'react';
import { z } from 'zod';
import type { Catalog } from '@learnpath/content';
import { LevelSchema, SlugSchema, type LearningPath } from '@learnpath/schema';
import { loadLearnAssets, type Asset, type LearnAssets } from './assets.js';
import { Cmi5LaunchError, readCmi5Launch } from './cmi5-launch.js';
import { createNonce, learnerPagePolicy } from './csp.js';
import { describeLearnerView } from './learner-view.js';
import { markdownText } from './markdown.js';
import { CatalogPage } from './pages/catalog-page.js';
import { ErrorPage } from './pages/error-page.js';
import { Layout } from './pages/layout.js';
import { PathPage } from './pages/path-page.js';
import { ResourcePage } from './pages/resource-page.js';
import { renderDocument } from './render.js';
import { learnUrl } from './urls.js';

/** Options of the learner pages. */
export interface LearnRouteOptions {
  /** Where the served catalog is read, once per request (watch mode swaps it). */
  store: { readonly catalog: Catalog };
}

const CatalogQuerySchema = z.object({
  q: z.string().max(200).optional(),
  tag: z.union([SlugSchema, z.literal('')]).optional(),
  level: z.union([LevelSchema, z.literal('')]).optional(),
});

// Browsers get pages; clients asking for JSON get problem details, as from the rest of the service.
const ERROR_TYPES = ['text/html', 'application/problem+json', 'application/json'];

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (accept === undefined || accept === '') return true;
  return new Negotiator({ headers: { accept } }).mediaType(ERROR_TYPES) === 'text/html';
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  reply
    .header('content-type', asset.type)
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(asset.br);
  if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

interface PageOptions {
  title: string;
  trail?: { label: string; href: string }[];
  cmi5Origins?: string[];
  status?: number;
}

async function sendPage(reply: FastifyReply, assets: LearnAssets, body: ReactElement, options: PageOptions): Promise<FastifyReply> {
  const nonce = createNonce();
  const script = options.cmi5Origins ? assets.cmi5 : assets.page;
  const html = renderDocument(
    <Layout title={options.title} nonce={nonce} stylesheet={`/learn/_assets/${assets.stylesheet.name}`} scripts={[`/learn/_assets/${script.name}`]} {...(options.trail ? { trail: options.trail } : {})}>
      {body}
    </Layout>,
  );
  return reply
    .code(options.status ?? 200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', learnerPagePolicy(nonce, options.cmi5Origins))
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .send(html);
}

/** Answers an error as a page for browsers and as problem details for API clients. */
async function sendError(request: FastifyRequest, reply: FastifyReply, status: number, title: string, detail: string): Promise<FastifyReply> {
  if (wantsHtml(request)) {
    const assets = await loadLearnAssets();
    return sendPage(reply, assets, <ErrorPage status={status} title={title} detail={detail} />, { title, status });
  }
  const instance = request.url.split('?', 1)[0] ?? '';
  return reply
    .code(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify({ type: 'about:blank', title, status, detail, instance: instance.slice(0, 1000), requestId: request.id }));
}

function pathTitles(catalog: Catalog): Map<string, string> {
  return new Map([...catalog.paths.values()].map((p) => [p.slug, p.title]));
}

function matches(path: LearningPath, q: string): boolean {
  if (q === '') return true;
  const words = q.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const text = `${path.title} ${path.tags.join(' ')} ${markdownText(path.overview)} ${path.phases.map((p) => `${p.title} ${p.resources.map((r) => r.title).join(' ')}`).join(' ')}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

/**
 * The learner pages: `/learn` (the catalog for people), `/learn/{slug}` (a path with progress,
 * graph and marks), `/learn/{slug}/{resourceId}` (one resource; also a cmi5 assignable unit when
 * an LMS launches it), and their script and stylesheet under `/learn/_assets/`.
 */
export const learnRoutes: FastifyPluginAsync<LearnRouteOptions> = async (app, { store }) => {
  const hide = { schema: { hide: true } };

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
    const q = (parsed.data.q ?? '').trim();
    const tag = parsed.data.tag ?? '';
    const level = parsed.data.level ?? '';
    const all = [...catalog.paths.values()];
    const paths = all
      .filter((p) => (tag === '' || p.tags.includes(tag)) && (level === '' || p.level === level) && matches(p, q))
      .sort((a, b) => a.title.localeCompare(b.title, 'en'));
    const tags = [...new Set(all.flatMap((p) => p.tags))].sort();
    const assets = await loadLearnAssets();
    return sendPage(reply, assets, <CatalogPage paths={paths} total={all.length} query={{ q, tag, level }} tags={tags} />, { title: 'Learning paths' });
  };
  app.get('/learn', hide, catalogRoute);
  app.get('/learn/', hide, catalogRoute);

  app.get<{ Params: { slug: string } }>('/learn/:slug', hide, async (request, reply) => {
    const catalog = store.catalog;
    const path = catalog.paths.get(request.params.slug);
    if (!path) return sendError(request, reply, 404, 'No such learning path', `There is no learning path "${request.params.slug.slice(0, 120)}".`);
    if (!wantsHtml(request)) return sendError(request, reply, 406, 'Not acceptable', `This page is HTML; the path as JSON is at /v1/paths/${path.slug}.`);
    const assets = await loadLearnAssets();
    const view = describeLearnerView(path, []);
    return sendPage(reply, assets, <PathPage path={path} view={view} pathTitles={pathTitles(catalog)} />, {
      title: path.title,
      trail: [{ label: 'Learning paths', href: learnUrl() }],
    });
  });

  app.get<{ Params: { slug: string; resourceId: string }; Querystring: Record<string, unknown> }>('/learn/:slug/:resourceId', hide, async (request, reply) => {
    const catalog = store.catalog;
    const { slug, resourceId } = request.params;
    const path = catalog.paths.get(slug);
    if (!path) return sendError(request, reply, 404, 'No such learning path', `There is no learning path "${slug.slice(0, 120)}".`);
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
    const assets = await loadLearnAssets();
    const view = describeLearnerView(path, []);
    return sendPage(reply, assets, <ResourcePage path={path} phase={phase} resource={resource} view={view} pathTitles={pathTitles(catalog)} cmi5={launch !== null} />, {
      title: resource.title,
      trail: [
        { label: 'Learning paths', href: learnUrl() },
        { label: path.title, href: learnUrl(path.slug) },
      ],
      ...(launch ? { cmi5Origins: launch.origins } : {}),
    });
  });

  app.get('/learn/*', hide, async (request, reply) => sendError(request, reply, 404, 'Not found', 'There is no page at this address.'));
};
