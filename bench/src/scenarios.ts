// The measurements of `npm run bench`. Each names the process that answers it and, where a
// floor applies, the scenario whose median req/s it is compared with in the same run.

/** The path every single-path scenario reads: the seed. */
export const SEED_SLUG = 'batch-vs-stream-processing';
const SEED = `/v1/paths/${SEED_SLUG}`;

/** The GraphQL query of the GraphQL floors: the seed's phases and resources. */
export const BENCH_QUERY = `{ path(slug: "${SEED_SLUG}") { title phases { title resources { title kind durationMinutes } } } }`;

/** How many synthetic paths the uncached GraphQL scenarios rotate over. */
export const ROTATION_PATHS = 2000;

/**
 * The field selections the uncached GraphQL scenarios rotate over, each a query with the path
 * (and phase) as variables, as clients send them.
 */
export const ROTATION_QUERIES: readonly { query: string; variables: (slug: string) => Record<string, string> }[] = [
  {
    query: 'query Outline($slug: ID!) { path(slug: $slug) { title totalMinutes phases { title resources { title kind durationMinutes } } } }',
    variables: (slug) => ({ slug }),
  },
  {
    query: 'query About($slug: ID!) { path(slug: $slug) { slug title overview level tags resourceCount prerequisites { text path } additionalResources { title url description } } }',
    variables: (slug) => ({ slug }),
  },
  {
    query:
      'query Steps($slug: ID!) { path(slug: $slug) { phases { id number sequential resources { id url focus next { ... on PhaseReference { phase } ... on ResourceReference { resource } } dependsOn { ... on PhaseReference { target { title } } } } } } }',
    variables: (slug) => ({ slug }),
  },
  {
    query: 'query Phase($slug: ID!, $phase: ID!) { phase(path: $slug, id: $phase) { title totalMinutes resourceCount resources { title kind url durationMinutes learningPath { title } } } }',
    variables: (slug) => ({ slug, phase: 'core-concepts' }),
  },
];

/**
 * The request bodies of an uncached GraphQL scenario, in the order they are sent: every path of
 * the synthetic catalog with one selection, then every path with the next… Each body recurs only
 * after `paths × selections` requests (8,000), more than the result cache keeps (4,096
 * entries, oldest out first), so no request is answered from it; the parsed, validated and compiled queries
 * (four texts) stay cached, as they do for real clients.
 */
export function rotationBodies(slugs: readonly string[]): string[] {
  return ROTATION_QUERIES.flatMap(({ query, variables }) => slugs.map((slug) => JSON.stringify({ query, variables: variables(slug) })));
}

/** Which process answers a scenario: `-synthetic` ones serve the synthetic catalog of `ROTATION_PATHS` paths. */
export type ServerName = 'service' | 'bare' | 'apollo' | 'service-synthetic' | 'apollo-synthetic';

/** One measured request. */
export interface Scenario {
  name: string;
  /**
   * `service`: the real server process (`npm start`'s entry, REST and GraphQL); `bare`: node:http
   * answering with the service's bytes; `apollo`: Apollo Server 5 over the same schema, resolvers
   * and content (bench/src/graphql-server.ts).
   */
  server: ServerName;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Bodies sent in turn, one per request across every connection (instead of `body`). */
  rotate?: 'synthetic';
  /** This scenario must reach `ratio` × the median req/s of each scenario `of`. */
  floors?: { of: string; ratio: number }[];
}

const graphqlPost = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BENCH_QUERY }) };

/** REST against a bare node:http server: ≥ 0.90 on the seed path and on the listing. */
export const restScenarios: Scenario[] = [
  { name: `bare    GET ${SEED}`, server: 'bare', path: SEED },
  { name: `service GET ${SEED}`, server: 'service', path: SEED, floors: [{ of: `bare    GET ${SEED}`, ratio: 0.9 }] },
  { name: 'bare    GET /v1/paths', server: 'bare', path: '/v1/paths' },
  { name: 'service GET /v1/paths', server: 'service', path: '/v1/paths', floors: [{ of: 'bare    GET /v1/paths', ratio: 0.9 }] },
];

const UNCACHED_APOLLO = `apollo  POST /graphql uncached, ${ROTATION_PATHS.toLocaleString('en')} paths (Apollo Server 5)`;

/**
 * GraphQL over POST. Cached: the seed query repeated, answered from the result cache, against
 * the REST route of the same path (≥ 0.90). Uncached: a different path or selection on every
 * request, against Apollo Server 5 serving the same schema, resolvers, catalog and rotation (≥ 3×).
 */
export const graphqlScenarios: Scenario[] = [
  { name: 'service POST /graphql cached (seed query repeated)', server: 'service', path: '/graphql', ...graphqlPost, floors: [{ of: `service GET ${SEED}`, ratio: 0.9 }] },
  { name: UNCACHED_APOLLO, server: 'apollo-synthetic', path: '/', ...graphqlPost, rotate: 'synthetic' },
  {
    name: `service POST /graphql uncached, ${ROTATION_PATHS.toLocaleString('en')} paths`,
    server: 'service-synthetic',
    path: '/graphql',
    ...graphqlPost,
    rotate: 'synthetic',
    floors: [{ of: UNCACHED_APOLLO, ratio: 3 }],
  },
];

/**
 * Every scenario, ordered so that each one sits next to the scenarios its floors compare it
 * with: the ratios are taken within a round, between runs close in time.
 */
export const allScenarios: Scenario[] = [restScenarios[0]!, restScenarios[1]!, graphqlScenarios[0]!, graphqlScenarios[1]!, graphqlScenarios[2]!, restScenarios[2]!, restScenarios[3]!];
