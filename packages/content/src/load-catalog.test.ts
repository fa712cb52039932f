import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog, loadCatalogFiles, listPathFiles } from './index.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/catalogs/', import.meta.url));
const at = (name: string): string => join(fixtures, name);
const brief = (ds: { file: string; line: number; column: number; code: string; severity: string }[]): string[] =>
  ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`);

describe('listPathFiles', () => {
  it('finds documents recursively and skips dotfiles, READMEs and other file types', async () => {
    const { files, diagnostics } = await listPathFiles(at('valid'));
    expect(files).toEqual(['nested/window-functions.json', 'sql-basics.yaml']);
    expect(diagnostics).toEqual([]);
  });

  it('reports a missing folder as LP001 instead of throwing', async () => {
    const { files, diagnostics } = await listPathFiles(at('no-such-folder'));
    expect(files).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'LP001', severity: 'error', message: expect.stringContaining('no such file or folder') })]);
  });
});

describe('loadCatalog', () => {
  it('loads a valid folder into a catalog with files relative to the folder', async () => {
    const { catalog, diagnostics, fileCount } = await loadCatalog(at('valid'));
    expect(diagnostics).toEqual([]);
    expect(fileCount).toBe(2);
    expect([...catalog!.paths.keys()]).toEqual(['sql-basics', 'window-functions']);
    expect(catalog!.files.get('window-functions')).toBe('nested/window-functions.json');
    expect(catalog!.paths.get('window-functions')?.prerequisites).toEqual([{ text: 'SQL basics', path: 'sql-basics' }]);
    expect(Object.isFrozen(catalog!.paths.get('sql-basics'))).toBe(true);
  });

  it('gives every compiled path in file order, the same frozen objects the catalog serves, and the same with errors', async () => {
    const load = await loadCatalog(at('valid'));
    expect(load.paths.map((p) => p.slug)).toEqual(['window-functions', 'sql-basics']);
    expect(load.paths[0]).toBe(load.catalog!.paths.get('window-functions'));
    expect(Object.isFrozen(load.paths[1]!.phases[0]!.resources[0])).toBe(true);
    expect([...load.catalog!.paths.values()]).toEqual([...load.catalog!.paths.keys()].map((slug) => load.paths.find((p) => p.slug === slug)));
    const failed = await loadCatalogFiles(['valid/sql-basics.yaml', 'yaml-cycle/cycle.yaml'], { root: fixtures });
    expect(failed.catalog).toBeNull();
    expect(failed.paths.map((p) => p.slug)).toEqual(['sql-basics', 'cycle']);
    expect(failed.paths[0]).toEqual(load.catalog!.paths.get('sql-basics'));
  });

  it.each([
    ['yaml-cycle', ['cycle.yaml:7:9 error LP102']],
    ['yaml-unknown-reference', ['unknown.yaml:10:13 error LP101']],
    ['yaml-duplicate-id', ['duplicate.yaml:9:16 error LP103']],
    ['yaml-bad-duration', ['duration.yaml:6:26 error LP004']],
    ['yaml-missing-title', ['untitled.yaml:1:1 error LP201']],
    ['yaml-syntax', ['broken.yaml:4:1 error LP002']],
    ['json-syntax', ['broken.json:4:1 error LP002']],
    ['duplicate-key', ['twice.yaml:3:1 error LP002']],
    ['duplicate-slug', ['a.yaml:2:7 error LP106', 'b.json:3:11 error LP106']],
    ['unknown-path', ['needs-other.yaml:3:5 error LP105']],
    ['path-cycle', ['beta.yaml:3:5 error LP102']],
  ])('%s: fails with the right code at the right place', async (name, expected) => {
    const { catalog, diagnostics } = await loadCatalog(at(name));
    expect(catalog).toBeNull();
    expect(brief(diagnostics)).toEqual(expected);
  });

  it('gives the same catalog and diagnostics when worker threads parse alongside', async () => {
    const files = ['valid/sql-basics.yaml', 'valid/nested/window-functions.json', 'yaml-cycle/cycle.yaml', 'yaml-missing-title/untitled.yaml', 'no-such-file.md'];
    const inThread = await loadCatalogFiles(files, { root: fixtures, threads: 0 });
    const parallel = await loadCatalogFiles(files, { root: fixtures, threads: 2 });
    expect(parallel.diagnostics).toEqual(inThread.diagnostics);
    expect(parallel.paths).toEqual(inThread.paths);
    expect(brief(parallel.diagnostics)).toEqual(['no-such-file.md:1:1 error LP001', 'yaml-cycle/cycle.yaml:7:9 error LP102', 'yaml-missing-title/untitled.yaml:1:1 error LP201']);
  });

  it('reports every problem of a folder together, sorted by file and line', async () => {
    const files = ['yaml-cycle/cycle.yaml', 'yaml-duplicate-id/duplicate.yaml', 'unknown-path/needs-other.yaml', 'yaml-missing-title/untitled.yaml'];
    const { diagnostics } = await loadCatalogFiles(files, { root: fixtures });
    expect(brief(diagnostics)).toEqual([
      'unknown-path/needs-other.yaml:3:5 error LP105',
      'yaml-cycle/cycle.yaml:7:9 error LP102',
      'yaml-duplicate-id/duplicate.yaml:9:16 error LP103',
      'yaml-missing-title/untitled.yaml:1:1 error LP201',
    ]);
  });

  it('treats references outside a partial set of files as warnings', async () => {
    const { catalog, diagnostics } = await loadCatalogFiles(['unknown-path/needs-other.yaml'], { root: fixtures, partial: true });
    expect(brief(diagnostics)).toEqual(['unknown-path/needs-other.yaml:3:5 warning LP105']);
    expect(catalog?.paths.size).toBe(1);
  });

  describe('unreadable content', () => {
    let dir = '';
    afterAll(async () => {
      if (dir) {
        await chmod(join(dir, 'locked'), 0o755).catch(() => undefined);
        await chmod(join(dir, 'secret.yaml'), 0o644).catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('turns missing files, folders, binary files and permission errors into LP001 diagnostics', async () => {
      dir = await mkdtemp(join(tmpdir(), 'learnpath-load-'));
      await writeFile(join(dir, 'ok.yaml'), 'title: Fine\n');
      await writeFile(join(dir, 'binary.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
      await mkdir(join(dir, 'folder.md'));
      await writeFile(join(dir, 'secret.yaml'), 'title: Secret\n');
      await mkdir(join(dir, 'locked'));
      await writeFile(join(dir, 'locked', 'inner.yaml'), 'title: Inner\n');
      await chmod(join(dir, 'secret.yaml'), 0o000);
      await chmod(join(dir, 'locked'), 0o000);
      const asRoot = process.getuid?.() === 0;

      const { catalog, diagnostics } = await loadCatalogFiles(['ok.yaml', 'binary.yaml', 'gone.yaml', 'folder.md', 'secret.yaml'], { root: dir });
      expect(catalog).toBeNull();
      const lines = brief(diagnostics);
      expect(lines).toContain('binary.yaml:1:1 error LP001');
      expect(lines).toContain('gone.yaml:1:1 error LP001');
      expect(lines).toContain('folder.md:1:1 error LP001');
      if (!asRoot) expect(lines).toContain('secret.yaml:1:1 error LP001');
      expect(diagnostics.find((d) => d.file === 'gone.yaml')?.message).toMatch(/no such file/);

      const listing = await loadCatalog(dir);
      if (!asRoot) expect(brief(listing.diagnostics)).toContain('locked:1:1 error LP001');
      expect(diagnostics.find((d) => d.file === 'folder.md')?.message).toBe('cannot read file: is a folder, expected a file');
    });

    it('reads documents of any size up to the limit whole, and refuses larger ones with their size', async () => {
      dir = await mkdtemp(join(tmpdir(), 'learnpath-load-'));
      // Larger than the buffer reads start with: a long comment, then the notes at the very end.
      const comment = Array.from({ length: 9000 }, (_, i) => `line ${i} of a long comment — with a dash`).join('\n');
      const notes = 'The last words of the document.';
      await writeFile(join(dir, 'large.md'), `# Large\n\n<!--\n${comment}\n-->\n\n## Notes\n\n${notes}\n`);
      await writeFile(join(dir, 'small.yaml'), 'title: Small\n');
      const whole = await loadCatalogFiles(['large.md', 'small.yaml'], { root: dir });
      expect(whole.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(whole.paths.find((p) => p.title === 'Large')?.notes).toBe(notes);

      // A compiled path whose JSON is larger than the buffer its copy is made in, ASCII and not.
      const focus = (word: string, n: number): string => Array.from({ length: 110 }, (_, i) => `${word} ${n}.${i}`).join(' ');
      const longDocument = (title: string, word: string): string =>
        `# ${title}\n\n## Learning Path\n\n### Phase 1: One\n\n${Array.from({ length: 60 }, (_, n) => `${n + 1}. **Part ${n + 1}** — [Article]\n${' '.repeat(String(n + 1).length + 2)}- Focus: ${focus(word, n)}\n`).join('\n')}`;
      await writeFile(join(dir, 'ascii.md'), longDocument('Long ASCII', 'plain'));
      await writeFile(join(dir, 'accents.md'), longDocument('Long accents', 'déjà vu'));
      await writeFile(join(dir, 'dashes.md'), longDocument('Long — dashes', 'déjà — vu'));
      const longer = await loadCatalogFiles(['ascii.md', 'accents.md', 'dashes.md'], { root: dir });
      expect(longer.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      for (const [slug, word] of [['ascii', 'plain'], ['accents', 'déjà vu'], ['dashes', 'déjà — vu']] as const) {
        const path = longer.catalog!.paths.get(slug)!;
        expect(JSON.stringify(path).length).toBeGreaterThan(64 * 1024);
        expect(path.phases[0]!.resources.map((r) => r.focus)).toEqual(Array.from({ length: 60 }, (_, n) => focus(word, n)));
      }

      const size = (await stat(join(dir, 'large.md'))).size;
      const limited = await loadCatalogFiles(['large.md', 'small.yaml'], { root: dir, maxFileBytes: 300_000 });
      expect(limited.diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual([`large.md LP001 cannot read file: ${size} bytes is larger than the limit of 300000 bytes`]);
      expect(limited.paths.map((p) => p.title)).toEqual(['Small']);
    });
  });
});

describe('checking one file of a folder', () => {
  const folder = fileURLToPath(new URL('../test/fixtures/authoring/siblings/', import.meta.url));

  it('resolves references to other paths against the documents in the same folder', async () => {
    const load = await loadCatalogFiles(['window-functions.yaml'], { root: folder, partial: true });
    // grouping-basics is grouping.md's slug (from its front matter); query-tuning is nowhere.
    expect(brief(load.diagnostics)).toEqual(['window-functions.yaml:5:5 warning LP105']);
    expect(load.diagnostics[0]!.message).toContain('"query-tuning"');
    expect(load.diagnostics[0]!.message).toContain('nor in the folder of this file');
  });
});
