import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { cacheExchange, Client as UrqlClient, fetchExchange } from '@urql/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { listenApp } from './support/app.js';
import { SEED } from './support/fixtures.js';

// Apollo Client (core), urql and graphql-request, each with its default settings, against the
// service on a port: every one must see `data`, and `errors[0].extensions.code` when there are
// errors. urql sends short queries as GET, the others POST; Apollo and urql ask for
// application/graphql-response+json first, graphql-request too.

/** `path { phases { learningPath { … title } } }`, `levels` fields deep. */
function deepQuery(levels: number): string {
  const wraps = Array.from({ length: levels - 2 }, (_, i) => (i % 2 === 0 ? 'phases' : 'learningPath'));
  let inner = 'title';
  for (const field of wraps.reverse()) inner = `${field} { ${inner} }`;
  return `query Deep { path(slug: "${SEED}") { ${inner} } }`;
}

/** One query to send, and what every client must read from its answer. */
interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  data: unknown;
  code?: string;
}

const CASES: Case[] = [
  { name: 'a good query with variables', query: 'query One($slug: ID!) { path(slug: $slug) { title } }', variables: { slug: SEED }, data: { path: { title: 'Batch vs Stream Processing' } } },
  { name: 'a syntax error', query: 'query Broken { path(slug: "x") { ', data: undefined, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'an unknown field', query: 'query Unknown { path(slug: "x") { nope } }', data: undefined, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a query over the depth limit', query: deepQuery(11), data: undefined, code: 'DEPTH_LIMIT_EXCEEDED' },
  { name: 'an unknown slug', query: 'query Missing($slug: ID!) { path(slug: $slug) { title } }', variables: { slug: 'no-such-path' }, data: { path: null } },
];

/** What a client library reports: the data and the code of the first error. */
interface Seen {
  data: unknown;
  code: string | undefined;
}

type Run = (c: Case) => Promise<Seen>;

describe('GraphQL client libraries with their default settings', () => {
  let app: App;
  let endpoint = '';
  beforeAll(async () => {
    const listening = await listenApp();
    app = listening.app;
    endpoint = `${listening.base}/graphql`;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const apollo: Run = async (c) => {
    const client = new ApolloClient({ link: new HttpLink({ uri: endpoint }), cache: new InMemoryCache() });
    try {
      const result = await client.query({ query: gql(c.query), variables: c.variables ?? {} });
      return { data: result.data, code: undefined };
    } catch (error) {
      if (!CombinedGraphQLErrors.is(error)) throw error;
      return { data: error.data ?? undefined, code: error.errors[0]?.extensions?.['code'] as string | undefined };
    }
  };
  const urql: Run = async (c) => {
    const client = new UrqlClient({ url: endpoint, exchanges: [cacheExchange, fetchExchange] });
    const result = await client.query(c.query, c.variables ?? {}).toPromise();
    if (result.error?.networkError) throw result.error.networkError;
    return { data: result.data ?? undefined, code: result.error?.graphQLErrors[0]?.extensions['code'] as string | undefined };
  };
  const graphqlRequest: Run = async (c) => {
    const client = new GraphQLClient(endpoint);
    try {
      return { data: await client.request(c.query, c.variables ?? {}), code: undefined };
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      return { data: error.response.data ?? undefined, code: error.response.errors?.[0]?.extensions?.['code'] as string | undefined };
    }
  };

  // Apollo and urql parse every document before sending it, so a syntax error never reaches
  // the service from them: they throw it themselves. graphql-request sends the text as given.
  const LIBRARIES = [
    ['Apollo Client', apollo, true],
    ['urql', urql, true],
    ['graphql-request', graphqlRequest, false],
  ] as const;
  for (const [library, run, parsesLocally] of LIBRARIES) {
    describe(library, () => {
      for (const c of CASES) {
        it(`reads ${c.name}`, async () => {
          if (parsesLocally && c.code === 'GRAPHQL_PARSE_FAILED') {
            await expect(run(c)).rejects.toThrow(/Syntax Error/);
            return;
          }
          const seen = await run(c);
          expect(seen.code).toBe(c.code);
          // Apollo and urql add __typename to every selection (their caches need it).
          if (c.data === undefined) expect(seen.data ?? undefined).toBeUndefined();
          else expect(seen.data).toMatchObject(c.data as object);
        });
      }
    });
  }
});
