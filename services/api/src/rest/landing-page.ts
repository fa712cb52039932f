import { createHash } from 'node:crypto';
import { HtmlSafeString, safe } from 'escape-html-template-tag';
import type { ServiceLink } from './service-links.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem;margin-bottom:.25rem}p.lead{color:#4a5468;margin-top:0}
li{margin:.35rem 0}a{color:#1f5fbf}code{font-size:.9em}`;

// The package's default export (the tag) is typed as CommonJS but loaded as ESM; its class is
// what the tag returns, and is the same in both.
const html = (parts: TemplateStringsArray, ...values: unknown[]): HtmlSafeString => new HtmlSafeString(parts, values);

/** The landing page's Content-Security-Policy: nothing but its own stylesheet, no script. */
export const LANDING_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Options of the landing page. */
export interface LandingPage {
  /** The name of the service. */
  name: string;
  /** One sentence on what it is. */
  description: string;
  /** The content version served. */
  contentVersion: string;
  /** How many paths are served. */
  paths: number;
  /** Where to go. */
  links: readonly ServiceLink[];
}

/** Renders the landing page of `GET /` for browsers; every value is escaped. */
export function renderLandingPage(page: LandingPage): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.name}</title>
<style>${safe(STYLE)}</style>
</head>
<body>
<h1>${page.name}</h1>
<p class="lead">${page.description}</p>
<p>Serving ${page.paths} learning path${page.paths === 1 ? '' : 's'} (content version <code>${page.contentVersion}</code>).</p>
<ul>
${page.links.map((link) => html`<li><a href="${link.href}">${link.title}</a> <code>${link.href}</code></li>\n`)}</ul>
</body>
</html>
`.toString();
}
