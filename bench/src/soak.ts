// `npm run bench:soak`: 60 s of mixed REST and GraphQL load at 64 connections against the real
// server process, on loopback. Passes when no request fails (socket errors, timeouts, any status
// outside 2xx except the deliberate 404s) and the server's resident memory grows by less than
// 10% between the 10th second and the end. RSS is read from /proc/<pid>/status of the server.
// Rate limiting is off for the run (RATE_LIMIT_MAX=0): the load generator is one loopback client.
// Knobs: SOAK_SECONDS (60), SOAK_CONNECTIONS (64).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startService } from './http.js';
import { BENCH_QUERY, SEED_SLUG } from './scenarios.js';

const require = createRequire(import.meta.url);

interface SoakRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status this request is meant to get (a deliberate 404), when not 2xx. */
  expect?: number;
  onResponse?: (status: number) => void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = require('autocannon') as (options: { url: string; connections: number; duration: number; requests: SoakRequest[] }) => Promise<AutocannonResult>;

const json = { 'content-type': 'application/json' };
const graphql = (query: string, variables?: Record<string, unknown>): SoakRequest => ({ method: 'POST', path: '/graphql', headers: json, body: JSON.stringify({ query, ...(variables ? { variables } : {}) }) });

/** The mix every connection cycles through: most REST routes and GraphQL queries, and two deliberate 404s. */
async function soakRequests(baseUrl: string): Promise<SoakRequest[]> {
  const seed = (await (await fetch(`${baseUrl}/v1/paths/${SEED_SLUG}`)).json()) as { phases: { id: string; resources: { id: string }[] }[] };
  const phase = seed.phases[0]!;
  const resources = seed.phases.flatMap((p) => p.resources.map((r) => r.id));
  const p = `/v1/paths/${SEED_SLUG}`;
  return [
    { method: 'GET', path: '/v1/paths' },
    { method: 'GET', path: p },
    graphql(BENCH_QUERY),
    { method: 'GET', path: '/v1/paths?q=stream&sort=-totalMinutes&limit=5' },
    { method: 'GET', path: `${p}/phases/${phase.id}` },
    { method: 'GET', path: `${p}/resources/${phase.resources[0]!.id}` },
    graphql('query Paths($first: Int) { paths(first: $first) { totalCount edges { cursor node { slug title totalMinutes } } } }', { first: 10 }),
    { method: 'GET', path: '/v1/resources?kind=video&limit=20' },
    { method: 'GET', path: `${p}/graph` },
    { method: 'GET', path: `${p}/graph?format=mermaid` },
    { method: 'POST', path: `${p}/progress`, headers: json, body: JSON.stringify({ completed: resources.slice(0, 2) }) },
    graphql('query Progress($path: ID!, $done: [ID!]!) { progress(path: $path, completed: $done) { percent next { id title } } }', { path: SEED_SLUG, done: resources.slice(0, 3) }),
    { method: 'GET', path: `${p}/export/markdown` },
    { method: 'GET', path: `${p}/export/jsonld` },
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/v1/paths/no-such-path', expect: 404 },
    graphql(`{ path(slug: "no-such-path") { title } }`),
    { method: 'GET', path: `${p}/resources/no-such-resource`, expect: 404 },
  ];
}

/** Resident memory of a process in bytes, from /proc (Linux). */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Runs the soak and prints the figures; returns whether it passed. */
export async function runSoak(seconds = Number(process.env['SOAK_SECONDS'] ?? 60), connections = Number(process.env['SOAK_CONNECTIONS'] ?? 64)): Promise<boolean> {
  const service = await startService({ RATE_LIMIT_MAX: '0' });
  const pid = service.child.pid!;
  try {
    const requests = await soakRequests(service.url);
    // Status counts per request of the mix, to tell deliberate 404s from failures.
    const statuses = requests.map(() => new Map<number, number>());
    const mix = requests.map((r, i): SoakRequest => ({
      method: r.method,
      path: r.path,
      ...(r.headers ? { headers: r.headers } : {}),
      ...(r.body !== undefined ? { body: r.body } : {}),
      onResponse: (status: number) => statuses[i]!.set(status, (statuses[i]!.get(status) ?? 0) + 1),
    }));
    for (const r of requests) {
      const response = await fetch(`${service.url}${r.path}`, { method: r.method, ...(r.headers ? { headers: r.headers } : {}), ...(r.body !== undefined ? { body: r.body } : {}) });
      await response.arrayBuffer();
      if (response.status !== (r.expect ?? 200)) throw new Error(`${r.method} ${r.path} answered ${response.status} before the soak began`);
    }

    console.log(`Soak: ${seconds} s, ${connections} connections, ${requests.length} requests in the mix (REST and GraphQL), loopback`);
    console.log(`service: services/api/src/server.ts (pid ${pid}), RATE_LIMIT_MAX=0 (rate limiting off for the load generator), NODE_ENV=production, other settings: npm start defaults`);
    const rss: number[] = [await rssOf(pid)];
    const started = Date.now();
    const sampler = setInterval(() => {
      void rssOf(pid).then((bytes) => {
        rss.push(bytes);
        const second = rss.length - 1;
        if (second % 10 === 0) console.log(`  ${String(second).padStart(3)} s   RSS ${mb(bytes)}`);
      });
    }, 1000);
    let result: AutocannonResult;
    try {
      result = await autocannon({ url: service.url, connections, duration: seconds, requests: mix });
    } finally {
      clearInterval(sampler);
    }
    const elapsed = (Date.now() - started) / 1000;
    rss.push(await rssOf(pid));
    const healthy = (await fetch(`${service.url}/healthz`)).ok;

    let deliberate404 = 0;
    let unexpected = 0;
    const unexpectedDetail: string[] = [];
    requests.forEach((r, i) => {
      for (const [status, count] of statuses[i]!) {
        if (status === (r.expect ?? 200) || (r.expect === undefined && status >= 200 && status < 300)) {
          if (status === 404) deliberate404 += count;
          continue;
        }
        unexpected += count;
        unexpectedDetail.push(`${r.method} ${r.path}: ${count} × ${status}`);
      }
    });
    // A window of samples on each side, so that one sample taken at a GC peak decides nothing.
    const windowMedian = (from: number): number => {
      const window = rss.slice(Math.max(0, Math.min(from, rss.length - 1)), Math.max(1, from + 10)).sort((a, b) => a - b);
      return window[window.length >> 1]!;
    };
    const startRss = windowMedian(10);
    const endRss = windowMedian(rss.length - 10);
    const growth = (endRss - startRss) / startRss;
    const failures = result.errors + result.timeouts + unexpected;

    console.log(`requests       ${result.requests.total} in ${elapsed.toFixed(0)} s (${result.requests.average.toFixed(0)} req/s)`);
    console.log(`latency        p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    console.log(`errors         ${result.errors} socket errors, ${result.timeouts} timeouts`);
    console.log(`non-2xx        ${unexpected} unexpected${unexpectedDetail.length > 0 ? ` (${unexpectedDetail.join('; ')})` : ''}, ${deliberate404} deliberate 404s`);
    console.log(`RSS            ${mb(rss[0]!)} at start, ${mb(startRss)} at 10 s, ${mb(endRss)} at the end (medians of 10 one-second samples), max ${mb(Math.max(...rss))}`);
    console.log(`RSS growth     ${(growth * 100).toFixed(1)}% from 10 s to the end (limit 10%)`);
    const checks: [string, boolean][] = [
      ['no failed request', failures === 0],
      ['RSS growth under 10%', growth < 0.1],
      ['healthy afterwards', healthy],
      ['deliberate 404s answered', deliberate404 > 0],
    ];
    for (const [what, holds] of checks) console.log(`${what.padEnd(28)} ${holds ? 'pass' : 'FAIL'}`);
    const ok = checks.every(([, holds]) => holds);
    console.log(ok ? 'soak: pass' : 'soak: FAIL');
    return ok;
  } finally {
    await service.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!(await runSoak())) process.exitCode = 1;
}
