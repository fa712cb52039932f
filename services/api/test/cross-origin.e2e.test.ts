import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { listenApp } from './support/app.js';
import { hasChromium, launchChromium } from './support/browser.js';
import { SEED } from './support/fixtures.js';

// A page served from a second origin (another port) calls the service the way a frontend
// does: REST with revalidation, GraphQL POST with the CSRF and Apollo headers (preflighted),
// GraphQL GET without any (urql's default), and an export download that needs its file name.
describe.skipIf(!hasChromium)('a page on another origin, in Chromium', () => {
  let app: App;
  let api = '';
  let site: Server;
  let origin = '';
  let browser: Browser;

  beforeAll(async () => {
    ({ app, base: api } = await listenApp());
    site = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>frontend</title>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await app?.close();
  });

  it('reads REST, GraphQL over POST and GET, problems and an export with its file name', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      const seen = await page.evaluate(
        async ({ api, slug }) => {
          const path = await fetch(`${api}/v1/paths/${slug}`);
          const etag = path.headers.get('etag');
          const again = await fetch(`${api}/v1/paths/${slug}`, { headers: { 'if-none-match': etag ?? '' }, cache: 'no-store' });
          const problem = await fetch(`${api}/v1/paths/no-such-path`);
          const post = await fetch(`${api}/graphql`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/graphql-response+json, application/json;q=0.9',
              'mercurius-require-preflight': 'true',
              'apollographql-client-name': 'web',
              'apollographql-client-version': '1.0.0',
              authorization: 'Bearer not-needed-for-reads',
            },
            body: JSON.stringify({ query: 'query One($slug: ID!) { path(slug: $slug) { title } }', variables: { slug } }),
          });
          const bad = await fetch(`${api}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
            body: JSON.stringify({ query: '{ path(slug: "x") { nope } }' }),
          });
          const get = await fetch(`${api}/graphql?query=${encodeURIComponent(`{ path(slug: "${slug}") { title } }`)}`, {
            headers: { accept: 'application/graphql-response+json, application/json' },
          });
          const download = await fetch(`${api}/v1/paths/${slug}/export/imscc`);
          const bytes = new Uint8Array(await download.arrayBuffer());
          return {
            path: { status: path.status, title: ((await path.json()) as { title: string }).title, etag: etag !== null },
            again: again.status,
            problem: { status: problem.status, type: problem.headers.get('content-type') },
            post: { status: post.status, type: post.headers.get('content-type'), body: await post.json() },
            bad: { status: bad.status, type: bad.headers.get('content-type'), code: ((await bad.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code },
            get: { status: get.status, body: await get.json() },
            download: { status: download.status, disposition: download.headers.get('content-disposition'), zip: bytes[0] === 0x50 && bytes[1] === 0x4b },
          };
        },
        { api, slug: SEED },
      );
      expect(seen).toEqual({
        path: { status: 200, title: 'Batch vs Stream Processing', etag: true },
        again: 304,
        problem: { status: 404, type: 'application/problem+json; charset=utf-8' },
        post: { status: 200, type: 'application/graphql-response+json; charset=utf-8', body: { data: { path: { title: 'Batch vs Stream Processing' } } } },
        bad: { status: 400, type: 'application/graphql-response+json; charset=utf-8', code: 'GRAPHQL_VALIDATION_FAILED' },
        get: { status: 200, body: { data: { path: { title: 'Batch vs Stream Processing' } } } },
        download: { status: 200, disposition: `attachment; filename="${SEED}.imscc"`, zip: true },
      });
    } finally {
      await page.close();
    }
  }, 60_000);
});
