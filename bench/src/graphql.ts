// The GraphQL benchmark: the query of the seed over POST /graphql, side by side in one run
// with the REST route for the same path and with Apollo Server 5 serving the same schema and
// data. Floors: GraphQL ≥ 0.60 × REST req/s, and ≥ 3 × Apollo req/s.
// Run: `npx tsx bench/src/graphql.ts` (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS change the load).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));
const serverScript = fileURLToPath(new URL('./graphql-server.ts', import.meta.url));

/** The query the floors are about. */
export const BENCH_QUERY = '{ path(slug: "batch-vs-stream-processing") { title phases { title resources { title kind durationMinutes } } } }';

interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
}
interface LoadResult {
  requests: { average: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = require('autocannon') as (options: LoadOptions) => Promise<LoadResult>;

/** One measured target. */
export interface BenchFigure {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  failures: number;
}

/** The figures of a run and whether the floors hold. */
export interface GraphqlBenchResult {
  figures: BenchFigure[];
  graphqlToRest: number;
  graphqlToApollo: number;
  floorsHold: boolean;
}

async function startServer(which: 'learnpath' | 'apollo'): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, which], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /LISTENING (\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${which} server exited with ${code} before listening`)));
  });
  return { url, child };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function measure(name: string, options: Omit<LoadOptions, 'duration' | 'connections'>, seconds: number, connections: number): Promise<BenchFigure> {
  await autocannon({ ...options, connections, duration: Math.min(2, seconds) }); // warm-up: JIT, caches
  const result = await autocannon({ ...options, connections, duration: seconds });
  return { name, requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, failures: result.non2xx + result.errors + result.timeouts };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Runs the three targets in interleaved rounds (REST, GraphQL, Apollo, then again), each
 * server in its own process, and keeps the median of each: load from elsewhere on the
 * machine then weighs on all three alike.
 */
export async function runGraphqlBench(
  seconds = Number(process.env['BENCH_SECONDS'] ?? 5),
  connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32),
  rounds = Number(process.env['BENCH_ROUNDS'] ?? 3),
): Promise<GraphqlBenchResult> {
  const post = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BENCH_QUERY }) };
  const learnpath = await startServer('learnpath');
  const apollo = await startServer('apollo').catch(async (error: unknown) => {
    await stopServer(learnpath.child);
    throw error;
  });
  const targets: [string, Omit<LoadOptions, 'duration' | 'connections'>][] = [
    ['REST GET /v1/paths/batch-vs-stream-processing', { url: `${learnpath.url}/v1/paths/batch-vs-stream-processing`, method: 'GET' }],
    ['GraphQL POST /graphql (mercurius)', { url: `${learnpath.url}/graphql`, ...post }],
    ['GraphQL POST (Apollo Server 5)', { url: apollo.url, ...post }],
  ];
  const runs: BenchFigure[][] = targets.map(() => []);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [index, [name, options]] of targets.entries()) runs[index]!.push(await measure(name, options, seconds, connections));
    }
  } finally {
    await Promise.all([stopServer(learnpath.child), stopServer(apollo.child)]);
  }
  const figures = runs.map((list) => ({
    name: list[0]!.name,
    requestsPerSecond: median(list.map((f) => f.requestsPerSecond)),
    p99Ms: median(list.map((f) => f.p99Ms)),
    failures: list.reduce((n, f) => n + f.failures, 0),
  }));
  const [rest, graphql, apolloFigure] = figures as [BenchFigure, BenchFigure, BenchFigure];
  const graphqlToRest = graphql.requestsPerSecond / rest.requestsPerSecond;
  const graphqlToApollo = graphql.requestsPerSecond / apolloFigure.requestsPerSecond;
  const floorsHold = graphqlToRest >= 0.6 && graphqlToApollo >= 3 && figures.every((f) => f.failures === 0);
  return { figures, graphqlToRest, graphqlToApollo, floorsHold };
}

/** Prints a run as a small table with the floors. */
export function printGraphqlBench(result: GraphqlBenchResult): void {
  for (const f of result.figures) console.log(`${f.name.padEnd(48)} ${f.requestsPerSecond.toFixed(0).padStart(7)} req/s   p99 ${String(f.p99Ms).padStart(4)} ms   failures ${f.failures}`);
  console.log(`GraphQL / REST   ${result.graphqlToRest.toFixed(2)}  (floor 0.60) ${result.graphqlToRest >= 0.6 ? 'ok' : 'BELOW FLOOR'}`);
  console.log(`GraphQL / Apollo ${result.graphqlToApollo.toFixed(2)}  (floor 3.00) ${result.graphqlToApollo >= 3 ? 'ok' : 'BELOW FLOOR'}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runGraphqlBench();
  printGraphqlBench(result);
  if (!result.floorsHold) process.exitCode = 1;
}
