import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenApp, type ListeningApp } from './support/app.js';
import { numberedCatalog } from './support/fixtures.js';

// A result cache of two entries: full after two queries, when new results are kept only on
// their second ask.
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

  it('answers every query alike, kept or not, and keeps one asked again', async () => {
    for (const n of ['01', '02']) expect(await ask(`path-${n}`)).toEqual(answer(n));
    // One-off queries pass without pushing the first two out.
    for (const n of ['03', '04', '05']) expect(await ask(`path-${n}`)).toEqual(answer(n));
    const before = served.app.frontCache!.answered;
    for (const n of ['01', '02']) expect(await ask(`path-${n}`)).toEqual(answer(n));
    for (const n of ['01', '02']) expect(await ask(`path-${n}`)).toEqual(answer(n));
    // Answered by the result cache (and marked), then kept by the front cache, then answered by it.
    expect(served.app.frontCache!.answered).toBeGreaterThan(before);
    // A query asked again and again is kept too: refused once, kept on its second ask, a hit on its third.
    const repeated = [];
    for (let i = 0; i < 5; i++) repeated.push(await ask('path-06'));
    for (const reply of repeated) expect(reply).toEqual(answer('06'));
  });

  it('names the negotiated media type whether or not the result is kept', async () => {
    for (const n of ['03', '04', '05', '03']) {
      const reply = await ask(`path-${n}`, { accept: 'application/graphql-response+json' });
      expect(reply).toEqual({ ...answer(n), type: 'application/graphql-response+json; charset=utf-8' });
    }
  });
});
