import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenApp, type ListeningApp } from './support/app.js';
import { numberedCatalog } from './support/fixtures.js';

// A result cache of two entries: every new result pushes the oldest out.
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
    // Each asked once, then again after two others: always pushed out by then.
    for (const n of ['01', '02', '03', '04', '05', '06', '01', '02', '03']) expect(await ask(`path-${n}`)).toEqual(answer(n));
    expect(served.app.frontCache!.answered).toBe(before);
    // Asked again at once: the result cache answers (and marks it), then the front cache keeps and answers it.
    for (let i = 0; i < 4; i++) expect(await ask('path-04')).toEqual(answer('04'));
    expect(served.app.frontCache!.answered).toBe(before + 1);
  });

  it('names the negotiated media type, from the route and from the cache', async () => {
    for (const n of ['05', '05', '06', '06']) {
      const reply = await ask(`path-${n}`, { accept: 'application/graphql-response+json' });
      expect(reply).toEqual({ ...answer(n), type: 'application/graphql-response+json; charset=utf-8' });
    }
  });
});
