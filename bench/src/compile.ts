// `npm run bench:compile`: compiles synthetic catalogs of 1,000 and 10,000 Markdown paths and
// loads the 10,000 back from the JSON `learnpath build` writes, against the floors of the
// content compiler. Each measurement runs in its own process.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

  const one = await measure('dir', small);
  console.log(`compile  1,000 Markdown paths: ${seconds(one.ms)} (CPU ${seconds(one.cpuMs)}), peak heap ${mib(one.peakHeapBytes)}, max RSS ${mib(one.maxRssBytes)}`);
  const ten = await measure('dir', large);
  console.log(`compile 10,000 Markdown paths: ${seconds(ten.ms)} (CPU ${seconds(ten.cpuMs)}), peak heap ${mib(ten.peakHeapBytes)}, max RSS ${mib(ten.maxRssBytes)}`);
  const ratio = ten.ms / one.ms;
  console.log(`10× the paths took ${ratio.toFixed(1)}× the time`);

  const built = join(work, 'catalog.json');
  const buildStarted = performance.now();
  await exec(process.execPath, [cli, 'build', large, '--out', built], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const buildMs = performance.now() - buildStarted;
  const size = (await stat(built)).size;
  const json = await measure('file', built);
  console.log(`learnpath build of 10,000 paths: ${seconds(buildMs)} (whole process), ${mib(size)} of JSON`);
  console.log(`load   10,000 paths from built JSON: ${seconds(json.ms)} (CPU ${seconds(json.cpuMs)}), peak heap ${mib(json.peakHeapBytes)}, max RSS ${mib(json.maxRssBytes)}`);

  const peakRss = Math.max(one.maxRssBytes, ten.maxRssBytes, json.maxRssBytes);
  const floors: [string, boolean, string][] = [
    ['10,000 Markdown paths compile in under 8 s', ten.ms < 8000, seconds(ten.ms)],
    ['10,000 paths load from built JSON in under 2 s', json.ms < 2000, seconds(json.ms)],
    // Max RSS counts every thread's heap and more, so it bounds the peak heap from above.
    ['peak heap under 1 GiB (max RSS, all threads)', peakRss < 1024 ** 3, mib(peakRss)],
    ['10× the paths costs at most 12× the time', ratio <= 12, `${ratio.toFixed(1)}×`],
  ];
  console.log(`\nfloors (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; other work on the machine slows every wall time):`);
  for (const [name, ok, value] of floors) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name} (${value})`);
  process.exitCode = floors.every(([, ok]) => ok) ? 0 : 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
