// `npm run bench`: the service against a bare node:http server answering with the identical
// bytes, on loopback, same connections and duration, interleaved rounds, medians.
// Floors: the service reaches 0.80 of the bare server's req/s on the single path and 0.70 on
// the path listing. Knobs: BENCH_SECONDS (5), BENCH_CONNECTIONS (32), BENCH_ROUNDS (3).
//
// To add a measurement, add a scenario below: `server` says which process answers, and
// `floor` compares its median req/s with another scenario's (e.g. a GraphQL query against
// the REST route of the same path).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runLoad, startChild, type ChildServer, type LoadFigure } from './load.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SEED = '/v1/paths/batch-vs-stream-processing';

/** One measured request. */
export interface Scenario {
  name: string;
  /** `service`: the real server process (`npm start`'s entry); `bare`: node:http with the service's bytes. */
  server: 'service' | 'bare';
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** This scenario must reach `ratio` × the req/s of scenario `of`. */
  floor?: { of: string; ratio: number };
}

/** The scenarios of `npm run bench`, measured in this order in every round. */
export const scenarios: Scenario[] = [
  { name: `bare    GET ${SEED}`, server: 'bare', path: SEED },
  { name: `service GET ${SEED}`, server: 'service', path: SEED, floor: { of: `bare    GET ${SEED}`, ratio: 0.8 } },
  { name: 'bare    GET /v1/paths', server: 'bare', path: '/v1/paths' },
  { name: 'service GET /v1/paths', server: 'service', path: '/v1/paths', floor: { of: 'bare    GET /v1/paths', ratio: 0.7 } },
];

/** The environment the service runs with: the defaults of `npm start`, on a free loopback port. */
export const SERVICE_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  CONTENT_DIR: join(root, 'content'),
  NODE_ENV: 'production',
};

interface ScenarioResult {
  scenario: Scenario;
  runs: LoadFigure[];
  requestsPerSecond: number;
  p99Ms: number;
  failures: number;
}

async function startService(): Promise<ChildServer> {
  return startChild(join(root, 'services/api/src/server.ts'), [], { ...SERVICE_ENV, ...pick(process.env, 'LOG_LEVEL', 'LOG_REQUESTS') }, /listening at (http:\/\/[^\s"(]+)/, root);
}

function pick(env: NodeJS.ProcessEnv, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (env[n] === undefined ? [] : [[n, env[n]!]])));
}

/** Captures the service's bytes for every bare scenario and starts the bare server with them. */
async function startBare(service: ChildServer, dir: string): Promise<ChildServer> {
  const table: Record<string, { contentType: string; body: string }> = {};
  for (const s of scenarios.filter((x) => x.server === 'bare')) {
    const response = await fetch(`${service.url}${s.path}`);
    if (!response.ok) throw new Error(`the service answered ${response.status} to GET ${s.path}`);
    table[s.path] = { contentType: response.headers.get('content-type') ?? 'application/json', body: Buffer.from(await response.arrayBuffer()).toString('base64') };
  }
  const file = join(dir, 'responses.json');
  await writeFile(file, JSON.stringify(table));
  const bare = await startChild(fileURLToPath(new URL('./bare-server.ts', import.meta.url)), [file], {}, /LISTENING (\S+)/, root);
  // The two must answer with the same bytes, or the comparison means nothing.
  for (const path of Object.keys(table)) {
    const [a, b] = await Promise.all([fetch(`${service.url}${path}`), fetch(`${bare.url}${path}`)]);
    if (!Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))) throw new Error(`bytes differ on ${path}`);
  }
  return bare;
}

/** Runs every scenario in interleaved rounds and returns the medians. */
export async function runHttpBench(
  seconds = Number(process.env['BENCH_SECONDS'] ?? 5),
  connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32),
  rounds = Math.max(3, Number(process.env['BENCH_ROUNDS'] ?? 3)),
): Promise<ScenarioResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'learnpath-bench-'));
  const service = await startService();
  let bare: ChildServer | undefined;
  try {
    bare = await startBare(service, dir);
    const servers = { service, bare };
    const target = (s: Scenario) => ({
      url: `${servers[s.server].url}${s.path}`,
      method: s.method ?? 'GET',
      ...(s.headers ? { headers: s.headers } : {}),
      ...(s.body !== undefined ? { body: s.body } : {}),
    });
    // Warm-up: JIT, the response caches, the connections.
    for (const s of scenarios) await runLoad(target(s), 1, connections);
    const results: ScenarioResult[] = scenarios.map((scenario) => ({ scenario, runs: [], requestsPerSecond: 0, p99Ms: 0, failures: 0 }));
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so neither side always runs right after the other.
      const order = round % 2 === 0 ? results : [...results].reverse();
      for (const result of order) {
        result.runs.push(await runLoad(target(result.scenario), seconds, connections));
        process.stdout.write('.');
      }
    }
    process.stdout.write('\n');
    for (const r of results) {
      r.requestsPerSecond = median(r.runs.map((f) => f.requestsPerSecond));
      r.p99Ms = median(r.runs.map((f) => f.p99Ms));
      r.failures = r.runs.reduce((n, f) => n + f.failures, 0);
    }
    return results;
  } finally {
    await Promise.all([service.stop(), bare?.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prints the figures and the floors; returns whether every floor holds and nothing failed. */
export function printHttpBench(results: ScenarioResult[], seconds: number, connections: number): boolean {
  console.log(`HTTP benchmark: ${connections} connections, ${seconds} s per run, median of ${results[0]?.runs.length ?? 0} interleaved runs, loopback`);
  console.log(`service: services/api/src/server.ts with ${Object.entries({ ...SERVICE_ENV, ...pick(process.env, 'LOG_LEVEL', 'LOG_REQUESTS') }).filter(([k]) => k !== 'CONTENT_DIR').map(([k, v]) => `${k}=${v}`).join(' ')} (other settings: npm start defaults)`);
  let ok = true;
  for (const r of results) {
    const runs = r.runs.map((f) => f.requestsPerSecond.toFixed(0)).join(' / ');
    console.log(`${r.scenario.name.padEnd(52)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s   p99 ${String(r.p99Ms).padStart(3)} ms   failures ${r.failures}   (${runs})`);
    if (r.failures > 0) ok = false;
  }
  for (const r of results) {
    if (!r.scenario.floor) continue;
    const base = results.find((x) => x.scenario.name === r.scenario.floor!.of);
    if (!base) throw new Error(`unknown scenario ${r.scenario.floor.of}`);
    const ratio = r.requestsPerSecond / base.requestsPerSecond;
    const holds = ratio >= r.scenario.floor.ratio;
    if (!holds) ok = false;
    console.log(`${r.scenario.name.trim()} / ${base.scenario.name.trim()}: ${ratio.toFixed(2)} (floor ${r.scenario.floor.ratio.toFixed(2)}) ${holds ? 'ok' : 'BELOW FLOOR'}`);
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
  const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
  const started = Date.now();
  const results = await runHttpBench(seconds, connections);
  const ok = printHttpBench(results, seconds, connections);
  console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (!ok) process.exitCode = 1;
}
