import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '@learnpath/content';
import { buildApp, type App } from '../src/app.js';
import { CatalogStore } from '../src/catalog/store.js';
import { fixturePaths, SEED } from './support/fixtures.js';

let app: App;
let store: CatalogStore;

beforeAll(async () => {
  store = new CatalogStore(createCatalog(fixturePaths));
  app = await buildApp({ store, publicBaseUrl: 'http://learn.example.com' });
});
afterAll(async () => {
  await app.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers: { host: 'learn.example.com', ...headers } });

describe('GET /v1/paths/{slug}/export/{format}', () => {
  it('serves the Common Cartridge 1.3 zip as an attachment named after the slug', async () => {
    const res = await get(`/v1/paths/${SEED}/export/imscc`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.ims.imsccv1p3');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${SEED}.imscc"`);
    expect(res.headers['content-encoding']).toBeUndefined();
    const entries = unzipSync(new Uint8Array(res.rawPayload));
    expect(Object.keys(entries)).toContain('course_settings/module_meta.xml');
    expect(strFromU8(entries['imsmanifest.xml']!)).toContain('<schemaversion>1.3.0</schemaversion>');
    // Pages link back to the service at the address the request used.
    expect(strFromU8(entries['wiki_content/batch-processing.html']!)).toContain(`href="http://learn.example.com/learn/${SEED}/batch-processing"`);
  });

  it.each([
    ['imscc-1.1', 'application/vnd.ims.imsccv1p1', `${SEED}.cc11.imscc`],
    ['imscc-lti', 'application/vnd.ims.imsccv1p3', `${SEED}.lti.imscc`],
    ['cmi5', 'application/xml; charset=utf-8', `${SEED}.cmi5.xml`],
    ['jsonld', 'application/ld+json; charset=utf-8', `${SEED}.jsonld`],
    ['markdown', 'text/markdown; charset=utf-8', `${SEED}.md`],
  ])('serves %s with its content type and file name', async (format, contentType, filename) => {
    const res = await get(`/v1/paths/${SEED}/export/${format}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
  });

  it('serves the Markdown document of the path', async () => {
    const res = await get(`/v1/paths/${SEED}/export/markdown`);
    expect(res.body).toMatch(/^# Batch vs Stream Processing$/m);
    expect(res.body).toContain('### Phase 1: Foundations');
  });

  it('launches cmi5 AUs without a URL at the service resource page', async () => {
    const res = await get(`/v1/paths/${SEED}/export/cmi5`);
    expect(res.body).toContain(`<url>http://learn.example.com/learn/${SEED}/processing-comparison</url>`);
  });

  it('gives a strong ETag per content and format, the same bytes every time, and 304 on If-None-Match', async () => {
    const first = await get(`/v1/paths/${SEED}/export/imscc`);
    const second = await get(`/v1/paths/${SEED}/export/imscc`);
    expect(first.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(Buffer.compare(first.rawPayload, second.rawPayload)).toBe(0);
    const other = await get(`/v1/paths/${SEED}/export/imscc-1.1`);
    expect(other.headers.etag).not.toBe(first.headers.etag);
    const cached = await get(`/v1/paths/${SEED}/export/imscc`, { 'if-none-match': first.headers.etag as string });
    expect(cached.statusCode).toBe(304);
    const json = await get(`/v1/paths/${SEED}/export/jsonld`);
    const jsonCached = await get(`/v1/paths/${SEED}/export/jsonld`, { 'if-none-match': json.headers.etag as string });
    expect(jsonCached.statusCode).toBe(304);
  });

  it('changes the ETag when the path changes', async () => {
    const before = await get(`/v1/paths/${SEED}/export/imscc`);
    const edited = structuredClone(fixturePaths);
    edited[0]!.phases[0]!.resources[0]!.title = 'Batch Processing, Revised';
    store.swap(createCatalog(edited));
    try {
      const after = await get(`/v1/paths/${SEED}/export/imscc`);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(strFromU8(unzipSync(new Uint8Array(after.rawPayload))['imsmanifest.xml']!)).toContain('Batch Processing, Revised');
    } finally {
      store.swap(createCatalog(fixturePaths));
    }
  });

  it('answers an unknown format with a 404 problem listing the formats', async () => {
    const res = await get(`/v1/paths/${SEED}/export/scorm`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json() as { status: number; detail: string; formats: string[] };
    expect(problem.status).toBe(404);
    expect(problem.formats).toEqual(['markdown', 'jsonld', 'imscc', 'imscc-1.1', 'imscc-lti', 'cmi5']);
    expect(problem.detail).toContain('markdown, jsonld, imscc, imscc-1.1, imscc-lti, cmi5');
  });

  it('answers an unknown slug with a 404 problem', async () => {
    const res = await get('/v1/paths/no-such-path/export/imscc');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.json() as { detail: string }).detail).toContain('no-such-path');
  });

  it('answers 406 when Accept rules out the file type', async () => {
    const res = await get(`/v1/paths/${SEED}/export/imscc`, { accept: 'application/json' });
    expect(res.statusCode).toBe(406);
  });
});
