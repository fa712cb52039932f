import type { Catalog } from '@learnpath/content';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../src/index.js';
import { build, buildShared } from './support/app.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';
import { expectNoLeak, expectProblem } from './support/problems.js';

// When something breaks inside, the client learns only that it did and which request it was;
// the log learns everything.

interface LogLine {
  level: number;
  reqId?: string;
  msg?: string;
  err?: { message?: string; stack?: string; type?: string };
}

const logged: LogLine[] = [];
const SECRET = 'ENOENT: no such file or directory, open /srv/learnpath/secret/config.json';
const app = buildShared({
  rateLimit: false,
  logger: { level: 'error', stream: { write: (line: string) => void logged.push(JSON.parse(line) as LogLine) } },
});

beforeAll(() => {
  // Routes that fail the way bugs and broken dependencies do. Registered before ready, so they
  // get the same error handling as every route of the service.
  app.get('/v1/test/throws', async () => {
    throw new Error(SECRET);
  });
  app.get('/v1/test/throws-sync', () => {
    const object = undefined as unknown as { field: string };
    return object.field;
  });
  app.get('/v1/test/throws-non-error', async () => {
    throw `raw string thrown from /srv/learnpath/src/handler.ts:12`; // eslint-disable-line no-throw-literal
  });
  app.get('/v1/test/throws-with-status', async () => {
    throw Object.assign(new Error(`upstream said: ${SECRET}`), { statusCode: 503, code: 'EUPSTREAM' });
  });
  app.get('/v1/test/throws-4xx-from-a-library', async () => {
    throw Object.assign(new Error(`FST_ERR_SOMETHING in /srv/learnpath/node_modules/lib/index.js:1`), { statusCode: 400, code: 'FST_ERR_SOMETHING' });
  });
  app.get(
    '/v1/test/bad-response',
    { schema: { response: { 200: z.strictObject({ id: z.string().max(10) }) } } },
    async () => ({ id: 42, internal: '/srv/learnpath/secret' }) as never,
  );
  app.get('/v1/test/rejects-later', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new RangeError('Invalid array length at /srv/learnpath/src/listing.ts:40:7');
  });
});

const FAILING = [
  '/v1/test/throws',
  '/v1/test/throws-sync',
  '/v1/test/throws-non-error',
  '/v1/test/throws-with-status',
  '/v1/test/bad-response',
  '/v1/test/rejects-later',
];

describe('REST errors leak nothing', () => {
  it.each(FAILING)('%s: a generic 500 problem with the request id, no stack, path or library message', async (url) => {
    logged.length = 0;
    const response = await app.inject({ url, headers: { 'accept-encoding': 'identity' } });
    const problem = expectProblem(response, 500);
    expect(problem.title).toBe('Internal Server Error');
    expect(problem.requestId).toMatch(/\S/);
    expect(problem.detail).toContain(problem.requestId);
    expect(problem.instance).toBe(url);
    expectNoLeak(response.body);
    expect(response.body).not.toMatch(/secret|EUPSTREAM|undefined|reading 'field'|RangeError|Invalid array/);
    // No header tells which server software or version answered.
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');

    // The log has it all, under the same request id.
    const line = logged.find((l) => l.reqId === problem.requestId && l.level >= 50);
    expect(line, JSON.stringify(logged)).toBeDefined();
    expect(JSON.stringify(line)).toMatch(/secret|field|raw string|Invalid array|id/);
  });

  it('a 4xx raised with a library message is answered in our words', async () => {
    const response = await app.inject('/v1/test/throws-4xx-from-a-library');
    expectProblem(response, 400);
    expectNoLeak(response.body);
  });

  it('keeps serving after each failure', async () => {
    for (const url of FAILING) await app.inject(url);
    expect((await app.inject(`/v1/paths/${SEED}`)).statusCode).toBe(200);
  });

  it('a problem never echoes a request body or header back', async () => {
    const marker = '<script>alert("x")</script>';
    const response = await app.inject({
      method: 'POST',
      url: `/v1/paths/${SEED}/progress`,
      headers: { 'content-type': 'application/json', 'x-evil': marker },
      payload: JSON.stringify({ completed: [marker] }),
    });
    expectProblem(response, 400);
    expect(response.headers['content-type']).not.toContain('html');
    expect(response.body).not.toContain('<script>');
  });
});

interface GraphqlReply {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string; requestId?: string } }[];
}

async function graphql(target: App, query: string): Promise<{ status: number; body: GraphqlReply; raw: string }> {
  const response = await target.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, payload: JSON.stringify({ query }) });
  return { status: response.statusCode, body: response.json() as GraphqlReply, raw: response.body };
}

describe('GraphQL errors leak nothing', () => {
  it('a resolver that throws gives a masked error with the request id; the log has the detail', async () => {
    const lines: LogLine[] = [];
    const exploding = {
      ...fixtureCatalog().paths.get(SEED)!,
      slug: 'boom',
      get title(): string {
        throw new Error(SECRET);
      },
    };
    const catalog: Catalog = { paths: new Map([['boom', exploding as never]]), hashes: new Map(), files: new Map(), version: 'boom' };
    const broken = await build({
      catalog,
      rateLimit: false,
      logger: { level: 'error', stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } },
    });
    const reply = await graphql(broken, '{ path(slug: "boom") { slug title } }');
    expectNoLeak(reply.raw);
    expect(reply.raw).not.toContain('secret');
    const error = reply.body.errors?.[0];
    expect(error?.message).toBe('Internal server error');
    expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const requestId = error?.extensions?.requestId;
    expect(requestId).toMatch(/\S/);
    const line = lines.find((l) => l.reqId === requestId);
    expect(JSON.stringify(line)).toContain('/srv/learnpath/secret/config.json');
  });

  describe('with NODE_ENV=production', () => {
    const production = buildShared(() => {
      vi.stubEnv('NODE_ENV', 'production');
      return { rateLimit: false };
    });
    afterAll(() => {
      vi.unstubAllEnvs();
    });

    it.each([
      ['a misspelt field', `{ path(slug: "${SEED}") { titel } }`],
      ['a misspelt root field', '{ pth(slug: "x") { title } }'],
      ['a misspelt argument', `{ path(slugg: "${SEED}") { title } }`],
      ['a misspelt type in a fragment', `{ path(slug: "${SEED}") { ... on LearningPat { title } } }`],
      ['a misspelt enum value', '{ resources(filter: { kind: VIDEOO }) { totalCount } }'],
    ])('%s gets no "did you mean" suggestion', async (_name, query) => {
      const reply = await graphql(production, query);
      expect(reply.status).toBe(400);
      expect(reply.body.errors?.length).toBeGreaterThan(0);
      expect(reply.raw).not.toMatch(/did you mean/i);
    });

    it('and in development the suggestions help', async () => {
      vi.unstubAllEnvs();
      const development = await build({ rateLimit: false });
      expect((await graphql(development, '{ pth(slug: "x") { title } }')).raw).toMatch(/Did you mean/);
    });
  });
});
