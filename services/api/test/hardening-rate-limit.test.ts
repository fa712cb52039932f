import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp, DEFAULT_RATE_LIMIT, type App } from '../src/index.js';
import { readServerConfig } from '../src/config.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';
import { expectProblem } from './support/problems.js';

// Rate limiting, from the side of a client that sends too much.

const opened: App[] = [];
async function open(options: Partial<Parameters<typeof buildApp>[0]> = {}): Promise<App> {
  const app = await buildApp({ catalog: fixtureCatalog(), ...options });
  opened.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

describe('rate limiting', () => {
  it('is on by default, with the RateLimit headers on every answer', async () => {
    const app = await open();
    const response = await app.inject(`/v1/paths/${SEED}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['ratelimit-limit']).toBe(String(DEFAULT_RATE_LIMIT.max));
    expect(Number(response.headers['ratelimit-remaining'])).toBe(DEFAULT_RATE_LIMIT.max - 1);
    expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThan(0);
  });

  it('answers 429 problem+json with Retry-After and RateLimit-* once a client is over, on every kind of route', async () => {
    const app = await open({ rateLimit: { max: 3, timeWindow: 60_000 } });
    const requests = [
      () => app.inject('/v1/paths'),
      () => app.inject(`/v1/paths/${SEED}/graph?format=mermaid`),
      () => app.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, payload: { completed: [] } }),
    ];
    for (const send of requests) expect((await send()).statusCode).toBe(200);
    for (const send of [...requests, () => app.inject(`/v1/paths/${SEED}/export/markdown`)]) {
      const response = await send();
      const problem = expectProblem(response, 429);
      expect(problem.detail).toMatch(/retry/i);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(response.headers['ratelimit-limit']).toBe('3');
      expect(response.headers['ratelimit-remaining']).toBe('0');
      expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThan(0);
    }
    const graphql = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ paths { totalCount } }' } });
    expect(graphql.statusCode).toBe(429);
    expect(graphql.headers['retry-after']).toBeDefined();
  });

  it('lets the client in again once the window has passed', async () => {
    const app = await open({ rateLimit: { max: 1, timeWindow: 300 } });
    expect((await app.inject('/v1/paths')).statusCode).toBe(200);
    expect((await app.inject('/v1/paths')).statusCode).toBe(429);
    // The event is the end of the window: ask until it has passed.
    await vi.waitFor(async () => expect((await app.inject('/v1/paths')).statusCode).toBe(200), { timeout: 5000, interval: 50 });
  });

  it('counts per client address', async () => {
    const app = await open({ rateLimit: { max: 1, timeWindow: 60_000 } });
    expect((await app.inject({ url: '/v1/paths', remoteAddress: '203.0.113.1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/paths', remoteAddress: '203.0.113.1' })).statusCode).toBe(429);
    expect((await app.inject({ url: '/v1/paths', remoteAddress: '203.0.113.2' })).statusCode).toBe(200);
  });

  it('cannot be dodged with a forged X-Forwarded-For unless the proxy is trusted', async () => {
    const app = await open({ rateLimit: { max: 2, timeWindow: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await app.inject({ url: '/v1/paths', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': `198.51.100.${i}` } })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 429, 429, 429]);

    const behindProxy = await open({ rateLimit: { max: 1, timeWindow: 60_000 }, trustProxy: true });
    for (let i = 0; i < 3; i++) {
      const response = await behindProxy.inject({ url: '/v1/paths', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      expect(response.statusCode).toBe(200);
    }
  });

  it('never limits /healthz, which load balancers poll', async () => {
    const app = await open({ rateLimit: { max: 1, timeWindow: 60_000 } });
    for (let i = 0; i < 5; i++) expect((await app.inject('/healthz')).statusCode).toBe(200);
  });

  it('leaves allow-listed addresses alone and can be turned off', async () => {
    const allowed = await open({ rateLimit: { max: 1, timeWindow: 60_000, allowList: ['127.0.0.1'] } });
    for (let i = 0; i < 3; i++) expect((await allowed.inject('/v1/paths')).statusCode).toBe(200);
    const off = await open({ rateLimit: false });
    const response = await off.inject('/v1/paths');
    expect(response.headers['ratelimit-limit']).toBeUndefined();
  });
});

describe('rate limit settings of the server process', () => {
  it('default to on', () => {
    expect(readServerConfig({}, []).rateLimit).toEqual({ max: DEFAULT_RATE_LIMIT.max, timeWindow: DEFAULT_RATE_LIMIT.timeWindow, allowList: [] });
  });

  it('read RATE_LIMIT_MAX, RATE_LIMIT_WINDOW and RATE_LIMIT_ALLOW; 0 turns limiting off', () => {
    expect(readServerConfig({ RATE_LIMIT_MAX: '50', RATE_LIMIT_WINDOW: '10 seconds', RATE_LIMIT_ALLOW: '10.0.0.5, ::1' }, []).rateLimit).toEqual({
      max: 50,
      timeWindow: '10 seconds',
      allowList: ['10.0.0.5', '::1'],
    });
    expect(readServerConfig({ RATE_LIMIT_MAX: '0' }, []).rateLimit).toBe(false);
    expect(() => readServerConfig({ RATE_LIMIT_MAX: '-1' }, [])).toThrow(/RATE_LIMIT_MAX/);
  });
});
