import { describe, expect, it } from 'vitest';
import { createTestApp } from './support/app.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';

// A page on another origin must be able to read a problem (status, type, errors), not only a
// success: otherwise its fetch fails with a network error and the details are lost.
const PROBLEM_URLS = ['/v1/paths/no-such-path', '/v1/paths?limit=1000', `/v1/paths/${SEED}/phases/nope`, `/v1/paths/${SEED}/graph?format=svg`, '/v1/resources?kind=movie', '/v1/nothing'];

describe('CORS headers on problems', () => {
  it('with the default policy (*), every problem carries Access-Control-Allow-Origin: *', async () => {
    const app = await createTestApp({ catalog: fixtureCatalog(), rateLimit: false });
    try {
      for (const url of PROBLEM_URLS) {
        const response = await app.inject({ url, headers: { origin: 'https://app.example' } });
        expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(response.headers['access-control-allow-origin'], url).toBe('*');
        expect(String(response.headers['access-control-expose-headers'])).toContain('ETag');
      }
    } finally {
      await app.close();
    }
  });

  it('with a list of origins, a problem names the request origin only when it is listed', async () => {
    const app = await createTestApp({ catalog: fixtureCatalog(), rateLimit: false, corsOrigins: ['https://app.example'] });
    try {
      for (const url of PROBLEM_URLS) {
        const listed = await app.inject({ url, headers: { origin: 'https://app.example' } });
        expect(listed.headers['access-control-allow-origin'], url).toBe('https://app.example');
        expect(String(listed.headers.vary), url).toMatch(/origin/i);
        const other = await app.inject({ url, headers: { origin: 'https://evil.example' } });
        expect(other.headers['access-control-allow-origin'], url).toBeUndefined();
      }
    } finally {
      await app.close();
    }
  });
});
