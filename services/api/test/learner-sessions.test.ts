import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import { buildShared } from './support/app.js';
import { SEED } from './support/fixtures.js';
import { learnCatalog } from './support/learn-catalogs.js';
import { expectProblem } from './support/problems.js';

const JSON_ACCEPT = { accept: 'application/json' };
const inMinutes = (minutes: number): Date => new Date(Date.now() + minutes * 60_000);

let learners: Store;
beforeAll(async () => {
  learners = await openStore({ dataDir: null });
  // An in-memory PGlite takes seconds to create, more on a busy machine.
}, 180_000);
afterAll(async () => {
  await learners?.close();
});

const writer = createApiKey('lms-backend', ['progress:write']);
const reader = createApiKey('dashboard', ['progress:read']);
const app = buildShared(() => ({ catalog: learnCatalog(), learnerStore: learners, apiKeys: [writer, reader], rateLimit: false }));

/** Opens a learner link and returns the session cookie and CSRF token the page carries. */
async function signIn(learnerId: string, slug: string | null = SEED): Promise<{ cookie: string; csrf: string; location: string }> {
  const { token } = await learners.createLearnerLink({ learnerId, slug, expiresAt: inMinutes(5) });
  const opened = await app.inject({ method: 'GET', url: `/learn/link/${token}` });
  expect(opened.statusCode).toBe(303);
  const setCookie = String(opened.headers['set-cookie']);
  expect(setCookie).toMatch(/^learnpath_session=lps_[\w-]{43}; Max-Age=43200; Path=\/learn; HttpOnly; Secure; SameSite=None; Partitioned$/);
  expect(opened.headers['cache-control']).toBe('no-store');
  expect(opened.headers['referrer-policy']).toBe('no-referrer');
  const cookie = setCookie.split(';', 1)[0]!;
  const page = await app.inject({ method: 'GET', url: String(opened.headers.location), headers: { cookie } });
  expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
  const csrf = /<meta name="learnpath-csrf" content="([\w-]+)"/.exec(page.body)?.[1];
  expect(csrf).toBeDefined();
  return { cookie, csrf: csrf!, location: String(opened.headers.location) };
}

describe('learner links and sessions on the learner pages', () => {
  it('a link opens a session and redirects to the clean path URL; marks go to the store as page marks and the page is drawn from them', async () => {
    const { cookie, csrf, location } = await signIn('learner-a');
    expect(location).toBe(`/learn/${SEED}`);
    const mark = await app.inject({ method: 'PUT', url: `/learn/_session/paths/${SEED}/completions/batch-processing`, headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT } });
    expect(mark.statusCode).toBe(200);
    expect(mark.json()).toEqual({ completed: ['batch-processing'] });
    const state = await learners.getPathState('learner-a', SEED);
    expect(state.completions.map((c) => [c.resourceId, c.source])).toEqual([['batch-processing', 'page']]);
    const page = await app.inject({ method: 'GET', url: `/learn/${SEED}`, headers: { cookie } });
    expect(page.body).toContain('data-stored-completed="[&quot;batch-processing&quot;]"');
    expect(page.body).toMatch(/id="resource-batch-processing" class="resource state-completed/);
    expect(page.body).toContain('Your marks are saved to your account.');
    const undo = await app.inject({ method: 'DELETE', url: `/learn/_session/paths/${SEED}/completions/batch-processing`, headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT } });
    expect(undo.json()).toEqual({ completed: [] });
  });

  it('a link without a path lands on the catalog, signed in', async () => {
    const { location, cookie } = await signIn('learner-b', null);
    expect(location).toBe('/learn');
    const page = await app.inject({ method: 'GET', url: '/learn', headers: { cookie } });
    expect(page.body).toContain('action="/learn/logout"');
  });

  it('a reused link is 410 and an expired one is 410, as a page for browsers and as problem details for API clients', async () => {
    const { token } = await learners.createLearnerLink({ learnerId: 'learner-c', slug: SEED, expiresAt: inMinutes(5) });
    expect((await app.inject({ method: 'GET', url: `/learn/link/${token}` })).statusCode).toBe(303);
    const again = await app.inject({ method: 'GET', url: `/learn/link/${token}` });
    expect(again.statusCode).toBe(410);
    expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('This link was used already');
    const asJson = await app.inject({ method: 'GET', url: `/learn/link/${token}`, headers: JSON_ACCEPT });
    const problem = expectProblem(asJson, 410);
    expect(problem.instance).toBe('/learn/link/[Redacted]');
    const expired = await learners.createLearnerLink({ learnerId: 'learner-c', slug: SEED, expiresAt: new Date(Date.now() - 1000) });
    const late = await app.inject({ method: 'GET', url: `/learn/link/${expired.token}` });
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('This link has expired');
    expectProblem(await app.inject({ method: 'GET', url: `/learn/link/lpl_${'x'.repeat(43)}`, headers: JSON_ACCEPT }), 404);
    expectProblem(await app.inject({ method: 'GET', url: `/learn/link/${'%3Cscript%3E'.repeat(10)}`, headers: JSON_ACCEPT }), 404);
  });

  it('a change without the CSRF token, or with a wrong one, is 403 and changes nothing; without a session it is 401', async () => {
    const { cookie, csrf } = await signIn('learner-d');
    const url = `/learn/_session/paths/${SEED}/completions/batch-processing`;
    expectProblem(await app.inject({ method: 'PUT', url, headers: { cookie, ...JSON_ACCEPT } }), 403);
    // A token one character off (the first: every bit of it counts; the last may already be the one put in).
    const wrong = `${csrf[0] === 'A' ? 'B' : 'A'}${csrf.slice(1)}`;
    expect(wrong).not.toBe(csrf);
    expectProblem(await app.inject({ method: 'PUT', url, headers: { cookie, 'x-csrf-token': wrong, ...JSON_ACCEPT } }), 403);
    expectProblem(await app.inject({ method: 'PUT', url, headers: { cookie, 'x-csrf-token': 'short', ...JSON_ACCEPT } }), 403);
    const html = await app.inject({ method: 'PUT', url, headers: { cookie } });
    expect(html.statusCode).toBe(403);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await learners.getPathState('learner-d', SEED)).completions).toEqual([]);
    expectProblem(await app.inject({ method: 'PUT', url, headers: { 'x-csrf-token': csrf, ...JSON_ACCEPT } }), 401);
    expectProblem(await app.inject({ method: 'PUT', url: `/learn/_session/paths/${SEED}/completions/no-such`, headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT } }), 404);
    expectProblem(await app.inject({ method: 'PUT', url: `/learn/_session/paths/no-such/completions/x`, headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT } }), 404);
  });

  it('imports anonymous marks: known ids with their times, unknown ids reported, not stored', async () => {
    const { cookie, csrf } = await signIn('learner-e');
    const body = { completed: [{ id: 'batch-processing', at: '2026-01-02T03:04:05.000Z' }, { id: 'gone-resource', at: '2026-01-02T03:04:05.000Z' }] };
    const imported = await app.inject({ method: 'POST', url: `/learn/_session/paths/${SEED}/import`, headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT }, payload: body });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toEqual({ completed: ['batch-processing'], imported: ['batch-processing'], skipped: ['gone-resource'] });
    expect((await learners.getPathState('learner-e', SEED)).completions).toEqual([{ slug: SEED, resourceId: 'batch-processing', completedAt: '2026-01-02T03:04:05.000Z', source: 'page' }]);
    expectProblem(await app.inject({ method: 'POST', url: `/learn/_session/paths/${SEED}/import`, headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT }, payload: { completed: 'all' } }), 400);
    expectProblem(await app.inject({ method: 'POST', url: `/learn/_session/paths/${SEED}/import`, headers: { cookie, ...JSON_ACCEPT }, payload: body }), 403);
  });

  it('logout needs the token, ends the session and clears the cookie; the old cookie then opens nothing', async () => {
    const { cookie, csrf } = await signIn('learner-f');
    const refused = await app.inject({ method: 'POST', url: '/learn/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'csrf=wrong' });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
    const out = await app.inject({ method: 'POST', url: '/learn/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${csrf}` });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/learn');
    expect(String(out.headers['set-cookie'])).toMatch(/^learnpath_session=; Max-Age=0;/);
    const page = await app.inject({ method: 'GET', url: `/learn/${SEED}`, headers: { cookie } });
    expect(page.body).not.toContain('learnpath-csrf');
    expectProblem(await app.inject({ method: 'PUT', url: `/learn/_session/paths/${SEED}/completions/batch-processing`, headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT } }), 401);
    // Signing out without a session is harmless.
    expect((await app.inject({ method: 'POST', url: '/learn/logout', headers: JSON_ACCEPT })).statusCode).toBe(204);
  });

  it('an expired session opens nothing: the page is anonymous and changes are 401, as a page or as problem details', async () => {
    const session = await learners.createSession({ learnerId: 'learner-h', expiresAt: new Date(Date.now() - 1000) });
    const cookie = `learnpath_session=${session.id}`;
    const page = await app.inject({ method: 'GET', url: `/learn/${SEED}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('learnpath-csrf');
    expect(page.body).not.toContain('action="/learn/logout"');
    const url = `/learn/_session/paths/${SEED}/completions/batch-processing`;
    expectProblem(await app.inject({ method: 'PUT', url, headers: { cookie, 'x-csrf-token': session.csrfToken, ...JSON_ACCEPT } }), 401);
    const html = await app.inject({ method: 'PUT', url, headers: { cookie, 'x-csrf-token': session.csrfToken } });
    expect(html.statusCode).toBe(401);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('Not signed in');
    expect((await learners.getPathState('learner-h', SEED)).completions).toEqual([]);
  });

  it('sign-out without the CSRF token is refused as problem details for API clients and keeps the session', async () => {
    const { cookie, csrf } = await signIn('learner-i');
    const refused = await app.inject({ method: 'POST', url: '/learn/logout', headers: { cookie, ...JSON_ACCEPT } });
    expect(expectProblem(refused, 403).title).toBe('Sign-out refused');
    expect(refused.headers['set-cookie']).toBeUndefined();
    const mark = await app.inject({ method: 'PUT', url: `/learn/_session/paths/${SEED}/completions/batch-processing`, headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT } });
    expect(mark.statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/learn/logout', headers: { cookie, 'x-csrf-token': csrf, ...JSON_ACCEPT } })).statusCode).toBe(204);
  });

  it('answers hostile session input with a 4xx, never a 5xx: pages for what a browser opens, problem details for the script', async () => {
    const { cookie, csrf } = await signIn('learner-j');
    const is4xx = (status: number, what: string) => {
      expect(status, what).toBeGreaterThanOrEqual(400);
      expect(status, what).toBeLessThan(500);
    };
    // What the page script sends (it asks for JSON).
    const scripted = [
      { method: 'PUT' as const, url: `/learn/_session/paths/${SEED}/completions/${'a'.repeat(300)}`, headers: { cookie, 'x-csrf-token': csrf } },
      { method: 'PUT' as const, url: '/learn/_session/paths/%3Cscript%3E/completions/x', headers: { cookie, 'x-csrf-token': csrf } },
      { method: 'PUT' as const, url: `/learn/_session/paths/${SEED}/completions/batch-processing`, headers: { cookie: `learnpath_session=${'x'.repeat(5000)}`, 'x-csrf-token': csrf } },
      { method: 'PUT' as const, url: `/learn/_session/paths/${SEED}/completions/batch-processing`, headers: { cookie: 'learnpath_session=%00%ff', 'x-csrf-token': csrf } },
      { method: 'POST' as const, url: `/learn/_session/paths/${SEED}/import`, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, payload: '{"completed": [' },
      { method: 'POST' as const, url: `/learn/_session/paths/${SEED}/import`, headers: { cookie, 'x-csrf-token': csrf }, payload: { completed: Array.from({ length: 6000 }, () => ({ id: 'x', at: 'y' })) } },
    ];
    for (const attempt of scripted) {
      const response = await app.inject({ ...attempt, headers: { ...attempt.headers, ...JSON_ACCEPT } });
      is4xx(response.statusCode, `${attempt.method} ${attempt.url.slice(0, 80)}`);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    // What a browser opens or submits: a page for people, problem details for API clients.
    const opened = [
      { method: 'GET' as const, url: `/learn/link/${'x'.repeat(300)}` },
      { method: 'GET' as const, url: `/learn/${'a'.repeat(300)}` },
      { method: 'GET' as const, url: `/learn/${SEED}/${'a'.repeat(300)}` },
      { method: 'GET' as const, url: '/learn/%E0%A4%A' },
      { method: 'POST' as const, url: '/learn/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${'x'.repeat(10_000)}` },
    ];
    for (const attempt of opened) {
      for (const accept of [JSON_ACCEPT, { accept: 'text/html' }]) {
        const response = await app.inject({ ...attempt, headers: { ...attempt.headers, ...accept } });
        const what = `${attempt.method} ${attempt.url.slice(0, 80)} ${accept.accept}`;
        is4xx(response.statusCode, what);
        expect(response.headers['content-type'], what).toBe(accept === JSON_ACCEPT ? 'application/problem+json; charset=utf-8' : 'text/html; charset=utf-8');
      }
    }
    expect((await learners.getPathState('learner-j', SEED)).completions).toEqual([]);
  });

  it('a cmi5 launch ignores the learner session', async () => {
    const { cookie } = await signIn('learner-g');
    const query = new URLSearchParams({ endpoint: 'http://127.0.0.1:9/xapi/', fetch: 'http://127.0.0.1:9/fetch/1', actor: JSON.stringify({ account: { homePage: 'https://lms.example.org', name: 'x' } }), registration: '3f0e6a2c-1b2d-4c5e-8f90-123456789abc', activityId: 'https://example.org/au' });
    const page = await app.inject({ method: 'GET', url: `/learn/${SEED}/batch-processing?${query}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('learnpath-csrf');
  });
});

describe('POST /v1/learners/{learnerId}/links', () => {
  const url = '/v1/learners/learner-z/links';
  const auth = (key: { secret: string }) => ({ authorization: `Bearer ${key.secret}` });

  it('makes a single-use link (default 5 minutes) that opens the path with a session for that learner', async () => {
    const before = Date.now();
    const made = await app.inject({ method: 'POST', url, headers: auth(writer), payload: { path: SEED } });
    expect(made.statusCode).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const body = made.json() as { url: string; expiresAt: string };
    expect(body.url).toMatch(/^http:\/\/[^/]+\/learn\/link\/lpl_[\w-]{43}$/);
    expect(Date.parse(body.expiresAt) - before).toBeGreaterThanOrEqual(299_000);
    expect(Date.parse(body.expiresAt) - before).toBeLessThanOrEqual(301_000 + (Date.now() - before));
    const opened = await app.inject({ method: 'GET', url: new URL(body.url).pathname });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`/learn/${SEED}`);
    expect((await app.inject({ method: 'GET', url: new URL(body.url).pathname })).statusCode).toBe(410);
    const short = await app.inject({ method: 'POST', url, headers: auth(writer), payload: { expiresIn: 30 } });
    expect(Date.parse((short.json() as { expiresAt: string }).expiresAt) - Date.now()).toBeLessThanOrEqual(30_000);
  });

  it('needs a key with progress:write; bounds the lifetime; refuses unknown paths and bad learner ids', async () => {
    expectProblem(await app.inject({ method: 'POST', url, payload: {} }), 401);
    expectProblem(await app.inject({ method: 'POST', url, headers: { authorization: 'Bearer lp_wrong' }, payload: {} }), 401);
    expectProblem(await app.inject({ method: 'POST', url, headers: auth(reader), payload: {} }), 403);
    expectProblem(await app.inject({ method: 'POST', url, headers: auth(writer), payload: { expiresIn: 86_400 } }), 400);
    expectProblem(await app.inject({ method: 'POST', url, headers: auth(writer), payload: { expiresIn: 5 } }), 400);
    expectProblem(await app.inject({ method: 'POST', url, headers: auth(writer), payload: { path: 'no-such-path' } }), 404);
    expectProblem(await app.inject({ method: 'POST', url, headers: auth(writer), payload: { extra: true } }), 400);
    expectProblem(await app.inject({ method: 'POST', url: '/v1/learners/a%20b/links', headers: auth(writer), payload: {} }), 400);
  });
});
