import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import type { ReactElement } from 'react';
import type { Catalog } from '@learnpath/content';
import type { LearningPath } from '@learnpath/schema';
import { loadLearnAssets, type Asset, type LearnAssets } from './assets.js';
import { createNonce, learnerPagePolicy } from './csp.js';
import { ErrorPage } from './pages/error-page.js';
import { Layout, type LayoutSession } from './pages/layout.js';
import { renderDocument } from './render.js';
import { redactUrl } from '../plugins/log-redaction.js';
import { sendStaticAsset } from '../http/static-asset.js';

// Browsers get pages; clients asking for JSON get problem details, as from the rest of the service.
const ERROR_TYPES = ['text/html', 'application/problem+json', 'application/json'];

/** Whether the client prefers an HTML page to problem details (browsers do; no Accept counts as a browser). */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (accept === undefined || accept === '') return true;
  return new Negotiator({ headers: { accept } }).mediaType(ERROR_TYPES) === 'text/html';
}

/** Sends a hashed, precompressed asset with long caching. */
export function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  return sendStaticAsset(request, reply, asset, 'public, max-age=31536000, immutable');
}

/** How a page is sent. */
export interface PageOptions {
  title: string;
  trail?: { label: string; href: string }[];
  cmi5Origins?: string[];
  status?: number;
  /** The learner's session, when the page is shown in one: a sign-out form and the CSRF token for the script. */
  session?: LayoutSession;
}

/** Sends a learner page with its own nonce and Content-Security-Policy. */
export async function sendPage(reply: FastifyReply, assets: LearnAssets, body: ReactElement, options: PageOptions): Promise<FastifyReply> {
  const nonce = createNonce();
  const script = options.cmi5Origins ? assets.cmi5 : assets.page;
  const html = renderDocument(
    <Layout
      title={options.title}
      nonce={nonce}
      stylesheet={`/learn/_assets/${assets.stylesheet.name}`}
      scripts={[`/learn/_assets/${script.name}`]}
      {...(options.trail ? { trail: options.trail } : {})}
      {...(options.session ? { session: options.session } : {})}
    >
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
    .send(html);
}

/** Answers an error as a page for browsers and as problem details for API clients. */
export async function sendError(request: FastifyRequest, reply: FastifyReply, status: number, title: string, detail: string, headers: Record<string, string> = {}): Promise<FastifyReply> {
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if (wantsHtml(request)) {
    const assets = await loadLearnAssets();
    return sendPage(reply, assets, <ErrorPage status={status} title={title} detail={detail} />, { title, status });
  }
  const instance = request.url.split('?', 1)[0] ?? '';
  return reply
    .code(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify({ type: 'about:blank', title, status, detail, instance: redactUrl(instance).slice(0, 1000), requestId: request.id }));
}

/** The path `slug` names in `catalog`, or null once a 404 (page or problem) has been sent for it. */
export async function findPathOrSend404(catalog: Catalog, slug: string, request: FastifyRequest, reply: FastifyReply): Promise<LearningPath | null> {
  const path = catalog.paths.get(slug);
  if (path) return path;
  await sendError(request, reply, 404, 'No such learning path', `There is no learning path "${slug.slice(0, 120)}".`);
  return null;
}
