// `npm run bench:search-index -w bench`: the full-text index of the scale catalog, in process.
// Loads the catalog `bench:scale` writes (SCALE_PATHS paths, default 10000), builds the index
// and times the scale searches in the order the service meets them: every word new the first
// time, then the same list again. Prints build time, memory held by the index (heap and typed arrays) and p50/p99.
// Run it with `node --expose-gc` (the script does) for heap figures after a full collection.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogFile } from '@learnpath/content';
import { searchPaths, searchResources, textIndexOf, viewOf } from '@learnpath/api';
import { SCALE_KINDS, scaleQueries } from './scale-queries.js';

const count = Number(process.env.SCALE_PATHS ?? 10_000);
const file = join(tmpdir(), `learnpath-scale-${count}-v1.json`);

// The live heap and the typed arrays' memory (outside the heap), after a full collection.
function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 2 ** 20;
}

// What a listing reads of a search: its first page (20 items) and how many match.
function firstPage(items: { readonly length: number; slice(start: number, end: number): unknown[] }): number {
  items.slice(0, 20);
  return items.length;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${file}`);
const load = await loadCatalogFile(file);
if (load.catalog === null) throw new Error(`cannot load ${file} (run bench:scale with SCALE_PATHS=${count} once to write it)`);
const view = viewOf(load.catalog);
view.paths();
view.resources();
const before = heapMiB();
let started = performance.now();
textIndexOf(view);
const buildMs = performance.now() - started;
const after = heapMiB();
console.log(`${view.paths().length} paths, ${view.resources().length} resources: index built in ${(buildMs / 1000).toFixed(2)} s, heap and typed arrays ${before.toFixed(0)} → ${after.toFixed(0)} MiB (+${(after - before).toFixed(0)} MiB)`);

const qs = scaleQueries();
// SEARCH_PROFILE=file writes a CPU profile of the searches (not of the build) to that file.
const profiler = process.env.SEARCH_PROFILE === undefined ? null : new Session();
if (profiler !== null) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
for (const round of ['first time', 'again']) {
  for (const [name, run] of [
    ['paths', (q: string): number => firstPage(searchPaths(view, { q }, null).items)],
    ['resources (kind)', (q: string, i: number): number => firstPage(searchResources(view, { q, kind: SCALE_KINDS[i % SCALE_KINDS.length]! }).items)],
  ] as const) {
    const times: number[] = [];
    let found = 0;
    started = performance.now();
    qs.forEach((q, i) => {
      const t = performance.now();
      found += run(q, i);
      times.push(performance.now() - t);
    });
    const total = performance.now() - started;
    times.sort((a, b) => a - b);
    console.log(`${round.padEnd(10)} ${name.padEnd(17)} ${qs.length} searches in ${(total / 1000).toFixed(2)} s: p50 ${percentile(times, 0.5).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(1)} ms, ${(found / qs.length).toFixed(0)} found on average`);
  }
}
if (profiler !== null) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(process.env.SEARCH_PROFILE!, JSON.stringify(profile));
}
console.log(`heap and typed arrays after the searches: ${heapMiB().toFixed(0)} MiB; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
