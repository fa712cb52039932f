import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

// The project's own mark for the docs' top bar and tab, in place of the framework's.
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="40" viewBox="0 0 180 40"><rect x="2" y="6" width="28" height="28" rx="6" fill="#1f5fbf"/><path d="M10 12v16h12" stroke="#fff" stroke-width="4" fill="none"/><text x="40" y="27" font-family="system-ui,sans-serif" font-size="20" font-weight="600" fill="#fff">Learnpath API</text></svg>`;
const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f5fbf"/><path d="M10 7v18h13" stroke="#fff" stroke-width="4" fill="none"/></svg>`;

/**
 * The docs page's Content-Security-Policy: its own scripts and styles only (Swagger UI sets
 * style attributes, hence 'unsafe-inline' for styles alone), the document fetched from here.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The Swagger UI options: the project's name and mark, the document at `/openapi.json`, a strict CSP. */
export function docsUiOptions(): FastifySwaggerUiOptions {
  return {
    routePrefix: '/docs',
    // `urls` is what the top bar loads and shows: the document as every client gets it.
    uiConfig: { docExpansion: 'list', deepLinking: true, urls: [{ url: '/openapi.json', name: 'Learnpath API (OpenAPI 3.1)' }] },
    theme: {
      title: 'Learnpath API docs',
      favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: Buffer.from(FAVICON_SVG) }],
    },
    logo: { type: 'image/svg+xml', content: Buffer.from(LOGO_SVG), href: '/', target: '_self' },
    staticCSP: DOCS_CSP,
  };
}
