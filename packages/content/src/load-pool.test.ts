import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { batchSizeFor, loadDocuments, workerExecArgv } from './load-pool.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/catalogs/', import.meta.url));
const files = ['valid/sql-basics.yaml', 'valid/nested/window-functions.json', 'yaml-cycle/cycle.yaml', 'yaml-missing-title/untitled.yaml', 'no-such-file.md'];
const entries = files.map((f): [string, string] => [f, join(fixtures, f)]);

describe('loadDocuments', () => {
  it('loads on worker threads with the same results as on the calling thread', async () => {
    const local = await loadDocuments(entries, { maxBytes: 1e6, checkOutput: true }, 0);
    const workers = await loadDocuments(entries, { maxBytes: 1e6, checkOutput: true }, 2, { batchSize: 16, local: false });
    expect(local.workerBatches).toBe(0);
    expect(workers.workerBatches).toBe(3);
    expect(workers.results).toEqual(local.results);
    expect(workers.results.map((r) => r.compiled?.slug ?? null)).toEqual(['sql-basics', 'window-functions', 'cycle', null, null]);
  });

  // Each process's workers do the work alone (local: false): a worker that failed would leave workerBatches at 0.
  const inProcess = async (flags: string[]): Promise<unknown> => {
    const pool = new URL('./load-pool.ts', import.meta.url).href;
    const script = `const { loadDocuments } = await import(${JSON.stringify(pool)});
const { results, workerBatches } = await loadDocuments(${JSON.stringify(entries)}, { maxBytes: 1e6, checkOutput: false }, 1, { batchSize: 16, local: false });
console.log(JSON.stringify({ workerBatches, slugs: results.map((r) => r.compiled?.slug ?? null) }));`;
    const { stdout } = await promisify(execFile)(process.execPath, [...flags, '--import', 'tsx', '--conditions=source', '--input-type=module', '--eval', script], { cwd: fileURLToPath(new URL('.', import.meta.url)) });
    return JSON.parse(stdout);
  };

  it('starts its workers in a process run with flags a worker refuses (--expose-gc, --max-old-space-size)', async () => {
    expect(await inProcess(['--expose-gc', '--max-old-space-size=512'])).toEqual({ workerBatches: 3, slugs: ['sql-basics', 'window-functions', 'cycle', null, null] });
  }, 30_000);

  it('starts its workers in a process whose script is given on the command line (--input-type, --eval)', async () => {
    expect(await inProcess([])).toEqual({ workerBatches: 3, slugs: ['sql-basics', 'window-functions', 'cycle', null, null] });
  }, 30_000);
});

describe('workerExecArgv', () => {
  it("keeps the process's flags except those about its own script, with their values", () => {
    expect(workerExecArgv(['--conditions=source', '--input-type=module', '--eval', 'code', '--enable-source-maps'])).toEqual(['--conditions=source', '--enable-source-maps']);
    expect(workerExecArgv(['-e', 'code', '--input-type', 'commonjs', '--import', 'tsx'])).toEqual(['--import', 'tsx']);
    expect(workerExecArgv(['--input-type=commonjs', '-pe', 'process.execArgv'])).toEqual([]);
    expect(workerExecArgv(['--print=1', '--cpu-prof'])).toEqual(['--cpu-prof']);
    expect(workerExecArgv([])).toEqual([]);
  });
});

describe('batchSizeFor', () => {
  it('hands out full batches until the end nears, then smaller ones, so the threads finish together', () => {
    const sizes: number[] = [];
    for (let left = 10_000; left > 0; left -= sizes[sizes.length - 1]!) sizes.push(batchSizeFor(left, 200, 2));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(sizes.slice(0, 40).every((size) => size === 200)).toBe(true);
    // The last full batch leaves 800 documents, a quarter of each of two threads' shares.
    expect(sizes.slice(42, 46)).toEqual([200, 175, 154, 134]);
    expect(sizes.slice(-3)).toEqual([25, 25, 11]);
    // Never above the full size, never below an eighth of it except for what is left.
    expect(Math.max(...sizes)).toBe(200);
    expect(sizes.slice(0, -1).every((size) => size >= 25)).toBe(true);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeLessThanOrEqual(sizes[i - 1]!);
    expect(batchSizeFor(3, 200, 2)).toBe(3);
    expect(batchSizeFor(5, 1, 4)).toBe(1);
  });
});

describe('loadDocuments on the calling thread', () => {
  it('gives the event loop turns while it parses a large batch', async () => {
    const seed = fileURLToPath(new URL('../../../content/batch-vs-stream-processing.md', import.meta.url));
    const many = Array.from({ length: 300 }, (_, i): [string, string] => [`copy-${i}.md`, seed]);
    let turns = 0;
    let loading = true;
    const tick = (): void => {
      turns++;
      if (loading) setImmediate(tick);
    };
    setImmediate(tick);
    const { results } = await loadDocuments(many, { maxBytes: 1e6, checkOutput: false }, 0, { batchSize: 300 });
    loading = false;
    expect(results.every((r) => r.compiled !== null)).toBe(true);
    // 300 documents take far longer than one turn's slice: the loop ran in between.
    expect(turns).toBeGreaterThan(1);
  });
});
