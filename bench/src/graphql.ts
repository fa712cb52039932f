// The GraphQL part of `npm run bench` on its own: the seed query over POST /graphql, side by
// side in one run with the REST route for the same path (floor 0.60) and with Apollo Server 5
// serving the same schema and data (floor 3×). `npm run bench` runs these with the rest.
// Run: `npx tsx bench/src/graphql.ts` (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS change the load).
import { fileURLToPath } from 'node:url';
import { main } from './http.js';
import { graphqlScenarios, restScenarios, SEED_SLUG } from './scenarios.js';

export { BENCH_QUERY } from './scenarios.js';

/** The GraphQL scenarios and the REST scenario they are compared with. */
export const graphqlBenchScenarios = [...restScenarios.filter((s) => s.server === 'service' && s.path.endsWith(SEED_SLUG)).map(({ floors: _, ...s }) => s), ...graphqlScenarios];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(graphqlBenchScenarios);
