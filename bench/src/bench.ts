// `npm run bench`: the HTTP scenarios with their floors (http.ts), then GraphQL abuse under load
// (graphql-abuse.ts). The exit code is 1 when any floor or check fails.
import { runGraphqlAbuse } from './graphql-abuse.js';
import { main } from './http.js';

await main();
if (!(await runGraphqlAbuse())) process.exitCode = 1;
