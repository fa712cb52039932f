import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';
import { createTestApp } from './support/app.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';

// What browsers and links send besides the API's own parameters: an empty search box,
// cache-busters, campaign tags, and addresses with a trailing slash.
let app: App;
beforeAll(async () => {
  app = await createTestApp({ catalog: fixtureCatalog(), rateLimit: false });
});
afterAll(async () => {
  await app.close();
});

describe('query strings', () => {
  it('treats an empty or blank q as no search', async () => {
    const all = await app.inject('/v1/paths');
    for (const url of ['/v1/paths?q=', '/v1/paths?q=%20%20', '/v1/resources?q=']) {
      const response = await app.inject(url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    }
    const empty = await app.inject('/v1/paths?q=');
    expect(empty.json()).toEqual(all.json());
    expect(empty.headers.etag).toBe(all.headers.etag);
    // A search still searches.
    expect((await app.inject('/v1/paths?q=warehouse')).json()).toMatchObject({ total: 1, items: [{ slug: 'zeta-warehouse' }] });
  });

  it('ignores parameters it does not know, and answers every spelling of a query alike', async () => {
    const plain = await app.inject('/v1/paths?level=beginner&limit=5');
    expect(plain.statusCode).toBe(200);
    for (const url of [
      '/v1/paths?level=beginner&limit=5&_=1733000000000',
      '/v1/paths?utm_source=newsletter&utm_medium=email&limit=5&level=beginner',
      '/v1/paths?limit=5&level=beginner&sort=title',
    ]) {
      const response = await app.inject(url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      expect(response.body).toBe(plain.body);
      expect(response.headers.etag).toBe(plain.headers.etag);
    }
    for (const url of [`/v1/resources?kind=video&_=1`, `/v1/paths/${SEED}/graph?_=1`]) {
      expect((await app.inject(url)).statusCode, url).toBe(200);
    }
  });

  it('still refuses a known parameter with a bad value', async () => {
    const response = await app.inject('/v1/paths?level=expert&_=1');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ in: 'query', pointer: '/level' }] });
  });
});

describe('trailing slashes', () => {
  it('redirects every address with a trailing slash to the one without, keeping the query and the method', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/v1/paths/', '/v1/paths'],
      ['GET', '/v1/paths/?level=beginner', '/v1/paths?level=beginner'],
      ['GET', '/v1/resources/', '/v1/resources'],
      ['GET', `/v1/paths/${SEED}/`, `/v1/paths/${SEED}`],
      ['GET', `/v1/paths/${SEED}/graph/?format=mermaid`, `/v1/paths/${SEED}/graph?format=mermaid`],
      ['GET', '/healthz/', '/healthz'],
      ['POST', `/v1/paths/${SEED}/progress/`, `/v1/paths/${SEED}/progress`],
    ];
    for (const [method, url, location] of cases) {
      const response = await app.inject({ method: method as 'GET' | 'POST', url });
      expect(response.statusCode, `${method} ${url}`).toBe(308);
      expect(response.headers.location).toBe(location);
    }
  });

  it('answers 404 for a trailing slash on an address that does not exist', async () => {
    for (const url of ['/v1/nothing/', `/v1/paths/${SEED}/nothing/`]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
