import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildShared } from './support/app.js';
import { SEED } from './support/fixtures.js';
import { HOSTILE_TITLE, learnCatalog } from './support/learn-catalogs.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

const app = buildShared({ catalog: learnCatalog(), rateLimit: false });

const get = (url: string, headers: Record<string, string> = HTML) => app.inject({ method: 'GET', url, headers });
const scripts = (html: string): string[] => [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);

describe('GET /learn', () => {
  it('lists every path with its level, total time and resource count', async () => {
    const res = await get('/learn');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain(`href="/learn/${SEED}"`);
    expect(res.body).toContain('Batch vs Stream Processing');
    expect(res.body).toContain('3 h 55 min');
    expect(res.body).toContain('7 resources');
    expect(res.body).toContain('<span class="badge">Advanced</span>');
    expect(res.body).toContain('6 paths.');
  });

  it('searches by words and filters by tag and level', async () => {
    const byWord = await get('/learn?q=kafka');
    expect(byWord.body).toContain('href="/learn/alpha-streams"');
    expect(byWord.body).not.toContain(`href="/learn/${SEED}"`);
    const byTag = await get('/learn?tag=warehouse');
    expect(byTag.body).toContain('href="/learn/zeta-warehouse"');
    expect(byTag.body).toContain('1 path of 6 match.');
    const byLevel = await get('/learn?level=intermediate');
    expect(byLevel.body).toContain('href="/learn/machine-learning-basics"');
    expect(byLevel.body).not.toContain('href="/learn/alpha-streams"');
  });

  it('answers a malformed filter with a 400 page, or problem details for API clients', async () => {
    const page = await get('/learn?level=expert');
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const problem = await get('/learn?level=expert', { accept: 'application/json' });
    expect(problem.statusCode).toBe(400);
    expect(problem.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(problem.json()).toMatchObject({ status: 400 });
  });
});

describe('GET /learn/{slug}', () => {
  it('shows the phases in order with states and the reasons for locks, the progress and the graph', async () => {
    const res = await get(`/learn/${SEED}`);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    const order = ['Phase 1: Foundations', 'Phase 2: Core Concepts', 'Phase 3: Advanced Topics'].map((t) => body.indexOf(`>${t}</h3>`));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(body).toContain('Locked</span><span class="next-flag" data-next-flag="" hidden=""> · Next up</span><span class="state-reason" data-state-reason=""> — Complete Phase 1 first</span>');
    expect(body).toMatch(/class="resource state-available is-next" data-resource-id="batch-processing"/);
    expect(body).toContain('<progress id="progress-bar" max="100" value="0"');
    expect(body).toContain('3 h 55 min</span> left');
    expect(body).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="path-graph"');
    expect(body).toContain('Mark as done<span class="visually-hidden">: Batch Processing</span>');
    expect(body).toContain('<input type="checkbox" id="check-0" data-check="0"');
  });

  it('links prerequisites that name a path', async () => {
    const res = await get('/learn/zeta-warehouse');
    expect(res.body).toContain(`<a href="/learn/${SEED}">see the path “Batch vs Stream Processing”</a>`);
  });

  it('sends a strict CSP whose nonce every script carries, and loads nothing from elsewhere', async () => {
    const res = await get(`/learn/${SEED}`);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    const tags = scripts(res.body);
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) {
      expect(tag).toContain(`nonce="${nonce}"`);
      expect(tag).toMatch(/src="\/learn\/_assets\/learn\.[0-9a-f]{16}\.js"/);
    }
    expect(res.body).not.toMatch(/\son[a-z]+=/i);
    expect(res.body).not.toMatch(/(?:src|href)="(?:https?:)?\/\/(?!example\.com)/);
    const again = await get(`/learn/${SEED}`);
    expect(String(again.headers['content-security-policy'])).not.toContain(nonce!);
  });

  it('may be framed by an LMS (LTI launches and cmi5 units open in an iframe)', async () => {
    const res = await get(`/learn/${SEED}`);
    expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(res.headers['x-frame-options']).toBeUndefined();
  });

  it('shows hostile titles, focus, overview and notes as text', async () => {
    const res = await get('/learn/hostile');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.body).not.toContain(HOSTILE_TITLE);
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('<svg onload');
    expect(res.body).not.toContain('<iframe');
    expect(res.body).not.toMatch(/href="\s*javascript:/i);
    expect(res.body).not.toContain('evil.example/x.png"');
    const resource = await get('/learn/hostile/img-src-x-onerror-alert-1');
    expect(resource.statusCode).toBe(200);
    expect(resource.body).toContain('<h1>&lt;img src=x onerror=alert(1)&gt;</h1>');
  });

  it('renders a path of 1,000 resources with every resource and its graph node', async () => {
    const res = await get('/learn/huge');
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<li id="resource-step-\d+"/g)).toHaveLength(1000);
    expect(res.body.match(/<g class="graph-node [^"]*" data-resource="step-\d+"/g)).toHaveLength(1000);
    expect(res.body).toContain('Complete “Step 999” first');
  });
});

describe('GET /learn/{slug}/{resourceId}', () => {
  it('says what, why, how long, what it depends on and what comes next', async () => {
    const res = await get(`/learn/${SEED}/processing-comparison`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Processing Comparison</h1>');
    expect(res.body).toContain('<dd>Article in Phase 2: Core Concepts (1 of 3, in order)</dd>');
    expect(res.body).toContain('<dd>No focus given.</dd>');
    expect(res.body).toContain('<dd>30 min</dd>');
    expect(res.body).toContain(`<a href="/learn/${SEED}#phase-foundations">Phase 1: Foundations</a>`);
    expect(res.body).toContain(`<a href="/learn/${SEED}/use-case-selection" rel="next">Use Case Selection</a>`);
    expect(res.body).toContain('This resource has no link yet');
    const first = await get(`/learn/${SEED}/batch-processing`);
    expect(first.body).toContain('<dd>Understanding batch processing and its characteristics</dd>');
    expect(first.body).toContain('Nothing: you can start here.');
  });

  it('offers a button that opens a resource with a URL in a new tab', async () => {
    const res = await get('/learn/hostile/after-the-hostile-one');
    expect(res.body).toContain('<a class="button primary" href="https://example.com/video" target="_blank" rel="noopener noreferrer">');
  });

  it('allows connections to the LMS origins of a cmi5 launch, and only those', async () => {
    const query = new URLSearchParams({
      endpoint: 'https://lrs.example.org/xapi/',
      fetch: 'https://lms.example.org/token?k=1',
      actor: JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: 'learner-1' } }),
      registration: '1e4a8a3c-8b7e-4a7a-9d60-6c2b1f0e9a11',
      activityId: 'https://learn.example.com/v1/paths/batch-vs-stream-processing/resources/batch-processing',
    });
    const res = await get(`/learn/${SEED}/batch-processing?${query}`);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-security-policy'])).toContain("connect-src 'self' https://lrs.example.org https://lms.example.org;");
    expect(scripts(res.body).join('')).toMatch(/\/learn\/_assets\/cmi5\.[0-9a-f]{16}\.js/);
    expect(res.body).toContain('data-cmi5-status="starting"');
  });

  it('refuses an incomplete or malformed cmi5 launch with a 400', async () => {
    const missing = await get(`/learn/${SEED}/batch-processing?endpoint=https://lrs.example.org/`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('lacks the parameter');
    const bad = new URLSearchParams({ endpoint: 'javascript:alert(1)', fetch: 'https://lms.example.org/t', actor: '{}', registration: 'x', activityId: 'a' });
    const res = await get(`/learn/${SEED}/batch-processing?${bad}`, { accept: 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });
});

describe('unknown addresses', () => {
  it('answers unknown paths and resources with a 404 page for browsers and problem details for API clients', async () => {
    for (const url of ['/learn/no-such-path', `/learn/${SEED}/no-such-resource`, '/learn/a/b/c', '/learn/_assets/nothing.js']) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(404);
      expect(page.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(page.body, url).toContain('Error 404');
      const problem = await get(url, { accept: 'application/json' });
      expect(problem.statusCode, url).toBe(404);
      expect(problem.headers['content-type'], url).toBe('application/problem+json; charset=utf-8');
      expect(problem.json(), url).toMatchObject({ status: 404, instance: url });
    }
  });

  it('never answers a hostile address with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), fc.constantFrom(HTML.accept, 'application/json', '*/*', 'text/plain'), async (a, b, accept) => {
        const res = await get(`/learn/${encodeURIComponent(a)}/${encodeURIComponent(b)}?q=${encodeURIComponent(b)}`, { accept });
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});

describe('assets', () => {
  it('serves the script and stylesheet under content-hashed names with an ETag, and 304 when unchanged', async () => {
    const page = await get(`/learn/${SEED}`);
    const urls = [...page.body.matchAll(/(?:src|href)="(\/learn\/_assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      const res = await get(url, { 'accept-encoding': 'identity' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toContain('immutable');
      const etag = String(res.headers.etag);
      expect(url).toContain(etag.replaceAll('"', ''));
      const again = await get(url, { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
    }
  });
});
