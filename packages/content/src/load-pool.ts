import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { loadDocument, type DocumentOptions, type FileResult } from './compile-file.js';
import { workerBundle } from './worker-bundle.js';

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
  document: DocumentOptions,
  threads: number,
  options: PoolOptions = {},
): Promise<{ results: FileResult[]; workerBatches: number }> {
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const results = new Array<FileResult>(entries.length);
  // Batches handed back by a worker that stopped, taken before new ones.
  const returned: [number, number][] = [];
  let next = 0;
  let workerBatches = 0;
  const parties = threads + (options.local === false ? 0 : 1);
  const take = (): [number, number] | undefined => {
    const back = returned.shift();
    if (back) return back;
    if (next >= entries.length) return undefined;
    const batch: [number, number] = [next, Math.min(entries.length, next + batchSizeFor(entries.length - next, batchSize, parties))];
    next = batch[1];
    return batch;
  };
  const remaining = (): boolean => returned.length > 0 || next < entries.length;

  // The calling thread gives its event loop a turn every few milliseconds (a service reloading
  // its content keeps answering), and lets a batch's results arrive from the workers.
  const runLocal = async (): Promise<void> => {
    let turn = performance.now();
    for (let batch = take(); batch; batch = take()) {
      const [start, end] = batch;
      for (let i = start; i < end; i++) {
        const [file, absolute] = entries[i]!;
        results[i] = loadDocument(file, absolute, document);
        if (performance.now() - turn >= TURN_MS) {
          await nextTurn();
          turn = performance.now();
        }
      }
    }
  };

  // Workers still starting when the calling thread has emptied the queue are not waited for.
  const idle = new Set<() => void>();
  const startWorker = threads > 0 ? workerStarter() : null;
  const runWorker = (): Promise<void> =>
    new Promise((resolveWorker) => {
      let worker: Worker;
      try {
        worker = startWorker!();
      } catch {
        resolveWorker();
        return;
      }
      let current: [number, number] | undefined;
      const finish = (): void => {
        // Whatever the worker had not finished goes back to the queue for the others.
        if (current) returned.unshift(current);
        current = undefined;
        idle.delete(finish);
        void worker.terminate();
        resolveWorker();
      };
      idle.add(finish);
      const sendNext = (): void => {
        current = take();
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
    if (!remaining()) for (const stop of [...idle]) stop();
  }
  await Promise.all(workers);
  // A worker may have handed a batch back after the local loop ended (or there was none).
  await runLocal();
  return { results, workerBatches };
}

/**
 * The size of the next batch when `left` documents are left for `parties` threads: the full
 * size until the end nears, then a quarter of each thread's share, not below an eighth of the
 * full size. The threads finish at about the same time instead of one waiting for another's
 * last full batch.
 */
export function batchSizeFor(left: number, batchSize: number, parties: number): number {
  const smallest = Math.ceil(batchSize / 8);
  return Math.max(1, Math.min(left, batchSize, Math.max(smallest, Math.ceil(left / (4 * Math.max(1, parties))))));
}

// How long the calling thread parses before its event loop gets a turn.
const TURN_MS = 10;

// Parsing allocates many short-lived objects: a young generation larger than V8's default
// (16 MiB) halves the time a worker spends collecting them.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 64 };

// Compiled JavaScript (dist/) starts the compiled worker. From the TypeScript sources (tests,
// `npm start`, the command line in a checkout) the worker runs the sources' kept bundle when
// it is up to date (worker-bundle.ts), else under tsx's require hook with the `source`
// condition, which resolves workspace packages to their sources. What a worker starts from is
// settled once for all the workers of a load.
function workerStarter(): () => Worker {
  const here = import.meta.url;
  const source = here.endsWith('.ts');
  const entry = source ? fileURLToPath(new URL('./load-worker.ts', here)) : '';
  const bundle = source ? workerBundle(entry) : null;
  const flags = (execArgv: string[]): Worker => {
    if (!source) return new Worker(new URL('./load-worker.js', here), { execArgv, resourceLimits: WORKER_LIMITS });
    if (bundle !== null) return new Worker(bundle, { eval: true, execArgv, resourceLimits: WORKER_LIMITS });
    const api = createRequire(here).resolve('tsx/cjs/api');
    const code = `require(${JSON.stringify(api)}).register(); require(${JSON.stringify(entry)});`;
    return new Worker(code, { eval: true, execArgv, resourceLimits: WORKER_LIMITS });
  };
  const needed = source && bundle === null ? ['--conditions=source'] : [];
  const own = workerExecArgv(process.execArgv);
  const inherited = needed.length > 0 && !own.includes('--conditions=source') ? [...own, ...needed] : own;
  // A worker inherits the process's flags, but refuses V8's and a few of Node's (`--expose-gc`,
  // `--max-old-space-size`…): then it starts with only the flags it needs.
  return () => {
    try {
      return flags(inherited);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
      return flags(needed);
    }
  };
}

// Flags about the process's own script: with them a worker would read its code as the script
// given on the command line (`--eval`, `--print`) or as that script's kind (`--input-type`), and
// fail (`node --input-type=module -e "…"` would leave the calling thread to compile alone).
const SCRIPT_FLAGS = new Set(['-e', '--eval', '-p', '--print', '-pe', '--input-type']);

/** The process's flags without those that only make sense for its own script. */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const name = flag.startsWith('--') ? flag.split('=', 1)[0]! : flag;
    if (!SCRIPT_FLAGS.has(name)) kept.push(flag);
    // The value of a script flag written as its own argument goes with it.
    else if (!flag.includes('=') && i + 1 < execArgv.length) i++;
  }
  return kept;
}
