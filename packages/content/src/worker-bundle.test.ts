import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDocument, type FileResult } from './compile-file.js';
import { keptBundle, makeBundle } from './worker-bundle.js';

const folders: string[] = [];
const temporary = (): string => {
  const folder = mkdtempSync(join(tmpdir(), 'learnpath-bundle-test-'));
  folders.push(folder);
  return folder;
};
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Writes a module as it would be on disk a while after it was saved. */
const write = (file: string, text: string): void => {
  writeFileSync(file, text);
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
};

/** Runs a CommonJS bundle and gives what it exports. */
const run = (code: string): unknown => {
  const module = { exports: {} as Record<string, unknown> };
  runInNewContext(code, { module, exports: module.exports, require });
  return module.exports['answer'];
};

describe('worker bundles of the sources', () => {
  it('keeps a bundle and serves it while no input changed, and not after one did', async () => {
    const sources = temporary();
    const kept = temporary();
    const entry = join(sources, 'entry.ts');
    write(join(sources, 'part.ts'), 'export const part: number = 40;\n');
    write(entry, "import { part } from './part.js';\nexport const answer: number = part + 2;\n");

    expect(keptBundle(entry, kept)).toBeNull();
    const made = await makeBundle(entry, kept);
    expect(made).not.toBeNull();
    expect(run(made!)).toBe(42);
    expect(keptBundle(entry, kept)).toBe(made);
    // The bundler's own source counts as an input: a bundle made with other options is out of date.
    const [file] = readdirSync(kept);
    expect(readFileSync(join(kept, file!), 'utf8').split('\n', 1)[0]).toContain(fileURLToPath(new URL('./worker-bundle.ts', import.meta.url)));

    // An import of the entry changes: the kept bundle is out of date.
    write(join(sources, 'part.ts'), 'export const part: number = 1;\n');
    expect(keptBundle(entry, kept)).toBeNull();
    const remade = await makeBundle(entry, kept);
    expect(run(remade!)).toBe(3);
    expect(keptBundle(entry, kept)).toBe(remade);

    // An input that is gone makes it out of date too.
    rmSync(join(sources, 'part.ts'));
    expect(keptBundle(entry, kept)).toBeNull();
  });

  it('keeps nothing when an input was modified as it was bundled, and refuses a damaged file', async () => {
    const sources = temporary();
    const kept = temporary();
    const entry = join(sources, 'entry.ts');
    // Just written: its modification time cannot tell whether the bundle saw this content.
    writeFileSync(entry, 'export const answer = 1;\n');
    expect(await makeBundle(entry, kept)).toBeNull();
    expect(readdirSync(kept)).toEqual([]);
    expect(keptBundle(entry, kept)).toBeNull();

    write(entry, 'export const answer = 1;\n');
    expect(await makeBundle(entry, kept)).not.toBeNull();
    expect(keptBundle(entry, kept)).not.toBeNull();
    // Code is run from it: not from a folder others can write to.
    chmodSync(kept, 0o777);
    expect(keptBundle(entry, kept)).toBeNull();
    chmodSync(kept, 0o700);
    const [file] = readdirSync(kept);
    writeFileSync(join(kept, file!), '//[["/no/such/input.ts", 1, 2]\nbroken');
    expect(keptBundle(entry, kept)).toBeNull();
  });
});

describe('the load worker bundled', () => {
  it('compiles a batch as the sources do on the calling thread', async () => {
    const entry = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
    const code = await makeBundle(entry, temporary());
    expect(code).not.toBeNull();
    const fixtures = fileURLToPath(new URL('../test/fixtures/catalogs/', import.meta.url));
    const seed = fileURLToPath(new URL('../../../content/batch-vs-stream-processing.md', import.meta.url));
    const files: [string, string][] = [['batch-vs-stream-processing.md', seed], ...['valid/sql-basics.yaml', 'yaml-cycle/cycle.yaml', 'no-such-file.md'].map((f): [string, string] => [f, join(fixtures, f)])];
    const document = { maxBytes: 1e6, checkOutput: true };
    const worker = new Worker(code!, { eval: true });
    try {
      const results = await new Promise<FileResult[]>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (message: 'ready' | FileResult[]) => {
          if (message === 'ready') worker.postMessage({ files, document });
          else resolve(message);
        });
      });
      expect(results).toEqual(files.map(([file, absolute]) => loadDocument(file, absolute, document)));
      expect(results.map((r) => r.compiled?.slug ?? null)).toEqual(['batch-vs-stream-processing', 'sql-basics', 'cycle', null]);
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
