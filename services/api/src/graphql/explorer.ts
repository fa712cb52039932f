import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { LazyStaticAsset, sendStaticAsset, type StaticAsset } from '../http/static-asset.js';

/** Options of the explorer. */
export interface ExplorerOptions {
  /** Where the GraphQL endpoint is, as the browser sees it. */
  endpoint: string;
  /** The query the editor opens with when the URL gives none. */
  defaultQuery: string;
}

/** The Content-Security-Policy of the explorer: nothing but this origin, no inline script. */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const require = createRequire(import.meta.url);

// Every asset comes from an installed npm package: nothing is fetched from a CDN, so the
// explorer works offline, on an intranet and under the strict policy above.
const PACKAGE_ASSETS: Readonly<Record<string, { pkg: string; file: string; type: string }>> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css; charset=utf-8' },
};

// The UMD builds are not in the packages' "exports", so they are found next to package.json.
const packageFile = (pkg: string, file: string): string => join(dirname(require.resolve(`${pkg}/package.json`)), file);

// Starts GraphiQL from a file, not an inline script, so script-src needs no 'unsafe-inline'.
const START_SCRIPT = `'use strict';
(function () {
  var root = document.getElementById('graphiql');
  var params = new URLSearchParams(window.location.search);
  var fetcher = GraphiQL.createFetcher({ url: new URL(root.dataset.endpoint, window.location.href).href });
  var props = { fetcher: fetcher, defaultQuery: root.dataset.defaultQuery, defaultEditorToolbarOpen: true };
  if (params.has('query')) props.query = params.get('query');
  if (params.has('variables')) props.variables = params.get('variables');
  if (params.has('operationName')) props.operationName = params.get('operationName');
  root.textContent = '';
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
`;

const PAGE_STYLE = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

type Asset = StaticAsset;

// Compressed once, on first request: a megabyte of GraphiQL is not worth compressing per request,
// nor at start-up for a service whose explorer may never be opened.
function makeAsset(type: string, body: Buffer): Asset {
  return new LazyStaticAsset(type, body, `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`, 9);
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function pageHtml(options: ExplorerOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Learnpath GraphQL explorer</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.min.css">
<link rel="stylesheet" href="/graphiql/assets/explorer.css">
</head>
<body>
<div id="graphiql" data-endpoint="${escapeHtml(options.endpoint)}" data-default-query="${escapeHtml(options.defaultQuery)}">Loading the GraphQL explorer…</div>
<script src="/graphiql/assets/react.production.min.js"></script>
<script src="/graphiql/assets/react-dom.production.min.js"></script>
<script src="/graphiql/assets/graphiql.min.js"></script>
<script src="/graphiql/assets/explorer.js"></script>
</body>
</html>
`;
}


/** Serves GraphiQL at `/graphiql`, with React and GraphiQL from the installed packages. */
export const explorerRoutes: FastifyPluginAsync<ExplorerOptions> = async (app, options) => {
  const assets = new Map<string, Asset>();
  for (const [name, { pkg, file, type }] of Object.entries(PACKAGE_ASSETS)) assets.set(name, makeAsset(type, readFileSync(packageFile(pkg, file))));
  assets.set('explorer.js', makeAsset('text/javascript; charset=utf-8', Buffer.from(START_SCRIPT)));
  assets.set('explorer.css', makeAsset('text/css; charset=utf-8', Buffer.from(PAGE_STYLE)));
  const page = makeAsset('text/html; charset=utf-8', Buffer.from(pageHtml(options)));

  const pageRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('content-security-policy', EXPLORER_CSP).header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
    return sendStaticAsset(request, reply, page, 'no-cache');
  };
  app.get('/graphiql', { schema: { hide: true } }, pageRoute);
  app.get('/graphiql/', { schema: { hide: true } }, pageRoute);
  app.get<{ Params: { file: string } }>('/graphiql/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) {
      return reply
        .code(404)
        .type('application/problem+json; charset=utf-8')
        .send({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'The explorer has no such asset.' });
    }
    return sendStaticAsset(request, reply, asset, 'public, max-age=86400');
  });
};
