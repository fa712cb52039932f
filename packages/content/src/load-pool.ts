import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadDocument, type DocumentOptions, type FileResult } from './compile-file.js';
import { mapLimit } from './map-limit.js';

/** Tuning of `loadDocuments`; the defaults suit catalogs of thousands of files. */
export interface PoolOptions {
  /** Documents per batch handed to a thread (default 200). */
  batchSize?: number;
  /** Whether the calling thread loads batches too (default true). */
  local?: boolean;
}

/**
 * Loads documents on the calling thread and on `threads` worker threads, handing out batches
 * as each becomes free. A worker that cannot start or fails gives its batch back, so the
 * result never depends on the workers (they only make large catalogs load faster).
 */
export async function loadDocuments(
  entries: readonly [string, string][],
  document: Omit<DocumentOptions, 'sync'>,
  concurrency: number,
  threads: number,
  options: PoolOptions = {},
): Promise<{ results: FileResult[]; workerBatches: number }> {
  const batchSize = options.batchSize ?? 200;
  const results = new Array<FileResult>(entries.length);
  const pending: [number, number][] = [];
  let workerBatches = 0;
  for (let start = 0; start < entries.length; start += batchSize) pending.push([start, Math.min(entries.length, start + batchSize)]);

  const runLocal = async (): Promise<void> => {
    for (let batch = pending.shift(); batch; batch = pending.shift()) {
      const [start, end] = batch;
      const done = await mapLimit(entries.slice(start, end), concurrency, ([file, absolute]) => loadDocument(file, absolute, { ...document, sync: false }));
      for (let i = 0; i < done.length; i++) results[start + i] = done[i]!;
    }
  };

  // Workers still starting when the calling thread has emptied the queue are not waited for.
  const idle = new Set<() => void>();
  const runWorker = (): Promise<void> =>
    new Promise((resolveWorker) => {
      let worker: Worker;
      try {
        worker = startWorker();
      } catch {
        resolveWorker();
        return;
      }
      let current: [number, number] | undefined;
      const finish = (): void => {
        // Whatever the worker had not finished goes back to the queue for the others.
        if (current) pending.unshift(current);
        current = undefined;
        idle.delete(finish);
        void worker.terminate();
        resolveWorker();
      };
      idle.add(finish);
      const sendNext = (): void => {
        current = pending.shift();
        if (!current) return finish();
        idle.delete(finish);
        worker.postMessage({ files: entries.slice(current[0], current[1]), document });
      };
      worker.on('message', (message: 'ready' | FileResult[]) => {
        if (message !== 'ready' && current) {
          for (let i = 0; i < message.length; i++) results[current[0] + i] = message[i]!;
          current = undefined;
          workerBatches++;
          idle.add(finish);
        }
        sendNext();
      });
      worker.on('error', finish);
      worker.on('exit', () => {
        if (current) finish();
      });
    });

  const workers = Array.from({ length: threads }, runWorker);
  if (options.local !== false) {
    await runLocal();
    if (pending.length === 0) for (const stop of [...idle]) stop();
  }
  await Promise.all(workers);
  // A worker may have handed a batch back after the local loop ended (or there was none).
  await runLocal();
  return { results, workerBatches };
}

// Parsing allocates many short-lived objects: a young generation larger than V8's default
// (16 MiB) halves the time a worker spends collecting them.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 64 };

// Compiled JavaScript (dist/) starts the compiled worker. From the TypeScript sources (tests,
// `npm start`) the worker runs under tsx's require hook (tsx is a devDependency of this package)
// with the `source` condition, which resolves workspace packages to their sources.
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./load-worker.js', here), { resourceLimits: WORKER_LIMITS });
  const api = createRequire(here).resolve('tsx/cjs/api');
  const entry = fileURLToPath(new URL('./load-worker.ts', here));
  const code = `require(${JSON.stringify(api)}).register(); require(${JSON.stringify(entry)});`;
  const execArgv = process.execArgv.includes('--conditions=source') ? process.execArgv : [...process.execArgv, '--conditions=source'];
  return new Worker(code, { eval: true, execArgv, resourceLimits: WORKER_LIMITS });
}
