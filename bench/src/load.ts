// Shared pieces of the HTTP benchmarks: child processes that print the URL they listen at,
// autocannon runs and medians.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** What one autocannon run sends. */
export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Bodies sent in turn, one per request across every connection (overrides `body`). */
  bodies?: readonly string[];
  /** Gives each request its own path (autocannon calls it before every request it sends). */
  nextPath?: () => string;
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
const autocannon = require('autocannon') as (
  options: Omit<LoadTarget, 'bodies' | 'nextPath'> & { connections: number; duration: number; requests?: AutocannonRequest[] },
) => Promise<AutocannonResult>;

/** The figures of one run. */
export interface LoadFigure {
  requestsPerSecond: number;
  p99Ms: number;
  failures: number;
}

/** Loads a target for `seconds` with `connections` keep-alive connections. */
export async function runLoad(target: LoadTarget, seconds: number, connections: number): Promise<LoadFigure> {
  const { bodies, nextPath, ...options } = target;
  let next = 0;
  const rotating = bodies !== undefined && bodies.length > 0;
  // One counter for every connection: the server sees the bodies in their order, whichever
  // connection sends them. autocannon hands each call a fresh copy of the request (with every
  // option it was given), so it is changed in place: a copy per request would cost the load
  // generator CPU that the server under test then lacks.
  const setupRequest = (request: AutocannonRequest): AutocannonRequest => {
    if (nextPath) request.path = nextPath();
    if (rotating) request.body = bodies[next++ % bodies.length]!;
    return request;
  };
  const requests = nextPath || rotating ? [{ setupRequest }] : undefined;
  const result = await autocannon({ ...options, connections, duration: seconds, ...(requests ? { requests } : {}) });
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, failures: result.non2xx + result.errors + result.timeouts };
}

// /proc/PID/stat counts in clock ticks of 1/100 s (USER_HZ) on Linux.
const TICK_MICROS = 1e6 / 100;

/**
 * User + system CPU time of a process so far, in µs (every thread of it), or null where there
 * is no /proc (not Linux). CPU per request moves less than req/s on a machine shared with other
 * work: time spent waiting for a core is not counted (time slowed by others still is).
 */
export async function processCpuMicros(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
  } catch {
    return null;
  }
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A server in a child process. */
export interface ChildServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx --conditions=source <script> ...args` and resolves once it prints a URL matching
 * `pattern` (first group), or at once with `pattern.url` when the address is known beforehand (the
 * caller then waits for the server to answer); `nodeArgs` go to node itself (e.g. `--cpu-prof`).
 * Each server gets its own process so that the load generator does not share its event loop.
 */
export async function startChild(script: string, args: string[], env: Record<string, string>, pattern: RegExp | { url: string }, cwd: string, nodeArgs: readonly string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', '--conditions=source', script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = pattern instanceof RegExp ? await printedUrl(pattern) : pattern.url;
  if (!(pattern instanceof RegExp)) {
    child.stdout!.resume();
    child.stderr!.pipe(process.stderr);
  }
  function printedUrl(printed: RegExp): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = printed.exec(output);
        if (match?.[1]) {
          // From here on stdout is drained unread (keeping it would cost the load generator);
          // stderr, which stays quiet unless something breaks, is passed through.
          child.stdout!.off('data', onData);
          child.stderr!.off('data', onData);
          child.stdout!.resume();
          child.stderr!.pipe(process.stderr);
          resolve(match[1]);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('close', (code) => reject(new Error(`${script} exited with ${code} before listening:\n${output}`)));
    });
  }
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`\n${script} exited unexpectedly (${code ?? signal})\n`);
      resolve();
    }),
  );
  return {
    url,
    child,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
