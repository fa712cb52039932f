import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenApp, type ListeningApp } from './support/app.js';
import { numberedCatalog } from './support/fixtures.js';

// A result cache of two entries: full after two results, when a new result is kept on its
// second miss, and an answer is served while fewer than two misses have followed it.
describe('GraphQL result cache, full', () => {
  let served: ListeningApp;
  beforeAll(async () => {
    served = await listenApp({ catalog: numberedCatalog(6), graphql: { resultCache: { maxEntries: 2 } } });
  });
  afterAll(() => served.app.close());

  const query = 'query One($slug: ID!) { path(slug: $slug) { slug title } }';
  const ask = async (slug: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${served.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables: { slug } }) });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };
  const answer = (n: string) => ({ status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify({ data: { path: { slug: `path-${n}`, title: `Path ${n}` } } }) });

  it('answers alike from the route and from the cache, and a query pushed out is computed again', async () => {
    const before = served.app.frontCache!.answered;
    for (const n of ['01', '02', '03', '04', '05', '06', '01', '02', '03']) expect(await ask(`path-${n}`)).toEqual(answer(n));
    expect(served.app.frontCache!.answered).toBe(before);
    // Asked again at once: kept on its second miss, answered by the result cache (and marked),
    // then kept and answered by the front cache.
    for (let i = 0; i < 5; i++) expect(await ask('path-04')).toEqual(answer('04'));
    expect(served.app.frontCache!.answered).toBeGreaterThan(before);
  });

  it('names the negotiated media type, from the route and from the cache', async () => {
    for (const n of ['05', '05', '06', '06']) {
      const reply = await ask(`path-${n}`, { accept: 'application/graphql-response+json' });
      expect(reply).toEqual({ ...answer(n), type: 'application/graphql-response+json; charset=utf-8' });
    }
  });
});
