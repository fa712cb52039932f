// Reads a V8 CPU profile (node --cpu-prof) and says where the time went: self time by package
// or workspace, and the busiest functions.
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  /** When profiling began, in µs of the monotonic clock (CLOCK_MONOTONIC, as `process.hrtime`). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A stretch of time, in µs of the monotonic clock (`process.hrtime.bigint() / 1000n` in any process on the machine). */
export type ClockWindow = readonly [from: number, to: number];

/** Now on the monotonic clock that CPU profiles use, in µs. */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** The package, workspace or runtime part a frame belongs to. */
export function categoryOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('wasm://')) return 'PGlite: PostgreSQL in WebAssembly';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] === '@electric-sql/pglite' ? 'PGlite: JavaScript glue' : modules[1]!;
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  const workspace = /\/((?:packages|services|bench)\/[^/]+)\//.exec(url);
  if (workspace) return workspace[1]!;
  return url;
}

/**
 * A few lines: self time by category, then the functions with the most self time. With
 * `windows`, only the samples taken within them count (e.g. while one scenario ran), so that
 * start-up and the other scenarios stay out.
 */
export async function summariseCpuProfile(file: string, windows?: readonly ClockWindow[]): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfTime = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (windows !== undefined && !windows.some(([from, to]) => at >= from && at <= to)) return;
    selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  });
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfTime) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += micros;
    const category = categoryOf(frame);
    categories.set(category, (categories.get(category) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(packages|services)\//, '$1/')}:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => `    ${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${name}`);
  const span = windows === undefined ? '' : ` in ${(windows.reduce((sum, [from, to]) => sum + to - from, 0) / 1e6).toFixed(1)} s`;
  return [`  busy ${(busy / 1e6).toFixed(1)} s of CPU${span}; self time by part:`, ...top(categories, 12), '  functions with the most self time:', ...top(functions, 12)].join('\n');
}
