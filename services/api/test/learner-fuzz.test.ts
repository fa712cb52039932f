import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import { buildShared } from './support/app.js';
import { SEED } from './support/fixtures.js';
import { learnCatalog } from './support/learn-catalogs.js';

// Property tests of the routes that read or change learner data: whatever the ids, bodies,
// keys, cookies and CSRF tokens, the service answers without a 5xx; a refusal of an API route is
// a problem document, one of a learner page's route a problem or an HTML page; and a request
// without a valid key or session never succeeds.

let learners: Store;
beforeAll(async () => {
  learners = await openStore({ dataDir: null });
}, 180_000);
afterAll(async () => {
  await learners?.close();
});

const writer = createApiKey('writer', ['progress:read', 'progress:write', 'learners:delete']);
const reader = createApiKey('reader', ['progress:read']);
const app = buildShared(() => ({ catalog: learnCatalog(), learnerStore: learners, apiKeys: [writer, reader], rateLimit: false }));

const hostileSegmentArb = fc.oneof(
  fc.constantFrom('nope', '__proto__', 'constructor', '..', '%2e%2e', '%00', '%', 'A'.repeat(300), 'é', '%F0%9F%99%82', 'learner 1', '-'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);
/** A learner id, a slug and a resource id: mostly real ones, so that requests also succeed. */
const segmentsArb = fc.record({
  learner: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('learner-1', 'learner-2') }, { weight: 1, arbitrary: hostileSegmentArb }),
  slug: fc.oneof({ weight: 3, arbitrary: fc.constant(SEED) }, { weight: 1, arbitrary: hostileSegmentArb }),
  resource: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('batch-processing', 'stream-processing') }, { weight: 1, arbitrary: hostileSegmentArb }),
});
type Segments = { learner: string; slug: string; resource: string };
const valueArb = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('2026-12-02T10:00:00Z', '2026-13-45T99:00:00Z', '', 'now', 3600, -1, 1e12, null));
const bodyArb = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc.record({ completedAt: fc.constantFrom('2026-12-02T10:00:00Z', '2026-12-02T10:00:00+02:00') }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('completedAt', 'path', 'expiresIn', 'completed', 'slug', 'resourceId', 'registration', 'statementId', 'endpoint', 'authToken', 'actor', '__proto__'), valueArb, {
    maxKeys: 5,
  }),
  fc.record({ completed: fc.array(fc.record({ id: fc.constantFrom('batch-processing', 'nope', ''), at: fc.constantFrom('2026-12-02T10:00:00Z', 'x', '') }), { maxLength: 4 }) }),
);

type Auth = 'writer' | 'reader' | 'bogus' | 'malformed' | 'none' | 'session' | 'session-without-csrf' | 'forged-cookie';
const authArb = fc.constantFrom<Auth>('writer', 'reader', 'bogus', 'malformed', 'none', 'session', 'session-without-csrf', 'forged-cookie');

const ROUTES: { method: 'GET' | 'PUT' | 'DELETE' | 'POST'; url: (s: Segments, query: string) => string }[] = [
  { method: 'GET', url: (s, q) => `/v1/learners/${s.learner}/paths?${q}` },
  { method: 'GET', url: (s) => `/v1/learners/${s.learner}/paths/${s.slug}/progress` },
  { method: 'GET', url: (s, q) => `/v1/learners/${s.learner}/events?${q}` },
  { method: 'PUT', url: (s) => `/v1/learners/${s.learner}/paths/${s.slug}/completions/${s.resource}` },
  { method: 'DELETE', url: (s) => `/v1/learners/${s.learner}/paths/${s.slug}/completions/${s.resource}` },
  { method: 'DELETE', url: (s) => `/v1/learners/${s.learner}` },
  { method: 'POST', url: (s) => `/v1/learners/${s.learner}/links` },
  { method: 'PUT', url: (s) => `/learn/_session/paths/${s.slug}/completions/${s.resource}` },
  { method: 'DELETE', url: (s) => `/learn/_session/paths/${s.slug}/completions/${s.resource}` },
  { method: 'POST', url: (s) => `/learn/_session/paths/${s.slug}/import` },
  { method: 'POST', url: () => '/learn/logout' },
  { method: 'GET', url: (s) => `/learn/link/${s.learner}` },
  { method: 'POST', url: () => '/learn/_cmi5/completions' },
];
const queryArb = fc.oneof(fc.constant(''), fc.constantFrom('limit=1', 'limit=0', 'limit=1000', 'limit=abc', 'cursor=', 'cursor=x', 'cursor=%00', 'limit=1&limit=2', 'extra=1'));

let session: { cookie: string; csrf: string } | undefined;
async function signIn(): Promise<{ cookie: string; csrf: string }> {
  if (session) return session;
  const { token } = await learners.createLearnerLink({ learnerId: 'learner-1', slug: SEED, expiresAt: new Date(Date.now() + 3_600_000) });
  const opened = await app.inject({ method: 'GET', url: `/learn/link/${token}` });
  const cookie = String(opened.headers['set-cookie']).split(';', 1)[0]!;
  const page = await app.inject({ method: 'GET', url: `/learn/${SEED}`, headers: { cookie } });
  const csrf = /<meta name="learnpath-csrf" content="([\w-]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error('the signed-in page carries no CSRF token');
  session = { cookie, csrf };
  return session;
}

async function headersFor(auth: Auth): Promise<Record<string, string>> {
  switch (auth) {
    case 'writer':
      return { authorization: `Bearer ${writer.secret}` };
    case 'reader':
      return { authorization: `Bearer ${reader.secret}` };
    case 'bogus':
      return { authorization: `Bearer ${writer.secret.slice(0, -2)}${writer.secret.endsWith('xx') ? 'yy' : 'xx'}` };
    case 'malformed':
      return { authorization: 'Basic Zm9vOmJhcg==, Bearer' };
    case 'none':
      return {};
    case 'session': {
      const { cookie, csrf } = await signIn();
      return { cookie, 'x-csrf-token': csrf };
    }
    case 'session-without-csrf':
      return { cookie: (await signIn()).cookie };
    case 'forged-cookie':
      return { cookie: 'learnpath_session=lps_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x-csrf-token': 'x' };
  }
}

describe('fuzzing the learner routes', () => {
  it('random ids, bodies, keys, sessions and query strings: no 5xx, refusals as problems or pages, nothing done without a key or session', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: ROUTES.length - 1 }),
        segmentsArb,
        queryArb,
        bodyArb,
        authArb,
        fc.constantFrom('application/json', 'text/html', '*/*', undefined),
        async (routeIndex, segments, query, body, auth, accept) => {
          const route = ROUTES[routeIndex]!;
          const url = route.url(segments, query);
          const headers: Record<string, string> = { ...(await headersFor(auth)), ...(accept ? { accept } : {}) };
          if (body !== undefined) headers['content-type'] = 'application/json';
          const response = await app.inject({ method: route.method, url, headers, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
          const what = `${route.method} ${url} as ${auth} with ${JSON.stringify(body)?.slice(0, 200)} → ${response.statusCode}: ${response.body.slice(0, 300)}`;
          if (response.statusCode >= 500) throw new Error(what);
          const type = String(response.headers['content-type'] ?? '');
          if (response.statusCode >= 400 && !type.startsWith('application/problem+json') && !(url.startsWith('/learn') && type.startsWith('text/html'))) throw new Error(`a refusal as ${type}: ${what}`);
          const unauthenticated = auth === 'bogus' || auth === 'malformed' || auth === 'none' || auth === 'forged-cookie';
          // Dot segments (`..`, `%2e%2e`) are resolved before routing, as clients resolve them:
          // `/v1/learners/../paths` is the public listing.
          const resolved = new URL(url, 'http://127.0.0.1').pathname;
          const keyRoute = resolved.startsWith('/v1/learners/');
          const sessionRoute = resolved.startsWith('/learn/_session/');
          if ((keyRoute || sessionRoute) && response.statusCode < 300) {
            if (unauthenticated) throw new Error(`succeeded without a key or session: ${what}`);
            if (keyRoute && auth !== 'writer' && auth !== 'reader') throw new Error(`an API route answered a session: ${what}`);
            if (sessionRoute && auth !== 'session') throw new Error(`a session route answered without a session and its CSRF token: ${what}`);
          }
        },
      ),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 600) },
    );
  }, 120_000);
});
