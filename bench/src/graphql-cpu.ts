// CPU time per request of the uncached GraphQL rotation, the service against Apollo Server 5:
// user + system CPU of each server process (from /proc/PID/stat) over an autocannon run,
// divided by the requests it answered. Steadier than req/s on a machine shared with other work,
// since time spent waiting for a core is not counted (time slowed by others still is). Linux only.
// Run: `npx tsx --conditions=source bench/src/graphql-cpu.ts`. Knobs: BENCH_SECONDS (3),
// BENCH_ROUNDS (5), BENCH_CONNECTIONS (32); GRAPHQL_CPU_ALSO=mercurius,learnpath adds reference
// servers (graphql-server.ts: mercurius on a bare Fastify, and buildApp alone);
// GRAPHQL_CPU_PROFILE=1 profiles every server (node --cpu-prof) and summarises the measured runs.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monotonicMicros, summariseCpuProfile, type ClockWindow } from './cpu-profile.js';
import { startService } from './http.js';
import { median, processCpuMicros, runLoad, startChild, type ChildServer } from './load.js';
import { rotationBodies, ROTATION_PATHS } from './scenarios.js';
import { writeSyntheticCatalog } from './synthetic-paths.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** User + system CPU time of a server process so far, in µs (Linux only). */
async function cpuMicros(pid: number): Promise<number> {
  const micros = await processCpuMicros(pid);
  if (micros === null) throw new Error('graphql-cpu.ts reads CPU time from /proc: it runs on Linux only');
  return micros;
}

interface Side {
  name: string;
  server: ChildServer;
  url: string;
  profileDir?: string;
  rps: number[];
  micros: number[];
}

const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const profiling = process.env['GRAPHQL_CPU_PROFILE'] === '1';

const dir = await mkdtemp(join(tmpdir(), 'learnpath-graphql-cpu-'));
const servers: ChildServer[] = [];
try {
  const synthetic = join(dir, 'synthetic');
  await writeSyntheticCatalog(synthetic, ROTATION_PATHS);
  const bodies = rotationBodies(Array.from({ length: ROTATION_PATHS }, (_, n) => `synthetic-path-${String(n).padStart(5, '0')}`));
  const profileArgs = (name: string): string[] => (profiling ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, `profile-${name}`)}`] : []);
  const sides: Side[] = [];
  const service = await startService({ CONTENT_DIR: synthetic, DATA_DIR: join(dir, 'data') }, profileArgs('service'));
  servers.push(service);
  sides.push({ name: 'service', server: service, url: `${service.url}/graphql`, profileDir: join(dir, 'profile-service'), rps: [], micros: [] });
  const apollo = await startChild(fileURLToPath(new URL('./graphql-server.ts', import.meta.url)), ['apollo', synthetic], { NODE_ENV: 'production' }, /LISTENING (\S+)/, root);
  servers.push(apollo);
  sides.push({ name: 'apollo', server: apollo, url: `${apollo.url}/`, rps: [], micros: [] });
  for (const name of (process.env['GRAPHQL_CPU_ALSO'] ?? '').split(',').filter((x) => x !== '')) {
    const server = await startChild(fileURLToPath(new URL('./graphql-server.ts', import.meta.url)), [name, synthetic], { NODE_ENV: 'production' }, /LISTENING (\S+)/, root, profileArgs(name));
    servers.push(server);
    sides.push({ name, server, url: `${server.url}/graphql`, profileDir: join(dir, `profile-${name}`), rps: [], micros: [] });
  }
  const load = (side: Side, duration: number) => runLoad({ url: side.url, method: 'POST', headers: { 'content-type': 'application/json' }, bodies }, duration, connections);
  for (const side of sides) await load(side, 2);
  const windows: ClockWindow[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const before = await cpuMicros(side.server.child.pid!);
      const from = monotonicMicros();
      const figure = await load(side, seconds);
      windows.push([from, monotonicMicros()]);
      const used = (await cpuMicros(side.server.child.pid!)) - before;
      if (figure.failures > 0) throw new Error(`${side.name}: ${figure.failures} failed requests`);
      side.rps.push(figure.requestsPerSecond);
      side.micros.push(used / (figure.requestsPerSecond * seconds));
    }
    ratios.push(sides[0]!.rps.at(-1)! / sides[1]!.rps.at(-1)!);
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  for (const side of sides) {
    console.log(`${side.name.padEnd(10)} ${median(side.rps).toFixed(0).padStart(6)} req/s  ${median(side.micros).toFixed(0).padStart(4)} µs CPU/request (median; rounds ${side.micros.map((m) => m.toFixed(0)).join(' / ')})`);
  }
  console.log(`service / apollo: req/s ${median(ratios).toFixed(2)}× (median of rounds: ${ratios.map((r) => r.toFixed(2)).join(' / ')}); CPU per request ${(median(sides[1]!.micros) / median(sides[0]!.micros)).toFixed(2)}×`);
  if (profiling) {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    for (const side of sides) {
      if (side.profileDir === undefined) continue;
      const [file] = await readdir(side.profileDir);
      console.log(`${side.name}, during the measured runs:`);
      console.log(await summariseCpuProfile(join(side.profileDir, file!), windows));
    }
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
}
