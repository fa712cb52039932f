// The HTTP scenarios of `npm run bench` (bench.ts runs them, then GraphQL abuse under load): every
// scenario of bench/src/scenarios.ts in one run, on loopback, same connections and duration, interleaved rounds, medians, floors with pass/fail:
// - the service against a bare node:http server answering with the identical bytes
//   (≥ 0.90 on the seed path and on the path listing);
// - GraphQL over POST, cached (the seed query repeated, answered from the result cache) against
//   the REST route of the same path (≥ 0.90), and uncached (a different path or field selection
//   on every request over a 2,000-path synthetic catalog) against Apollo Server 5 serving the
//   same schema, resolvers, catalog and rotation (≥ 3×). See bench/README.md.
// A floor compares the two scenarios' runs of the same round, and holds when the median of
// those ratios reaches it: load from elsewhere on the machine then weighs on both sides alike.
// Knobs: BENCH_SECONDS (2), BENCH_CONNECTIONS (32), BENCH_ROUNDS (12, at least 3). Many short
// rounds rather than a few long ones: a shared machine's speed drifts over seconds, and a ratio taken
// between runs two seconds apart, the median of twelve, moves less than one of five 5 s runs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, processCpuMicros, runLoad, startChild, type ChildServer, type LoadFigure } from './load.js';
import { allScenarios, rotationBodies, ROTATION_PATHS, type Scenario, type ServerName } from './scenarios.js';
import { writeSyntheticCatalog } from './synthetic-paths.js';

export type { Scenario } from './scenarios.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const loadBefore = loadavg()[0] ?? 0;

// Seconds per run and rounds of every scenario (see the knobs above).
const DEFAULT_SECONDS = 2;
const DEFAULT_ROUNDS = 12;

/** The scenarios of `npm run bench`, measured in this order in every round. */
export const scenarios: Scenario[] = allScenarios;

/**
 * The environment the service runs with: the defaults of `npm start`, on a free loopback port,
 * with rate limiting off (a load generator on loopback is one client sending thousands of
 * requests a second; with the default limit it would measure 429s).
 */
export const SERVICE_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  CONTENT_DIR: join(root, 'content'),
  NODE_ENV: 'production',
  RATE_LIMIT_MAX: '0',
};

/** The medians of one scenario over the rounds. */
export interface ScenarioResult {
  scenario: Scenario;
  runs: LoadFigure[];
  /** CPU time of the answering process per request answered, in µs, one per run (empty where /proc is missing). */
  cpuPerRequest: number[];
  requestsPerSecond: number;
  p99Ms: number;
  failures: number;
}

/**
 * Starts the real service process, as `npm start` does, and waits until `/healthz` says `ok`:
 * a fresh learner database is still being created when the service starts listening, and
 * that work would weigh on the first rounds. `nodeArgs` go to node (e.g. `--cpu-prof`).
 */
export async function startService(env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<ChildServer> {
  const settings = { ...SERVICE_ENV, ...pick(process.env, 'LOG_LEVEL', 'LOG_REQUESTS'), ...env };
  // The service says where it listens in a line logged at "info": with a level that hides it,
  // it is given a free port picked here and waited for by its health check alone.
  const announced = ['trace', 'debug', 'info', undefined].includes(settings['LOG_LEVEL']?.trim().toLowerCase());
  const host = settings['HOST'] ?? '127.0.0.1';
  if (!announced && settings['PORT'] === '0') settings['PORT'] = String(await freePort(host));
  const address = announced ? /listening at (http:\/\/[^\s"(]+)/ : { url: `http://${host}:${settings['PORT']}` };
  const service = await startChild(join(root, 'services/api/src/server.ts'), [], settings, address, root, nodeArgs);
  let status = 'unreachable';
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) throw new Error(`the service exited (${service.child.exitCode ?? service.child.signalCode}) before it was ready`);
    // A busy machine may drop a connection now and then; that is not an answer yet.
    status = await fetch(`${service.url}/healthz`)
      .then((response) => response.json() as Promise<{ status?: string }>)
      .then((health) => health.status ?? 'unknown', () => 'unreachable');
    if (status === 'ok') return service;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await service.stop();
  throw new Error(`the service at ${service.url} is still ${status} after two minutes`);
}

/** A TCP port nothing listens on at the moment, on `host`. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function pick(env: NodeJS.ProcessEnv, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (env[n] === undefined ? [] : [[n, env[n]!]])));
}

/** Captures the service's bytes for every bare scenario and starts the bare server with them. */
async function startBare(list: readonly Scenario[], service: ChildServer, dir: string): Promise<ChildServer> {
  const table: Record<string, { headers: Record<string, string>; body: string }> = {};
  for (const s of list.filter((x) => x.server === 'bare')) {
    const response = await fetch(`${service.url}${s.path}`, IDENTITY);
    if (!response.ok) throw new Error(`the service answered ${response.status} to GET ${s.path}`);
    table[s.path] = { headers: replayedHeaders(response.headers), body: Buffer.from(await response.arrayBuffer()).toString('base64') };
  }
  const file = join(dir, 'responses.json');
  await writeFile(file, JSON.stringify(table));
  const bare = await startChild(fileURLToPath(new URL('./bare-server.ts', import.meta.url)), [file], {}, /LISTENING (\S+)/, root);
  // The two must answer with the same bytes, or the comparison means nothing.
  for (const path of Object.keys(table)) {
    const [a, b] = await Promise.all([fetch(`${service.url}${path}`, IDENTITY), fetch(`${bare.url}${path}`, IDENTITY)]);
    if (!Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))) throw new Error(`bytes differ on ${path}`);
    if (JSON.stringify(replayedHeaders(a.headers)) !== JSON.stringify(replayedHeaders(b.headers))) throw new Error(`headers differ on ${path}`);
  }
  return bare;
}

// The bare server answers with the service's whole response, headers included (ETag,
// Cache-Control, CORS…): the comparison then measures the framework, not header bytes. Node
// writes the connection headers and the date itself.
// Captured uncompressed, as the load generator asks for them.
const IDENTITY = { headers: { 'accept-encoding': 'identity' } };
const NODE_OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
function replayedHeaders(headers: Headers): Record<string, string> {
  const kept: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!NODE_OWN_HEADERS.has(name)) kept.push([name, value]);
  });
  return Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function startApollo(contentDir?: string): Promise<ChildServer> {
  return startChild(fileURLToPath(new URL('./graphql-server.ts', import.meta.url)), ['apollo', ...(contentDir ? [contentDir] : [])], { NODE_ENV: 'production' }, /LISTENING (\S+)/, root);
}

/** The slugs of the synthetic catalog the uncached scenarios rotate over (file names are slugs). */
function syntheticSlugs(count: number): string[] {
  return Array.from({ length: count }, (_, n) => `synthetic-path-${String(n).padStart(5, '0')}`);
}

/** Checks that a scenario answers 2xx with data before it is measured: a benchmark of errors measures nothing. */
async function checkAnswers(url: string, s: Scenario, bodies: readonly string[] | undefined): Promise<void> {
  // A sample of a rotation, every selection among it: a typo in one would otherwise be measured as errors.
  for (const body of bodies?.filter((_, i) => i % 97 === 0 || i % ROTATION_PATHS === 0) ?? [s.body]) {
    const response = await fetch(url, { method: s.method ?? 'GET', ...(s.headers ? { headers: s.headers } : {}), ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    if (!response.ok || text.includes('"errors"') || /"data":\{"\w+":null/.test(text)) throw new Error(`${s.name.trim()} answered ${response.status}: ${text.slice(0, 300)}`);
  }
}

/** Whether two servers give the same data to every body of a rotation (the comparison is only fair then). */
async function checkSameAnswers(a: string, b: string, s: Scenario, bodies: readonly string[]): Promise<void> {
  for (const body of bodies.filter((_, i) => i % 97 === 0 || i % ROTATION_PATHS === 0)) {
    const init = { method: 'POST', headers: s.headers ?? {}, body };
    const [x, y] = await Promise.all([fetch(a, init).then((r) => r.json()), fetch(b, init).then((r) => r.json())]);
    if (JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`${s.name.trim()}: the two servers answer ${body} differently`);
  }
}

/** Runs the scenarios in interleaved rounds and returns the medians. */
export async function runHttpBench(
  list: readonly Scenario[] = scenarios,
  seconds = Number(process.env['BENCH_SECONDS'] ?? DEFAULT_SECONDS),
  connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32),
  rounds = Math.max(3, Number(process.env['BENCH_ROUNDS'] ?? DEFAULT_ROUNDS)),
): Promise<ScenarioResult[]> {
  const needs = new Set(list.map((s) => s.server));
  const dir = await mkdtemp(join(tmpdir(), 'learnpath-bench-'));
  const servers: Partial<Record<ServerName, ChildServer>> = {};
  try {
    // Each service its own learner database folder: a PGlite folder belongs to one process.
    servers.service = await startService({ DATA_DIR: join(dir, 'data') });
    if (needs.has('bare')) servers.bare = await startBare(list, servers.service, dir);
    if (needs.has('apollo')) servers.apollo = await startApollo();
    const synthetic = join(dir, 'synthetic');
    const bodies = rotationBodies(syntheticSlugs(ROTATION_PATHS));
    if (needs.has('service-synthetic') || needs.has('apollo-synthetic')) await writeSyntheticCatalog(synthetic, ROTATION_PATHS);
    if (needs.has('service-synthetic')) servers['service-synthetic'] = await startService({ CONTENT_DIR: synthetic, DATA_DIR: join(dir, 'data-synthetic') });
    if (needs.has('apollo-synthetic')) servers['apollo-synthetic'] = await startApollo(synthetic);
    const target = (s: Scenario) => ({
      url: `${servers[s.server]!.url}${s.path}`,
      method: s.method ?? 'GET',
      ...(s.headers ? { headers: s.headers } : {}),
      ...(s.body !== undefined ? { body: s.body } : {}),
      ...(s.rotate ? { bodies } : {}),
    });
    for (const s of list) await checkAnswers(target(s).url, s, s.rotate ? bodies : undefined);
    const rotating = list.filter((s) => s.rotate);
    if (rotating.length === 2) await checkSameAnswers(target(rotating[0]!).url, target(rotating[1]!).url, rotating[0]!, bodies);
    // Warm-up: JIT, the response caches, the connections.
    for (const s of list) await runLoad(target(s), 1, connections);
    const results: ScenarioResult[] = list.map((scenario) => ({ scenario, runs: [], cpuPerRequest: [], requestsPerSecond: 0, p99Ms: 0, failures: 0 }));
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so that no scenario always runs right after the same other one.
      const order = round % 2 === 0 ? results : [...results].reverse();
      for (const result of order) {
        const pid = servers[result.scenario.server]!.child.pid;
        const before = await processCpuMicros(pid);
        const figure = await runLoad(target(result.scenario), seconds, connections);
        const after = await processCpuMicros(pid);
        result.runs.push(figure);
        const answered = figure.requestsPerSecond * seconds;
        if (before !== null && after !== null && answered > 0) result.cpuPerRequest.push((after - before) / answered);
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
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prints the figures and the floors; returns whether every floor holds and nothing failed. */
export function printHttpBench(results: readonly ScenarioResult[], seconds: number, connections: number): boolean {
  console.log(`HTTP benchmark: ${connections} connections, ${seconds} s per run, median of ${results[0]?.runs.length ?? 0} interleaved runs, loopback`);
  console.log(`floors: the median of the per-round ratios; machine load average before the run ${loadBefore.toFixed(2)} on ${availableParallelism()} cores (figures compare only on an otherwise idle machine)`);
  console.log(
    `service: services/api/src/server.ts with ${Object.entries({ ...SERVICE_ENV, ...pick(process.env, 'LOG_LEVEL', 'LOG_REQUESTS') })
      .filter(([k]) => k !== 'CONTENT_DIR')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} (rate limiting off for the load generator; other settings: npm start defaults)`,
  );
  let ok = true;
  // CPU per request of the answering process (user + system, every thread): beside req/s for
  // reading, not for the floors. It moves less when the machine's speed moves under a run.
  const measured = (r: ScenarioResult): boolean => r.runs.length > 0 && r.cpuPerRequest.length === r.runs.length;
  const cpu = (r: ScenarioResult): string => (measured(r) ? `   CPU ${median(r.cpuPerRequest).toFixed(0).padStart(4)} µs/request` : '');
  for (const r of results) {
    const runs = r.runs.map((f) => f.requestsPerSecond.toFixed(0)).join(' / ');
    console.log(`${r.scenario.name.padEnd(52)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s   p99 ${String(r.p99Ms).padStart(3)} ms   failures ${r.failures}${cpu(r)}   (${runs})`);
    if (r.failures > 0) ok = false;
  }
  for (const r of results) {
    for (const floor of r.scenario.floors ?? []) {
      const base = results.find((x) => x.scenario.name === floor.of);
      if (!base) throw new Error(`unknown scenario ${floor.of}`);
      const perRound = r.runs.map((run, i) => run.requestsPerSecond / base.runs[i]!.requestsPerSecond);
      const ratio = median(perRound);
      const holds = ratio >= floor.ratio;
      if (!holds) ok = false;
      const rounds = perRound.map((x) => x.toFixed(2)).join(' / ');
      // The same comparison in CPU per request (the base's over this scenario's, so that higher is better here too).
      const cpuRounds = measured(r) && measured(base) ? r.cpuPerRequest.map((micros, i) => base.cpuPerRequest[i]! / micros) : [];
      const cpuRatio = cpuRounds.length > 0 ? `; in CPU per request ${median(cpuRounds).toFixed(2)} (${cpuRounds.map((x) => x.toFixed(2)).join(' / ')})` : '';
      console.log(`${`${r.scenario.name.trim()} / ${base.scenario.name.trim()}`.padEnd(80)} ${ratio.toFixed(2).padStart(5)}  (floor ${floor.ratio.toFixed(2)})  ${holds ? 'pass' : 'FAIL'}   (${rounds})${cpuRatio}`);
    }
  }
  console.log(ok ? 'all floors hold, no failed requests: pass' : 'FAIL');
  return ok;
}

/** Runs some scenarios, prints them and sets the exit code. */
export async function main(list: readonly Scenario[] = scenarios): Promise<void> {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? DEFAULT_SECONDS);
  const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
  const started = Date.now();
  const results = await runHttpBench(list, seconds, connections);
  const ok = printHttpBench(results, seconds, connections);
  console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (!ok) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
