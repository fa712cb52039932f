import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '@learnpath/api';
import { createLargeCatalog } from './catalog-fixture.js';

// @learnpath/client in a browser: bundled for the browser platform (no Node built-ins may be
// needed), loaded into a page of another origin, paging through the real service over CORS.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing, but CI requires the browser test`);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe.skipIf(!hasChromium)('@learnpath/client in Chromium', () => {
  let app: App;
  let browser: Browser;
  let baseUrl = '';
  let bundle = '';
  let work = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'learnpath-client-browser-'));
    await build({
      entry: { client: entry },
      format: ['iife'],
      globalName: 'LearnpathClient',
      platform: 'browser',
      target: 'es2022',
      outDir: work,
      noExternal: [/.*/],
      dts: false,
      silent: true,
      config: false,
    });
    bundle = await readFile(join(work, 'client.global.js'), 'utf8');
    app = await buildApp({ catalog: createLargeCatalog(250), rateLimit: false });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('pages through every path and reads a problem from a page on another origin', async () => {
    const page = await browser.newPage();
    try {
      await page.setContent('<!doctype html><title>app</title>');
      await page.addScriptTag({ content: bundle });
      const result = await page.evaluate(async (base) => {
        type Api = typeof import('../src/index.js');
        const api = (globalThis as unknown as { LearnpathClient: Api }).LearnpathClient;
        const client = api.createLearnpathClient({ baseUrl: base });
        const slugs: string[] = [];
        for await (const summary of api.paginate(client, '/v1/paths', { limit: 100 })) slugs.push(summary.slug);
        const missing = await client.GET('/v1/paths/{slug}', { params: { path: { slug: 'no-such-path' } } });
        return { count: slugs.length, unique: new Set(slugs).size, status: missing.error?.status, origin: location.origin };
      }, baseUrl);
      expect(result).toEqual({ count: 250, unique: 250, status: 404, origin: 'null' });
    } finally {
      await page.close();
    }
  }, 60_000);
});
