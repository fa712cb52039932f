import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDocuments } from './load-pool.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/catalogs/', import.meta.url));
const files = ['valid/sql-basics.yaml', 'valid/nested/window-functions.json', 'yaml-cycle/cycle.yaml', 'yaml-missing-title/untitled.yaml', 'no-such-file.md'];
const entries = files.map((f): [string, string] => [f, join(fixtures, f)]);

describe('loadDocuments', () => {
  it('loads on worker threads with the same results as on the calling thread', async () => {
    const local = await loadDocuments(entries, { maxBytes: 1e6, checkOutput: true }, 0);
    const workers = await loadDocuments(entries, { maxBytes: 1e6, checkOutput: true }, 2, { batchSize: 2, local: false });
    expect(local.workerBatches).toBe(0);
    expect(workers.workerBatches).toBe(3);
    expect(workers.results).toEqual(local.results);
    expect(workers.results.map((r) => r.compiled?.slug ?? null)).toEqual(['sql-basics', 'window-functions', 'cycle', null, null]);
  });

  it('starts its workers in a process run with flags a worker refuses (--expose-gc, --max-old-space-size)', async () => {
    const pool = new URL('./load-pool.ts', import.meta.url).href;
    const script = `const { loadDocuments } = await import(${JSON.stringify(pool)});
const { results, workerBatches } = await loadDocuments(${JSON.stringify(entries)}, { maxBytes: 1e6, checkOutput: false }, 1, { batchSize: 2, local: false });
console.log(JSON.stringify({ workerBatches, slugs: results.map((r) => r.compiled?.slug ?? null) }));`;
    const flags = ['--expose-gc', '--max-old-space-size=512', '--import', 'tsx', '--conditions=source', '--input-type=module', '--eval', script];
    const { stdout } = await promisify(execFile)(process.execPath, flags, { cwd: fileURLToPath(new URL('.', import.meta.url)) });
    expect(JSON.parse(stdout)).toEqual({ workerBatches: 3, slugs: ['sql-basics', 'window-functions', 'cycle', null, null] });
  }, 30_000);
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
