// `npm run bench` scenario "GraphQL abuse under load" (alone: `npx tsx bench/src/graphql-abuse.ts`),
// against the real service process on loopback: 50 connections send
// hostile queries in a loop (300 aliases, depth 50, token floods, a 2 MB body, a 500-operation
// batch, huge pages, CSRF-style requests), and the p99 latency of normal queries must stay
// within 5× its idle value, measured in the same run. Latencies under 5 ms count as 5 ms, so
// noise on tiny numbers cannot fail the ratio.

// Idle and loaded samples are taken in alternating blocks, so that load from elsewhere on the
// machine weighs on both alike; a noisy attempt is retried.
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startService } from './http.js';
import type { ChildServer } from './load.js';

const BLOCKS = 6;
const BLOCK_SAMPLES = 100;
const ATTEMPTS = 3;
const HOSTILE_CONNECTIONS = 50;
const FLOOR_MS = 5;
const MAX_RATIO = 5;

const NORMAL_QUERIES = [
  '{ path(slug: "batch-vs-stream-processing") { title phases { title resources { title kind durationMinutes } } } }',
  '{ paths(first: 10) { totalCount edges { cursor node { slug title totalMinutes } } pageInfo { hasNextPage } } }',
  '{ resource(path: "batch-vs-stream-processing", id: "stream-processing") { title kind } }',
];

// The hostile clients run on a thread of their own, so their work does not sit in the event
// loop that times the normal queries. Plain CommonJS: it is evaluated as is.
const HOSTILE_CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { port, connections } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const stats = { requests: 0, statuses: {}, codes: {}, socketErrors: 0 };
// 'pause' holds every loop before its next request, 'resume' lets them go, 'stop' ends them.
let stop = false;
let gate = null;
let release = () => {};
parentPort.on('message', (m) => {
  if (m === 'pause' && gate === null) gate = new Promise((resolve) => { release = resolve; });
  if (m === 'resume' || m === 'stop') { gate = null; release(); }
  if (m === 'stop') stop = true;
});
// The GraphQL-over-HTTP media type, under which every refused request is a 4xx.
const json = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
const post = (payload) => ({ method: 'POST', path: '/graphql', headers: json, body: typeof payload === 'string' ? payload : JSON.stringify(payload) });
const slug = '"batch-vs-stream-processing"';
function deep(levels, salt) {
  let inner = 'title';
  for (let i = 0; i < levels; i++) inner = (i % 2 === 0 ? 'phases' : 'learningPath') + ' { ' + inner + ' }';
  return '{ s' + salt + ': path(slug: ' + slug + ') { ' + inner + ' } }';
}
const twoMegabytes = JSON.stringify({ query: '{ ' + 'path(slug: ' + slug + ') { title } '.repeat(70000) + '}' });
const kinds = [
  // 300 aliases, a new query text each time so no parsed-query cache can help.
  (n) => post({ query: '{ ' + Array.from({ length: 300 }, (_, i) => 'a' + n + '_' + i + ': paths { totalCount }').join(' ') + ' }' }),
  (n) => post({ query: deep(50, n) }),
  // A token flood that stays under the body limit.
  (n) => post({ query: '{ __typename ' + '__typename '.repeat(5000) + '} # ' + n }),
  (n) => ({ method: 'POST', path: '/graphql', headers: json, body: twoMegabytes }),
  (n) => post(Array.from({ length: 500 }, (_, i) => ({ query: '{ a' + n + '_' + i + ': __typename }' }))),
  (n) => post({ query: '{ paths(first: 100000) { totalCount } } # ' + n }),
  // A mutation over GET, and CSRF: a form-encoded POST, not preflighted.
  (n) => ({ method: 'GET', path: '/graphql?query=' + encodeURIComponent('mutation { __typename } # ' + n), headers: {} }),
  (n) => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=' + encodeURIComponent('{ __typename }') }),
];
function send(r) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, agent, method: r.method, path: r.path, headers: r.headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        stats.requests++;
        stats.statuses[res.statusCode] = (stats.statuses[res.statusCode] || 0) + 1;
        let code = 'none';
        try { code = JSON.parse(Buffer.concat(chunks).toString()).errors[0].extensions.code; } catch {}
        stats.codes[code] = (stats.codes[code] || 0) + 1;
        resolve();
      });
      res.on('error', () => { stats.socketErrors++; resolve(); });
    });
    // The server may answer 413 and close while a 2 MB body is still being sent.
    req.on('error', () => { stats.socketErrors++; resolve(); });
    req.end(r.body);
  });
}
let n = 0;
async function loop() {
  while (!stop) {
    if (gate !== null) { await gate; continue; }
    await send(kinds[n % kinds.length](n++));
  }
}
parentPort.postMessage('started');
Promise.all(Array.from({ length: connections }, loop)).then(() => { agent.destroy(); parentPort.postMessage(stats); });
`;

interface HostileStats {
  requests: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  socketErrors: number;
}

let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
/** One normal query over a kept-alive connection; resolves with its latency in ms. */
function timeQuery(query: string): Promise<number> {
  const body = JSON.stringify({ query });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, agent, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const elapsed = performance.now() - started;
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`normal query failed with ${res.statusCode}: ${text.slice(0, 300)}`));
        else resolve(elapsed);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function sampleLatencies(count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) latencies.push(await timeQuery(NORMAL_QUERIES[i % NORMAL_QUERIES.length]!));
  return latencies;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Runs the scenario and prints it; resolves to whether every check held. */
export async function runGraphqlAbuse(): Promise<boolean> {
  // Rate limiting off (as in every scenario): this is about the cost of refusing hostile queries, not about 429s.
  const server: ChildServer = await startService();
  port = Number(new URL(server.url).port);
  const failures: string[] = [];
  const check = (holds: boolean, what: string): void => {
    if (!holds) failures.push(what);
  };
  try {
    await sampleLatencies(300); // warm-up: JIT, the caches, the connection
    const worker = new Worker(HOSTILE_CLIENT, { eval: true, workerData: { port, connections: HOSTILE_CONNECTIONS } });
    const done = new Promise<HostileStats>((resolve, reject) => {
      worker.on('message', (m: unknown) => {
        if (m !== 'started') resolve(m as HostileStats);
      });
      worker.once('error', reject);
    });
    const attempts: { idleP99: number; loadedP99: number; ratio: number }[] = [];
    let idle: number[] = [];
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        idle = [];
        const loaded: number[] = [];
        for (let block = 0; block < BLOCKS; block++) {
          worker.postMessage('pause');
          await sleep(150); // the hostile requests in flight drain
          idle.push(...(await sampleLatencies(BLOCK_SAMPLES)));
          worker.postMessage('resume');
          await sleep(400); // the hostile load builds up again
          loaded.push(...(await sampleLatencies(BLOCK_SAMPLES)));
        }
        const idleP99 = percentile(idle, 99);
        const loadedP99 = percentile(loaded, 99);
        const ratio = Math.max(loadedP99, FLOOR_MS) / Math.max(idleP99, FLOOR_MS);
        attempts.push({ idleP99, loadedP99, ratio });
        console.log(
          `GraphQL abuse under load, attempt ${attempt + 1}: normal queries idle p50 ${percentile(idle, 50).toFixed(2)} ms p99 ${idleP99.toFixed(2)} ms; ` +
            `under load p50 ${percentile(loaded, 50).toFixed(2)} ms p99 ${loadedP99.toFixed(2)} ms; ratio ${ratio.toFixed(2)} (limit ${MAX_RATIO}, p99 below ${FLOOR_MS} ms counts as ${FLOOR_MS} ms)`,
        );
        if (ratio <= MAX_RATIO) break;
      }
    } finally {
      worker.postMessage('stop');
    }
    const hostile = await done;
    await worker.terminate();
    const after = await sampleLatencies(100);
    console.log(`hostile requests: ${JSON.stringify(hostile)}`);

    // The hostile load really ran, and every hostile request was refused with a 4xx.
    check(hostile.requests > HOSTILE_CONNECTIONS * 10, `the hostile load ran (${hostile.requests} requests)`);
    const statuses = Object.keys(hostile.statuses).map(Number);
    check(statuses.every((s) => s >= 400 && s < 500), `every hostile request got a 4xx (${JSON.stringify(hostile.statuses)})`);
    for (const code of ['ALIAS_LIMIT_EXCEEDED', 'DEPTH_LIMIT_EXCEEDED', 'BATCH_LIMIT_EXCEEDED', 'CSRF_PREVENTED']) check((hostile.codes[code] ?? 0) > 0, `${code} was answered`);
    check((hostile.statuses['413'] ?? 0) > 0, '413 was answered');
    check(Math.min(...attempts.map((a) => a.ratio)) <= MAX_RATIO, `p99 under load within ${MAX_RATIO}× idle (${JSON.stringify(attempts)})`);
    // And afterwards the service answers as before.
    check(percentile(after, 50) < Math.max(FLOOR_MS, percentile(idle, 50) * MAX_RATIO), 'the service answers as before once the load stops');
  } finally {
    agent.destroy();
    await server.stop();
  }
  for (const failure of failures) console.log(`GraphQL abuse under load: FAIL: ${failure}`);
  console.log(`GraphQL abuse under load: ${failures.length === 0 ? 'pass' : 'FAIL'}`);
  return failures.length === 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!(await runGraphqlAbuse())) process.exitCode = 1;
}
