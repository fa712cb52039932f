import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/index.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';

// Property tests: whatever a client sends to any REST route, the service answers; never with
// a 5xx, and every 4xx is a problem document whose type, title and status agree.

let app: App;
beforeAll(async () => {
  app = await buildApp({ catalog: fixtureCatalog(), rateLimit: false });
});
afterAll(() => app.close());

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** The invariant every answer must hold. */
function checkAnswer(answer: Answer, what: string, method = 'GET'): void {
  if (answer.statusCode >= 500) throw new Error(`${what} → ${answer.statusCode}: ${answer.body.slice(0, 300)}`);
  // HEAD answers carry the headers of a GET but no body.
  if (answer.statusCode >= 400 && method === 'HEAD') {
    if (!String(answer.headers['content-type']).startsWith('application/problem+json')) throw new Error(`${what} → ${answer.statusCode} as ${String(answer.headers['content-type'])}`);
  } else if (answer.statusCode >= 400) {
    const type = String(answer.headers['content-type']);
    if (!type.startsWith('application/problem+json')) throw new Error(`${what} → ${answer.statusCode} as ${type}`);
    const problem = JSON.parse(answer.body) as Record<string, unknown>;
    if (typeof problem['type'] !== 'string' || typeof problem['title'] !== 'string' || problem['status'] !== answer.statusCode) {
      throw new Error(`${what} → ${answer.statusCode} with a malformed problem: ${answer.body.slice(0, 300)}`);
    }
  }
}

// Names the routes know, so that the fuzzer reaches validation of values, not just unknown keys.
const KNOWN_KEYS = ['q', 'tag', 'level', 'kind', 'maxMinutes', 'sort', 'limit', 'cursor', 'path', 'format', '__proto__', 'constructor', 'limit[]', 'a[b]'];
const INTERESTING_VALUES = [
  '', '0', '1', '-1', '100', '101', '1e308', 'NaN', 'Infinity', '0x10', ' 5', 'title', '-title', 'totalMinutes', 'mermaid', 'json',
  'beginner', 'video', 'kafka', SEED, '%', '%E0%A4%A', '%00', '%FF', '..%2F..', 'null', 'undefined', '[]', '{}', '\u0000', 'é', '🙂',
];

/** One query parameter: a known or random key, an interesting or random value, raw or encoded. */
const parameterArb = fc.tuple(
  fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 12 })),
  fc.oneof(fc.constantFrom(...INTERESTING_VALUES), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.double().map(String), fc.integer().map(String)),
  fc.boolean(),
);

/** A whole query string, sometimes with characters left unencoded on purpose. */
const queryArb = fc
  .array(parameterArb, { maxLength: 8 })
  .map((parameters) =>
    parameters
      .map(([key, value, encode]) => (encode ? `${encodeURIComponent(key)}=${encodeURIComponent(value)}` : `${key}=${value}`.replace(/[#\s]/g, '')))
      .join('&'),
  );

/** A path segment: a real id, a random string (encoded), or raw bytes of an attack. */
const segmentArb = fc.oneof(
  fc.constantFrom(SEED, 'foundations', 'batch-processing', 'alpha-streams', 'markdown', 'jsonld', 'imscc', 'cmi5', 'nope'),
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '%00', '..', '%2e%2e', '..%2F..%2Fetc', 'A'.repeat(300), '%C0%AF', 'a%20b', 'a;b', 'a,b'),
);

/** The GET routes, their parameters filled from `segments`. */
const GET_ROUTES: ((s: string[]) => string)[] = [
  () => '/v1/paths',
  () => '/v1/resources',
  ([a]) => `/v1/paths/${a}`,
  ([a]) => `/v1/paths/${a}/graph`,
  ([a, b]) => `/v1/paths/${a}/phases/${b}`,
  ([a, b]) => `/v1/paths/${a}/resources/${b}`,
  ([a, b]) => `/v1/paths/${a}/export/${b}`,
  () => '/healthz',
];

const ACCEPTS = [undefined, '*/*', 'application/json', 'text/plain', 'application/problem+json', 'image/png', 'text/*;q=0.5, */*;q=0', '', ',,,;;;', 'application/json;q=abc'];

describe('fuzzing the REST API', () => {
  it('random query strings, segments and Accept headers on every GET route: no 5xx, every 4xx a problem', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: GET_ROUTES.length - 1 }),
        fc.array(segmentArb, { minLength: 2, maxLength: 2 }),
        queryArb,
        fc.constantFrom(...ACCEPTS),
        async (route, segments, query, accept) => {
          const url = `${GET_ROUTES[route]!(segments)}${query === '' ? '' : `?${query}`}`;
          const answer = await app.inject({ url, headers: accept === undefined ? {} : { accept } });
          checkAnswer(answer, `GET ${url} (Accept ${accept})`);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random JSON bodies to the progress route: no 5xx, every 4xx a problem', async () => {
    const ids = fc.constantFrom('batch-processing', 'stream-processing', 'nope', '', 'A', '../x', '__proto__');
    const bodyArb = fc.oneof(
      fc.jsonValue(),
      fc.record({ completed: fc.array(fc.oneof(ids, fc.jsonValue()), { maxLength: 20 }) }),
      fc.record(
        { completed: fc.array(ids, { maxLength: 20 }), completedPaths: fc.array(fc.oneof(ids, fc.jsonValue()), { maxLength: 5 }), extra: fc.jsonValue() },
        { requiredKeys: ['completed'] },
      ),
      fc.dictionary(fc.oneof(fc.constantFrom('completed', '__proto__', 'constructor', 'prototype'), fc.string()), fc.jsonValue(), { maxKeys: 5 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(SEED, 'alpha-streams', 'nope', '%', 'A'.repeat(200)), bodyArb, async (slug, body) => {
        const url = `/v1/paths/${slug}/progress`;
        const answer = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) ?? 'null' });
        checkAnswer(answer, `POST ${url} ${JSON.stringify(body)?.slice(0, 200)}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes, content types and methods: no 5xx, every 4xx a problem', async () => {
    const contentTypes = ['application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', '', 'application/json;;', 'multipart/form-data'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'OPTIONS', 'HEAD'),
        fc.constantFrom(`/v1/paths/${SEED}/progress`, '/v1/paths', `/v1/paths/${SEED}`, '/v2/nothing', '/', '/healthz'),
        fc.constantFrom(...contentTypes),
        fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')), fc.json()),
        async (method, url, contentType, payload) => {
          const headers: Record<string, string> = contentType === '' ? {} : { 'content-type': contentType };
          const answer = await app.inject({ method: method as 'POST', url, headers, payload: method === 'GET' || method === 'HEAD' ? undefined : payload });
          checkAnswer(answer, `${method} ${url} as ${contentType}: ${payload.slice(0, 100)}`, method);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
