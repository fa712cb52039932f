import { createCatalog } from '@learnpath/content';
import { compilePath } from '@learnpath/schema';
import { describe, expect, it } from 'vitest';
import { CatalogStore } from '../src/catalog/store.js';
import { CATALOG_PAGE_SIZE } from '../src/learn/plugin.js';
import { build } from './support/app.js';
import { numberedCatalog } from './support/fixtures.js';

// The /learn catalog of a large provider: a page at a time, with the cursor of the REST listing.

const HTML = { accept: 'text/html' };
const COUNT = 120;

const slugsOf = (html: string): string[] => [...html.matchAll(/<h2[^>]*>\s*<a href="\/learn\/([^"/]+)"/g)].map((m) => m[1]!);
const nextOf = (html: string): string | null => {
  const href = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(html)?.[1];
  return href === undefined ? null : href.replaceAll('&amp;', '&');
};

describe('GET /learn, page by page', () => {
  it('shows a page of paths in title order and links to the next, until every path is shown once', async () => {
    const app = await build({ store: new CatalogStore(numberedCatalog(COUNT)), docs: false, rateLimit: false });
    const first = await app.inject({ url: '/learn', headers: HTML });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain(`${COUNT} paths.`);
    expect(slugsOf(first.body)).toHaveLength(CATALOG_PAGE_SIZE);
    expect(slugsOf(first.body).slice(0, 3)).toEqual(['path-01', 'path-02', 'path-03']);
    expect(first.body).not.toContain('First page');

    const seen = [...slugsOf(first.body)];
    let next = nextOf(first.body);
    let pages = 1;
    while (next !== null) {
      const page = await app.inject({ url: next, headers: HTML });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<a href="/learn">First page</a>');
      seen.push(...slugsOf(page.body));
      next = nextOf(page.body);
      pages++;
    }
    expect(pages).toBe(Math.ceil(COUNT / CATALOG_PAGE_SIZE));
    const rest = await app.inject(`/v1/paths?limit=100`);
    const restNext = await app.inject(`/v1/paths?limit=100&cursor=${(rest.json() as { nextCursor: string }).nextCursor}`);
    expect(seen).toEqual([...(rest.json() as { items: { slug: string }[] }).items, ...(restNext.json() as { items: { slug: string }[] }).items].map((p) => p.slug));
  });

  it('pages a search with the cursor GET /v1/paths gives, keeping the words and filters', async () => {
    const app = await build({ store: new CatalogStore(numberedCatalog(COUNT)), docs: false, rateLimit: false });
    const first = await app.inject({ url: '/learn?q=resource', headers: HTML });
    expect(first.body).toContain(`${COUNT} paths of ${COUNT} match.`);
    const next = nextOf(first.body)!;
    const url = new URL(next, 'http://learnpath.test');
    expect(url.pathname).toBe('/learn');
    expect(url.searchParams.get('q')).toBe('resource');
    // The same cursor opens the same page over REST.
    const rest = await app.inject(`/v1/paths?q=resource&limit=${CATALOG_PAGE_SIZE}&cursor=${encodeURIComponent(url.searchParams.get('cursor')!)}`);
    expect(rest.statusCode).toBe(200);
    const second = await app.inject({ url: next, headers: HTML });
    expect(slugsOf(second.body)).toEqual((rest.json() as { items: { slug: string }[] }).items.map((p) => p.slug));
    expect(new Set([...slugsOf(first.body), ...slugsOf(second.body)]).size).toBe(2 * CATALOG_PAGE_SIZE);
  });

  it('answers a link to a page of another search, or a mangled one, with a 400 page', async () => {
    const app = await build({ store: new CatalogStore(numberedCatalog(COUNT)), docs: false, rateLimit: false });
    const next = new URL(nextOf((await app.inject({ url: '/learn', headers: HTML })).body)!, 'http://learnpath.test');
    for (const url of [`/learn?q=resource&cursor=${encodeURIComponent(next.searchParams.get('cursor')!)}`, '/learn?cursor=not-a-cursor']) {
      const page = await app.inject({ url, headers: HTML });
      expect(page.statusCode, url).toBe(400);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('This page link is out of date');
    }
  });
});

describe('GET /learn/{slug} after a content change', () => {
  it('names a prerequisite path by its title in the content being served', async () => {
    const document = (title: string) => [
      compilePath({ slug: 'basics', title, phases: [{ title: 'Only', resources: [{ title: 'Start', kind: 'article', durationMinutes: 5 }] }] }),
      compilePath({ slug: 'advanced', title: 'Advanced', prerequisites: [{ text: 'The basics', path: 'basics' }], phases: [{ title: 'Only', resources: [{ title: 'Go on', kind: 'article', durationMinutes: 5 }] }] }),
    ];
    const store = new CatalogStore(createCatalog(document('Basics')));
    const app = await build({ store, docs: false, rateLimit: false });
    expect((await app.inject({ url: '/learn/advanced', headers: HTML })).body).toContain('see the path “Basics”');
    store.swap(createCatalog(document('The Basics, Revised')));
    const after = await app.inject({ url: '/learn/advanced', headers: HTML });
    expect(after.body).toContain('see the path “The Basics, Revised”');
    expect(after.body).not.toContain('see the path “Basics”');
  });
});
