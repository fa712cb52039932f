// `npm run bench:scale`: a large provider's catalog. Generates 100,000 paths (1.2 million
// resources), builds the catalog file, starts the service from it as a real process and
// measures boot time, steady RSS and, at 32 connections, the p99 of searches, a path, a page
// deep in the cursor order and a GraphQL connection. Every figure is printed with its floor.
// SCALE_PATHS and SCALE_SECONDS change the size and the length of each run.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rename, stat } from 'node:fs/promises';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SERVICE_ENV } from './http.js';
import { startChild } from './load.js';
import { scaleSlug } from './scale-paths.js';
import { SCALE_KINDS as KINDS, scaleQueries as queries } from './scale-queries.js';

const require = createRequire(import.meta.url);
interface Cannon {
  latency: { p99: number; p50: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface CannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (request: CannonRequest) => CannonRequest;
}
const autocannon = require('autocannon') as (options: { url: string; connections: number; duration: number; requests: CannonRequest[] }) => Promise<Cannon>;

const COUNT = Number(process.env.SCALE_PATHS ?? 100_000);
const SECONDS = Number(process.env.SCALE_SECONDS ?? 10);
const CONNECTIONS = 32;
const FLOORS = { bootMs: 8000, rssBytes: 2.5 * 2 ** 30, p99Ms: 25 };

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'ABOVE FLOOR');


function rotating(paths: readonly string[], extra: Omit<CannonRequest, 'path' | 'setupRequest'> = {}): CannonRequest[] {
  let i = 0;
  return [{ ...extra, setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) }];
}

// Waits (at most 60 s) until a health check is answered within 20 ms, i.e. nothing is queued before it.
async function settle(url: string): Promise<void> {
  const until = performance.now() + 60_000;
  for (;;) {
    const started = performance.now();
    await fetch(`${url}/healthz`);
    if (performance.now() - started < 20 || performance.now() > until) return;
  }
}

async function rssOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const file = join(tmpdir(), `learnpath-scale-${COUNT}-v1.json`);
console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (the floors assume an otherwise idle machine)`);
if (existsSync(file)) {
  console.log(`catalog: ${COUNT.toLocaleString('en')} paths, reusing ${file} (${mib((await stat(file)).size)})`);
} else {
  const started = performance.now();
  await promisify(execFile)(process.execPath, ['--max-old-space-size=8000', '--import', 'tsx', '--conditions=source', fileURLToPath(new URL('./scale-build.ts', import.meta.url)), String(COUNT), `${file}.tmp`], { cwd: root });
  await rename(`${file}.tmp`, file);
  console.log(`catalog: ${COUNT.toLocaleString('en')} paths (${(COUNT * 12).toLocaleString('en')} resources) compiled and written in ${((performance.now() - started) / 1000).toFixed(1)} s: ${file} (${mib((await stat(file)).size)})`);
}

// Boot is the time from spawning the process to its first answer from the content: what a
// load balancer's readiness check on a content route sees. The learner database opens beside it
// (a fresh one takes seconds) and is timed apart, as the time to a healthy /healthz.
const bootStarted = performance.now();
const service = await startChild(join(root, 'services/api/src/server.ts'), [], { ...SERVICE_ENV, CATALOG_FILE: file }, /listening at (http:\/\/[^\s"(]+)/, root);
const listenMs = performance.now() - bootStarted;
const firstSlug = scaleSlug(Math.floor(COUNT / 2));
while (!(await fetch(`${service.url}/v1/paths/${firstSlug}`).then((r) => r.ok, () => false)));
const bootMs = performance.now() - bootStarted;
let health = '';
while (health !== 'ok') {
  health = await fetch(`${service.url}/healthz`).then((r) => r.json() as Promise<{ status?: string }>).then((h) => h.status ?? '', () => '');
  if (health !== 'ok') await new Promise((resolve) => setTimeout(resolve, 50));
}
const healthyMs = performance.now() - bootStarted;
const pid = service.child.pid!;
const failures: string[] = [];
try {
  console.log(`boot (spawn to the first path served): ${(bootMs / 1000).toFixed(2)} s  floor < ${FLOORS.bootMs / 1000} s  ${verdict(bootMs < FLOORS.bootMs)}  (listening after ${(listenMs / 1000).toFixed(2)} s; /healthz ok, with the learner database open, after ${(healthyMs / 1000).toFixed(2)} s)`);
  if (bootMs >= FLOORS.bootMs) failures.push('boot');
  const atBoot = await rssOf(pid);
  console.log(`RSS after boot: ${mib(atBoot.rss)}`);

  // The search index builds in the background after listening, the paths first: the first
  // search of paths waits for theirs, the first search of resources for the whole index (the
  // scenarios below start once it is built).
  const firstStarted = performance.now();
  // node:http rather than fetch: fetch gives up on a response that takes more than 300 s to start.
  // The service closes a connection idle for CONNECTION_TIMEOUT_MS (60 s) while a search waits
  // for the index: the search is then sent again until it is answered.
  const searchOnce = (path: string): Promise<number> =>
    new Promise<number>((resolve) => {
      get(`${service.url}${path}`, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      }).once('error', () => resolve(0));
    });
  for (const [what, path] of [
    ['first search of paths after boot (waits for their index)', '/v1/paths?q=kafka'],
    ['first search of resources after boot (waits for the rest of the index)', '/v1/resources?q=kafka'],
  ] as const) {
    let status = 0;
    let attempts = 0;
    // A search that waits longer than the service's index wait (15 s) is answered 503 with
    // Retry-After: it is sent again, as a client would, until the index is built.
    while ((status === 0 || status === 503) && attempts++ < 120) status = await searchOnce(path);
    if (status !== 200) throw new Error(`search failed: ${status}`);
    console.log(`${what}: ${((performance.now() - firstStarted) / 1000).toFixed(2)} s (${attempts} request${attempts === 1 ? '' : 's'})`);
  }

  // Cursors deep in the title order: every page of 100 walked once, the last 200 kept.
  const walkStarted = performance.now();
  const cursors: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response = await fetch(`${service.url}/v1/paths?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const body = (await response.json()) as { nextCursor: string | null };
    cursor = body.nextCursor;
    pages++;
    if (cursor !== null) cursors.push(cursor);
  } while (cursor !== null);
  const deep = cursors.slice(-200);
  console.log(`walked ${pages} pages of 100 in title order in ${((performance.now() - walkStarted) / 1000).toFixed(1)} s; the deep-page scenario rotates over the last ${deep.length} cursors`);

  const qs = queries();
  const slugs = Array.from({ length: 5000 }, (_, i) => scaleSlug((i * 7919) % COUNT));
  const enc = encodeURIComponent;
  const scenarios: { name: string; requests: CannonRequest[] }[] = [
    { name: `GET /v1/paths?q=… (${qs.length} searches)`, requests: rotating(qs.map((q) => `/v1/paths?q=${enc(q)}`)) },
    { name: `GET /v1/resources?q=…&kind=… (${qs.length} searches)`, requests: rotating(qs.map((q, i) => `/v1/resources?q=${enc(q)}&kind=${KINDS[i % KINDS.length]}`)) },
    { name: `GET /v1/paths/{slug} (${slugs.length} paths)`, requests: rotating(slugs.map((s) => `/v1/paths/${s}`)) },
    { name: `GET /v1/paths?cursor=… (pages ${pages - deep.length}–${pages - 1} of ${pages})`, requests: rotating(deep.map((c) => `/v1/paths?limit=20&cursor=${enc(c)}`)) },
    {
      name: `POST /graphql paths connection (${qs.length} searches)`,
      requests: (() => {
        let i = 0;
        return [
          {
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request: CannonRequest) => ({
              ...request,
              body: JSON.stringify({ query: 'query ($q: String) { paths(filter: { q: $q }, first: 10) { totalCount edges { node { slug title totalMinutes } } pageInfo { endCursor } } }', variables: { q: qs[i++ % qs.length] } }),
            }),
          },
        ];
      })(),
    },
  ];
  console.log(`${CONNECTIONS} connections, ${SECONDS} s per scenario; each search is new to the service the first time it comes round`);
  for (const scenario of scenarios) {
    // Requests the previous scenario left with the service are answered before this one starts:
    // until then a health check waits behind them.
    await settle(service.url);
    const result = await autocannon({ url: service.url, connections: CONNECTIONS, duration: SECONDS, requests: scenario.requests });
    const bad = result.non2xx + result.errors + result.timeouts;
    // A scenario whose requests never completed has no latency to speak of (autocannon reports 0):
    // that is a failure, not a fast run.
    const why = result.requests.total === 0 ? `no request completed in ${SECONDS} s (${result.timeouts} timeouts, ${result.errors} errors)` : bad > 0 ? `${bad} failures` : null;
    const ok = result.latency.p99 < FLOORS.p99Ms && why === null;
    if (!ok) failures.push(why === null ? scenario.name : `${scenario.name}: ${why}`);
    console.log(`${scenario.name.padEnd(58)} p99 ${String(result.latency.p99).padStart(4)} ms  floor < ${FLOORS.p99Ms} ms  (p50 ${result.latency.p50} ms, ${result.requests.average.toFixed(0)} req/s, ${result.requests.total} requests, ${bad} failures)  ${why === null ? verdict(ok) : `FAILED: ${why}`}`);
  }
  const steady = await rssOf(pid);
  console.log(`steady RSS: ${mib(steady.rss)} (peak ${mib(steady.peak)})  floor < ${mib(FLOORS.rssBytes)}  ${verdict(steady.rss < FLOORS.rssBytes)}`);
  if (steady.rss >= FLOORS.rssBytes) failures.push('RSS');
} finally {
  await service.stop();
}
if (failures.length > 0) {
  console.log(`above the floor: ${failures.join('; ')}`);
  process.exitCode = 1;
}
