import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.js';
import { LANDING_CSP } from '../src/rest/landing-page.js';
import { createCatalog } from '@learnpath/content';
import { fixturePaths } from './support/fixtures.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The page's text with character references decoded, as a browser reads attribute values. */
const decode = (html: string): string => html.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));

describe('GET /', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp({ catalog: createCatalog(fixturePaths), rateLimit: false });
  });
  afterAll(async () => {
    await app.close();
  });

  it('gives browsers a landing page linking the paths, docs, explorer and health', async () => {
    const response = await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(LANDING_CSP);
    expect(response.body).toContain('<title>Learnpath API</title>');
    expect(response.body).toContain('headless content API for learning paths');
    for (const href of ['/v1/paths', '/docs', '/openapi.json', '/graphiql', '/healthz']) expect(decode(response.body)).toContain(`<a href="${href}">`);
    expect(response.body).toContain('Serving 4 learning paths');
    expect(decode(response.body)).toContain('<a href="/learn">');
  });

  it('gives API clients a JSON index of the same links', async () => {
    for (const accept of [undefined, '*/*', 'application/json']) {
      const response = await app.inject({ url: '/', headers: accept ? { accept } : {} });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const index = response.json();
      expect(index).toMatchObject({ name: 'Learnpath API', paths: 4, contentVersion: expect.any(String) });
      expect(index.links.map((l: { rel: string; href: string }) => `${l.rel} ${l.href}`)).toEqual([
        'paths /v1/paths',
        'resources /v1/resources',
        'learn /learn',
        'docs /docs',
        'openapi /openapi.json',
        'graphql /graphql',
        'graphiql /graphiql',
        'health /healthz',
      ]);
    }
  });

  it('every link it gives leads somewhere', async () => {
    const index = (await app.inject('/')).json() as { links: { rel: string; href: string }[] };
    for (const { rel, href } of index.links) {
      // The GraphQL endpoint answers queries; every other link is a page or a document.
      const response =
        rel === 'graphql'
          ? await app.inject({ method: 'POST', url: href, payload: { query: '{ __typename }' } })
          : await app.inject({ url: href, headers: { accept: BROWSER_ACCEPT } });
      expect([200, 302], href).toContain(response.statusCode);
    }
  });

  it('answers HEAD and varies on Accept', async () => {
    const head = await app.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
    expect((await app.inject('/')).headers.vary).toContain('accept');
  });
});

describe('GET /, the learner pages and escaping', () => {
  it('links the learner pages', async () => {
    const app = await buildApp({ catalog: createCatalog(fixturePaths), rateLimit: false });
    try {
      const page = await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } });
      expect(decode(page.body)).toContain('<a href="/learn">');
      expect((await app.inject('/')).json().links).toContainEqual(expect.objectContaining({ rel: 'learn', href: '/learn' }));
    } finally {
      await app.close();
    }
  });

  it('escapes what it writes into the page', async () => {
    const { renderLandingPage } = await import('../src/rest/landing-page.js');
    const page = renderLandingPage({ name: 'A <b>"x"</b>', description: '<script>alert(1)</script>', contentVersion: "v'1", paths: 1, links: [] });
    expect(page).toContain('<title>A &lt;b&gt;&quot;x&quot;&lt;&#x2F;b&gt;</title>');
    expect(page).not.toContain('<script>');
    expect(page).toContain('Serving 1 learning path ');
  });
});

describe('GET /docs', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp({ catalog: createCatalog(fixturePaths), rateLimit: false });
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the project name and loads /openapi.json, under a Content-Security-Policy', async () => {
    const page = await app.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Learnpath API docs</title>');
    expect(page.body).toContain('theme/favicon.svg');
    expect(page.body).not.toContain('favicon-32x32.png');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'.*script-src 'self'/);
    const initializer = await app.inject('/docs/static/swagger-initializer.js');
    expect(initializer.body).toContain('"url":"/openapi.json"');
    expect(initializer.body).toContain('Learnpath API (OpenAPI 3.1)');
    expect(initializer.body).toContain('data:image/svg+xml;base64,');
  });
});
