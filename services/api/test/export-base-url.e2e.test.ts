import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { listenApp } from './support/app.js';
import { listeningBaseUrl } from '../src/http/base-url.js';
import { SEED } from './support/fixtures.js';

// Exports made without a configured public base URL: links come from the address the service
// listens at, never from the Host header a client sends.

const HOSTILE = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

describe('exports without a public base URL', () => {
  let app: App;
  let base: string;

  beforeAll(async () => {
    ({ app } = await listenApp({ trustProxy: true }));
    base = listeningBaseUrl(app.server);
  });
  afterAll(async () => {
    await app.close();
  });

  it('link to the address the service listens at', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(['jsonld', 'cmi5', 'imscc', 'imscc-1.1'])('%s ignores a hostile Host header', async (format) => {
    const response = await app.inject({ url: `/v1/paths/${SEED}/export/${format}`, headers: HOSTILE });
    expect(response.statusCode).toBe(200);
    const body = response.rawPayload.toString('latin1');
    expect(body).not.toContain('evil.example');
    if (format === 'jsonld' || format === 'cmi5') expect(body).toContain(`${base}/`);
  });

  it('gives JSON-LD ids on the listening address', async () => {
    const response = await app.inject({ url: `/v1/paths/${SEED}/export/jsonld`, headers: HOSTILE });
    const document = JSON.parse(response.body) as { '@id': string };
    expect(document['@id'].startsWith(`${base}/`)).toBe(true);
  });

  it('is the same for every client, so one cached export serves all', async () => {
    const first = await app.inject({ url: `/v1/paths/${SEED}/export/cmi5`, headers: { host: 'a.example' } });
    const second = await app.inject({ url: `/v1/paths/${SEED}/export/cmi5`, headers: { host: 'b.example' } });
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
  });
});

describe('listeningBaseUrl', () => {
  it('brackets IPv6 addresses and falls back before listening', () => {
    expect(listeningBaseUrl({ address: () => ({ address: '::1', family: 'IPv6', port: 8080 }) })).toBe('http://[::1]:8080');
    expect(listeningBaseUrl({ address: () => ({ address: '0.0.0.0', family: 'IPv4', port: 3000 }) })).toBe('http://0.0.0.0:3000');
    expect(listeningBaseUrl({ address: () => null })).toBe('http://localhost');
  });
});
