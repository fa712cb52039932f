// Measures one load in a fresh process, so heap and time of one run do not leak into another.
// Usage: compile-worker.ts dir <folder> | file <catalog.json>. Prints one JSON line.
import { getHeapStatistics } from 'node:v8';
import { loadCatalog, loadCatalogFile } from '@learnpath/content';

const [mode, target] = process.argv.slice(2);
if ((mode !== 'dir' && mode !== 'file') || !target) {
  console.error('usage: compile-worker.ts dir <folder> | file <catalog.json>');
  process.exit(2);
}

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const baseline = getHeapStatistics().used_heap_size;
let peak = baseline;
const sample = (): void => {
  const used = getHeapStatistics().used_heap_size;
  if (used > peak) peak = used;
};
const timer = setInterval(sample, 2);

const cpuBefore = process.cpuUsage();
const started = performance.now();
const load = mode === 'dir' ? await loadCatalog(target) : await loadCatalogFile(target);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
sample();
clearInterval(timer);

const errors = load.diagnostics.filter((d) => d.severity === 'error');
console.log(
  JSON.stringify({
    ms,
    // Every thread of the process: with worker threads this exceeds the wall time.
    cpuMs: (cpu.user + cpu.system) / 1000,
    paths: load.catalog?.paths.size ?? 0,
    errors: errors.length,
    firstError: errors[0] ?? null,
    warnings: load.diagnostics.length - errors.length,
    // The calling thread's heap, sampled; worker threads have their own heaps, which maxRSS covers.
    peakHeapBytes: peak,
    baselineHeapBytes: baseline,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
