// `npm run bench:compile`: compiles synthetic catalogs of 1,000 and 10,000 Markdown paths, builds
// the 10,000 with `learnpath build` (the whole process, as a user runs it) and boots them back
// from the sealed JSON it writes, each figure beside its floor. Each measurement runs in its own
// process, in rounds (BENCH_COMPILE_ROUNDS, default 3) that take turns, and each figure is the
// median of its rounds: one slow moment of a shared machine does not decide a floor. Wall times
// are what the floors are about; CPU times (every thread) say how much of a wall time was work
// and how much waiting for a core on a busy machine.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from './load.js';
import { writeSyntheticCatalog } from './synthetic-paths.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const worker = fileURLToPath(new URL('./compile-worker.ts', import.meta.url));
const cli = join(root, 'packages/cli/bin/learnpath.js');

interface Measurement {
  ms: number;
  cpuMs: number;
  paths: number;
  errors: number;
  firstError: unknown;
  warnings: number;
  peakHeapBytes: number;
  maxRssBytes: number;
}

async function measure(mode: 'dir' | 'file', target: string): Promise<Measurement> {
  const { stdout } = await exec(process.execPath, ['--expose-gc', '--import', 'tsx', '--conditions=source', worker, mode, target], { cwd: root, maxBuffer: 1024 * 1024 });
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as Measurement;
  if (result.errors > 0) throw new Error(`the synthetic catalog has ${result.errors} errors, e.g. ${JSON.stringify(result.firstError)}`);
  return result;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const work = await mkdtemp(join(tmpdir(), 'learnpath-bench-'));
try {
  const small = join(work, 'md-1000');
  const large = join(work, 'md-10000');
  process.stdout.write('generating 1,000 and 10,000 synthetic paths… ');
  await writeSyntheticCatalog(small, 1000);
  await writeSyntheticCatalog(large, 10_000);
  console.log('done');

  const loadBefore = loadavg()[0]!;
  const floors: boolean[] = [];
  const figure = (name: string, value: string, floor: string, ok: boolean, detail = ''): void => {
    floors.push(ok);
    console.log(`${ok ? 'pass' : 'FAIL'}  ${name.padEnd(40)} ${value.padStart(8)}  (floor ${floor})${detail ? `  ${detail}` : ''}`);
  };
  // CPU per path moves less than wall time when the machine's speed changes under the run.
  const memory = (m: Measurement): string => `CPU ${seconds(m.cpuMs)} (${Math.round((m.cpuMs * 1000) / Math.max(1, m.paths))} µs a path), peak heap ${mib(m.peakHeapBytes)}, max RSS ${mib(m.maxRssBytes)}`;

  const rounds = Math.max(1, Number(process.env['BENCH_COMPILE_ROUNDS'] ?? 3));
  const built = join(work, 'catalog.json');
  const ones: Measurement[] = [];
  const tens: Measurement[] = [];
  const builds: number[] = [];
  const boots: Measurement[] = [];
  for (let round = 0; round < rounds; round++) {
    ones.push(await measure('dir', small));
    tens.push(await measure('dir', large));
    const buildStarted = performance.now();
    await exec(process.execPath, [cli, 'build', large, '--out', built], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    builds.push(performance.now() - buildStarted);
    boots.push(await measure('file', built));
  }
  // The round whose wall time is the median (the lower middle one of an even count), with its CPU and memory.
  const middle = (runs: readonly Measurement[]): Measurement => [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)]!;
  const each = (values: readonly number[]): string => (values.length > 1 ? `; rounds ${values.map((ms) => seconds(ms)).join(' / ')}` : '');
  const one = middle(ones);
  const ten = middle(tens);
  const json = middle(boots);
  const buildMs = median(builds);
  figure('compile 1,000 Markdown paths', seconds(one.ms), 'none: the base of the 10× ratio', true, memory(one) + each(ones.map((m) => m.ms)));
  figure('compile 10,000 Markdown paths', seconds(ten.ms), '< 4 s', ten.ms < 4000, memory(ten) + each(tens.map((m) => m.ms)));
  const ratio = ten.ms / one.ms;
  figure('10× the paths costs', `${ratio.toFixed(1)}×`, '≤ 12× the time', ratio <= 12);
  const size = (await stat(built)).size;
  figure('learnpath build of 10,000 (whole process)', seconds(buildMs), '< 5 s', buildMs < 5000, `${mib(size)} of sealed JSON${each(builds)}`);
  figure('boot 10,000 paths from the built catalog', seconds(json.ms), '< 0.6 s', json.ms < 600, memory(json) + each(boots.map((m) => m.ms)));

  // Max RSS counts every thread's heap and more, so it bounds the peak heap from above.
  const peakRss = Math.max(...[...ones, ...tens, ...boots].map((m) => m.maxRssBytes));
  figure('peak heap (max RSS, all threads)', mib(peakRss), '< 1 GiB', peakRss < 1024 ** 3);
  console.log(`load average ${loadBefore.toFixed(1)} before and ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores: the floors are set for an otherwise idle machine`);
  process.exitCode = floors.every(Boolean) ? 0 : 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
