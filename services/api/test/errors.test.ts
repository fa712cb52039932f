import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/index.js';
import { DEFAULT_BODY_LIMIT } from '../src/http/request-limits.js';
import { expectProblem } from './support/problems.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';

let app: App;
const logged: string[] = [];

beforeAll(async () => {
  app = await buildApp({
    catalog: fixtureCatalog(),
    logger: { level: 'error', stream: { write: (line: string) => void logged.push(line) } },
  });
  // A route that fails the way a bug would, with internals in its message.
  app.get('/v1/boom', async () => {
    throw new Error('ENOENT: no such file /srv/secret/config.json');
  });
});
afterAll(() => app.close());

describe('problem details', () => {
  it('400 for a query that fails validation, naming each problem', async () => {
    const problem = expectProblem(await app.inject('/v1/paths?limit=500&sort=up'), 400);
    expect(problem.type).toBe('urn:learnpath:problem:invalid-request');
    expect(problem.instance).toBe('/v1/paths');
    expect(problem.errors?.map((e) => [e.in, e.pointer])).toEqual([
      ['query', '/sort'],
      ['query', '/limit'],
    ]);
  });

  it('400 for a body that is not JSON, and for an empty JSON body', async () => {
    const url = `/v1/paths/${SEED}/progress`;
    const broken = expectProblem(await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{"completed": [' }), 400);
    expect(broken.detail).toBe('The request body is not valid JSON.');
    expectProblem(await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '' }), 400);
  });

  it('400 for prototype poisoning in a body', async () => {
    const payload = '{"completed": [], "__proto__": {"polluted": true}}';
    expectProblem(await app.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, headers: { 'content-type': 'application/json' }, payload }), 400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('404 for an unknown address, with a hint', async () => {
    const problem = expectProblem(await app.inject('/v2/paths'), 404);
    expect(problem.instance).toBe('/v2/paths');
    expect(problem.detail).toContain('/v1');
  });

  it('405 with Allow for a known address and another method', async () => {
    const del = await app.inject({ method: 'DELETE', url: `/v1/paths/${SEED}` });
    expectProblem(del, 405);
    expect(del.headers.allow).toBe('GET, HEAD');
    const get = await app.inject({ method: 'GET', url: `/v1/paths/${SEED}/progress` });
    expectProblem(get, 405);
    expect(get.headers.allow).toBe('POST');
    const put = await app.inject({ method: 'PUT', url: '/v1/paths?limit=1' });
    expect(put.headers.allow).toBe('GET, HEAD');
  });

  it('406 when Accept rules out JSON (and for Mermaid when it rules out text)', async () => {
    expectProblem(await app.inject({ url: `/v1/paths/${SEED}`, headers: { accept: 'application/xml' } }), 406);
    expectProblem(await app.inject({ url: '/v1/paths', headers: { accept: 'text/html' } }), 406);
    expectProblem(await app.inject({ url: `/v1/paths/${SEED}/graph?format=mermaid`, headers: { accept: 'application/json' } }), 406);
    expectProblem(
      await app.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, headers: { accept: 'text/csv' }, payload: { completed: [] } }),
      406,
    );
    // Browsers' usual headers and q-values still get JSON.
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    expect((await app.inject({ url: `/v1/paths/${SEED}`, headers: { accept: browser } })).statusCode).toBe(200);
    expect((await app.inject({ url: `/v1/paths/${SEED}`, headers: { accept: 'application/*' } })).statusCode).toBe(200);
    expectProblem(await app.inject({ url: `/v1/paths/${SEED}`, headers: { accept: 'application/json;q=0' } }), 406);
  });

  it('413 for a body over the limit', async () => {
    const payload = JSON.stringify({ completed: [], padding: 'x'.repeat(DEFAULT_BODY_LIMIT) });
    expect(payload.length).toBeGreaterThan(DEFAULT_BODY_LIMIT);
    const problem = expectProblem(
      await app.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, headers: { 'content-type': 'application/json' }, payload }),
      413,
    );
    expect(problem.detail).toBe('The request body is larger than this service accepts.');
  });

  it('415 for a body that is not JSON by media type', async () => {
    expectProblem(
      await app.inject({ method: 'POST', url: `/v1/paths/${SEED}/progress`, headers: { 'content-type': 'text/plain' }, payload: 'completed=1' }),
      415,
    );
  });

  it('400 for a malformed percent-encoding in the URL', async () => {
    expectProblem(await app.inject('/v1/paths/%E0%A4%A'), 400);
  });

  it('500 says nothing about internals; the log has the details with the request id', async () => {
    const response = await app.inject('/v1/boom');
    const problem = expectProblem(response, 500);
    expect(response.body).not.toMatch(/ENOENT|secret|\/srv|stack|Error:/);
    expect(problem.detail).toContain(problem.requestId!);
    const line = logged.map((l) => JSON.parse(l)).find((l) => l.reqId === problem.requestId);
    expect(line?.err?.message).toContain('/srv/secret/config.json');
  });
});

describe('429', () => {
  let limited: App;
  beforeAll(async () => {
    limited = await buildApp({ catalog: fixtureCatalog(), rateLimit: { max: 2, timeWindow: 60_000 } });
  });
  afterAll(() => limited.close());

  it('answers problem+json with Retry-After and RateLimit headers once a client is over the limit', async () => {
    expect((await limited.inject('/v1/paths')).statusCode).toBe(200);
    const second = await limited.inject('/v1/paths');
    expect(second.headers['ratelimit-remaining']).toBe('0');
    const response = await limited.inject('/v1/paths');
    expectProblem(response, 429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.headers['ratelimit-limit']).toBe('2');
  });

  it('leaves a client on the allow list alone', async () => {
    const open = await buildApp({ catalog: fixtureCatalog(), rateLimit: { max: 1, timeWindow: 60_000, allowList: ['127.0.0.1'] } });
    for (let i = 0; i < 3; i++) expect((await open.inject('/v1/paths')).statusCode).toBe(200);
    await open.close();
  });
});
