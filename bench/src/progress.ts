// `npm run bench:progress`: learner progress through the real service process at 32 connections,
// on PGlite (always) and on PostgreSQL (when TEST_DATABASE_URL or DATABASE_URL is set):
// - completions written per second: each PUT marks a resource that was not done yet, so every
//   request is a committed change (completion, event, started path) acknowledged to the client;
//   a thousand learners write side by side (consecutive requests go to different learners);
// - stored progress read per second (GET …/progress of learners with half the seed done);
// - GET /v1/paths/{slug} in the same run, the baseline the two are compared with.
// Interleaved rounds and medians as in http.ts. Floors: PostgreSQL ≥ 3,000 writes/s and ≥ 8,000
// reads/s, PGlite ≥ 1,000 writes/s and ≥ 5,000 reads/s, p99 < 50 ms. The exit code is 1 when a
// floor fails. BENCH_CPU_PROF=1 profiles the service (node --cpu-prof) and prints where the time went in each scenario.
// Knobs: BENCH_SECONDS (5), BENCH_CONNECTIONS (32), BENCH_ROUNDS (3).
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '@learnpath/store';
import { createThrowawayDatabase } from '@learnpath/store/testing';
import { startService } from './http.js';
import { monotonicMicros, summariseCpuProfile, type ClockWindow } from './cpu-profile.js';
import { median, runLoad, type ChildServer, type LoadFigure, type LoadTarget } from './load.js';
import { SEED_SLUG } from './scenarios.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
const profile = process.env['BENCH_CPU_PROF'] === '1';
const P99_FLOOR_MS = 50;
const READ_LEARNERS = 100;
const WRITERS = 1_000;

type EngineName = 'PGlite' | 'PostgreSQL';
const FLOORS: Record<EngineName, { writes: number; reads: number }> = {
  PGlite: { writes: 1_000, reads: 5_000 },
  PostgreSQL: { writes: 3_000, reads: 8_000 },
};

const key = createApiKey('bench', ['progress:read', 'progress:write']);
const auth = { authorization: `Bearer ${key.secret}` };

interface Measured {
  name: string;
  runs: LoadFigure[];
  /** When its runs took place (for the CPU profile of each scenario). */
  windows: ClockWindow[];
}

const freshDatabase = (url: string) => createThrowawayDatabase(url, 'lp_bench');

async function send(url: string, method: string): Promise<void> {
  const response = await fetch(url, { method, headers: auth });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  await response.arrayBuffer();
}

/** Measures one engine: the service on it, the three scenarios in interleaved rounds. */
async function measure(engine: EngineName, env: Record<string, string>, profileDir: string | null): Promise<Measured[]> {
  const service: ChildServer = await startService({ API_KEYS: key.entry, ...env }, profileDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  try {
    // The service listens before the learner database has opened (a fresh PGlite takes seconds):
    // wait until /healthz no longer says it is unavailable.
    for (const deadline = Date.now() + 180_000; ; ) {
      const health = (await (await fetch(`${service.url}/healthz`)).json()) as { reasons?: { code: string }[] };
      if (!health.reasons?.some((r) => r.code === 'database-unavailable')) break;
      if (Date.now() > deadline) throw new Error(`the learner database did not open in time: ${JSON.stringify(health)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seed = (await (await fetch(`${service.url}/v1/paths/${SEED_SLUG}`)).json()) as { phases: { resources: { id: string }[] }[] };
    const resources = seed.phases.flatMap((p) => p.resources.map((r) => r.id));
    // The learners whose progress is read: half of the seed done each.
    for (let l = 0; l < READ_LEARNERS; l++) {
      await Promise.all(resources.slice(0, resources.length >> 1).map((id) => send(`${service.url}/v1/learners/reader-${l}/paths/${SEED_SLUG}/completions/${id}`, 'PUT')));
    }
    // Every write completes a resource not done before: learner n/R, resource n mod R.
    let written = 0;
    let read = 0;
    const scenarios: { name: string; target: LoadTarget }[] = [
      { name: `GET /v1/paths/${SEED_SLUG}`, target: { url: `${service.url}/v1/paths/${SEED_SLUG}` } },
      {
        name: 'PUT …/completions/{resourceId} (writes)',
        target: {
          url: service.url,
          method: 'PUT',
          headers: auth,
          nextPath: () => {
            // Learners write side by side, as they do in a class: consecutive writes go to
            // different learners, each marking the next resource it has not done yet.
            const n = written++;
            const round = Math.floor(n / (WRITERS * resources.length));
            const learner = round * WRITERS + (n % WRITERS);
            return `/v1/learners/writer-${learner}/paths/${SEED_SLUG}/completions/${resources[Math.floor(n / WRITERS) % resources.length]}`;
          },
        },
      },
      {
        name: 'GET …/progress (reads)',
        target: { url: service.url, headers: auth, nextPath: () => `/v1/learners/reader-${read++ % READ_LEARNERS}/paths/${SEED_SLUG}/progress` },
      },
    ];
    // Warm-up: JIT, caches, connections.
    for (const s of scenarios) await runLoad(s.target, 1, connections);
    const results: Measured[] = scenarios.map((s) => ({ name: s.name, runs: [], windows: [] }));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? scenarios.map((_, i) => i) : scenarios.map((_, i) => scenarios.length - 1 - i);
      for (const i of order) {
        const from = monotonicMicros();
        results[i]!.runs.push(await runLoad(scenarios[i]!.target, seconds, connections));
        results[i]!.windows.push([from, monotonicMicros()]);
        process.stdout.write('.');
      }
    }
    process.stdout.write(` ${engine}: ${written} completions written\n`);
    return results;
  } finally {
    await service.stop();
  }
}

function report(engine: EngineName, results: Measured[]): boolean {
  const [baseline, writes, reads] = results as [Measured, Measured, Measured];
  const rate = (m: Measured) => median(m.runs.map((f) => f.requestsPerSecond));
  const p99 = (m: Measured) => median(m.runs.map((f) => f.p99Ms));
  const failures = (m: Measured) => m.runs.reduce((n, f) => n + f.failures, 0);
  const base = rate(baseline);
  let ok = true;
  console.log(`${engine}:`);
  for (const [m, floor] of [
    [baseline, null],
    [writes, FLOORS[engine].writes],
    [reads, FLOORS[engine].reads],
  ] as const) {
    const rps = rate(m);
    const holds = (floor === null || rps >= floor) && (m === baseline || p99(m) < P99_FLOOR_MS) && failures(m) === 0;
    if (!holds) ok = false;
    const runs = m.runs.map((f) => f.requestsPerSecond.toFixed(0)).join(' / ');
    console.log(
      `  ${m.name.padEnd(42)} ${rps.toFixed(0).padStart(6)} req/s${floor === null ? '              ' : ` (floor ${String(floor).padStart(5)})`}` +
        `   p99 ${String(p99(m)).padStart(3)} ms${m === baseline ? '             ' : ` (floor < ${P99_FLOOR_MS})`}` +
        `   ${(rps / base).toFixed(2)} × baseline   failures ${failures(m)}   ${m === baseline ? '' : holds ? 'pass' : 'FAIL'}   (${runs})`,
    );
  }
  return ok;
}

const started = Date.now();
const loadBefore = loadavg()[0] ?? 0;
const postgresUrl = process.env['TEST_DATABASE_URL']?.trim() || process.env['DATABASE_URL']?.trim() || null;
const measured: [EngineName, Measured[]][] = [];
const profileDir = profile ? await mkdtemp(join(tmpdir(), 'learnpath-progress-prof-')) : null;
try {
  const dataDir = await mkdtemp(join(tmpdir(), 'learnpath-bench-data-'));
  try {
    measured.push(['PGlite', await measure('PGlite', { DATA_DIR: dataDir }, profileDir === null ? null : join(profileDir, 'pglite'))]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  if (postgresUrl === null) {
    console.log('PostgreSQL: skipped, neither TEST_DATABASE_URL nor DATABASE_URL is set');
  } else {
    const database = await freshDatabase(postgresUrl);
    try {
      measured.push(['PostgreSQL', await measure('PostgreSQL', { DATABASE_URL: database.url }, profileDir === null ? null : join(profileDir, 'postgres'))]);
    } finally {
      await database.drop();
    }
  }

  console.log(`\nprogress benchmark: ${connections} connections, ${seconds} s per run, median of ${rounds} interleaved runs, loopback, the service with npm start's defaults (rate limiting off)`);
  console.log(`machine load average before the run ${loadBefore.toFixed(2)} on ${availableParallelism()} cores: the load generator shares them with the service (and the database)`);
  let ok = true;
  for (const [engine, results] of measured) if (!report(engine, results)) ok = false;
  if (profileDir !== null) {
    for (const [engine, results] of measured) {
      const dir = join(profileDir, engine === 'PGlite' ? 'pglite' : 'postgres');
      // The service's main thread wrote the largest profile (the others are loader threads).
      const files = await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).map(async (f) => ({ file: join(dir, f), size: (await stat(join(dir, f))).size })));
      const main = files.sort((a, b) => b.size - a.size)[0];
      if (main === undefined) continue;
      for (const m of results) console.log(`\nwhere the service's CPU time went on ${engine}, ${m.name}:\n${await summariseCpuProfile(main.file, m.windows)}`);
    }
  }
  console.log(ok ? 'all floors hold, no failed requests: pass' : 'FAIL');
  if (!ok) process.exitCode = 1;
} finally {
  if (profileDir !== null) await rm(profileDir, { recursive: true, force: true });
}
console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
