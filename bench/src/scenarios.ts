// The measurements of `npm run bench`. Each names the process that answers it and, where a
// floor applies, the scenario whose median req/s it is compared with in the same run.

/** The path every single-path scenario reads: the seed. */
export const SEED_SLUG = 'batch-vs-stream-processing';
const SEED = `/v1/paths/${SEED_SLUG}`;

/** The GraphQL query of the GraphQL floors: the seed's phases and resources. */
export const BENCH_QUERY = `{ path(slug: "${SEED_SLUG}") { title phases { title resources { title kind durationMinutes } } } }`;

/** Which process answers a scenario. */
export type ServerName = 'service' | 'bare' | 'apollo';

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
  /** This scenario must reach `ratio` × the median req/s of each scenario `of`. */
  floors?: { of: string; ratio: number }[];
}

const graphqlPost = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BENCH_QUERY }) };

/** REST against a bare node:http server: ≥ 0.80 on the seed path, ≥ 0.70 on the listing. */
export const restScenarios: Scenario[] = [
  { name: `bare    GET ${SEED}`, server: 'bare', path: SEED },
  { name: `service GET ${SEED}`, server: 'service', path: SEED, floors: [{ of: `bare    GET ${SEED}`, ratio: 0.8 }] },
  { name: 'bare    GET /v1/paths', server: 'bare', path: '/v1/paths' },
  { name: 'service GET /v1/paths', server: 'service', path: '/v1/paths', floors: [{ of: 'bare    GET /v1/paths', ratio: 0.7 }] },
];

/** GraphQL over POST: ≥ 0.60 of the REST route of the same path, ≥ 3 × Apollo Server 5. */
export const graphqlScenarios: Scenario[] = [
  { name: 'apollo  POST /graphql (Apollo Server 5)', server: 'apollo', path: '/', ...graphqlPost },
  {
    name: 'service POST /graphql',
    server: 'service',
    path: '/graphql',
    ...graphqlPost,
    floors: [
      { of: `service GET ${SEED}`, ratio: 0.6 },
      { of: 'apollo  POST /graphql (Apollo Server 5)', ratio: 3 },
    ],
  },
];

/**
 * Every scenario, ordered so that each one sits next to the scenarios its floors compare it
 * with: the ratios are taken within a round, between runs close in time.
 */
export const allScenarios: Scenario[] = [restScenarios[0]!, restScenarios[1]!, graphqlScenarios[1]!, graphqlScenarios[0]!, restScenarios[2]!, restScenarios[3]!];
