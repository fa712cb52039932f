import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledCatalogSchema, createCatalog, loadCatalog, loadCatalogFile, serializeCatalog, writeCatalogFile } from './index.js';
import { sealDocument } from './catalog-seal.js';

const valid = fileURLToPath(new URL('../test/fixtures/catalogs/valid/', import.meta.url));

describe('loadCatalogFile', () => {
  let dir = '';
  let built = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'learnpath-catalog-file-'));
    const { catalog } = await loadCatalog(valid);
    built = serializeCatalog(catalog!);
    await writeFile(join(dir, 'catalog.json'), built);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a built catalog with the same paths and content version', async () => {
    const fromFolder = (await loadCatalog(valid)).catalog!;
    const { catalog, diagnostics } = await loadCatalogFile(join(dir, 'catalog.json'));
    expect(diagnostics).toEqual([]);
    expect([...catalog!.paths.keys()]).toEqual(['sql-basics', 'window-functions']);
    expect(catalog!.version).toBe(fromFolder.version);
    expect(catalog!.hashes).toEqual(fromFolder.hashes);
    expect(CompiledCatalogSchema.parse(JSON.parse(built)).paths).toHaveLength(2);
    expect(catalog!.paths.get('sql-basics')).toEqual(fromFolder.paths.get('sql-basics'));
  });

  it('reports unreadable files, invalid JSON and schema violations as diagnostics', async () => {
    expect((await loadCatalogFile(join(dir, 'missing.json'))).diagnostics).toEqual([expect.objectContaining({ code: 'LP001', line: 1 })]);

    await writeFile(join(dir, 'broken.json'), '{\n  "paths": [\n');
    const broken = await loadCatalogFile(join(dir, 'broken.json'));
    expect(broken.catalog).toBeNull();
    expect(broken.diagnostics).toEqual([expect.objectContaining({ code: 'LP002', line: 3 })]);

    // Without its seal a file is checked field by field.
    const { schemaVersion: _v, contentHash: _h, ...doc } = JSON.parse(built) as { schemaVersion: string; contentHash: string; paths: Record<string, unknown>[] };
    doc.paths[1]!.title = 42;
    await writeFile(join(dir, 'schema.json'), JSON.stringify(doc, null, 2));
    const schema = await loadCatalogFile(join(dir, 'schema.json'));
    expect(schema.catalog).toBeNull();
    const titleLine = JSON.stringify(doc, null, 2).split('\n').findIndex((l) => l.includes('"title": 42')) + 1;
    expect(schema.diagnostics).toEqual([expect.objectContaining({ code: 'LP004', line: titleLine, message: 'paths[1].title: expected text, got a number' })]);
  });

  it('refuses a sealed file changed after it was built, and says how to get a good one', async () => {
    expect(built).toMatch(/^\{"schemaVersion":"[\w.-]+","contentHash":"[0-9a-f]{64}",/);
    await writeFile(join(dir, 'tampered.json'), built.replace('"SQL Basics"', '"SQL Basics, Revised"'));
    const tampered = await loadCatalogFile(join(dir, 'tampered.json'));
    expect(tampered.catalog).toBeNull();
    expect(tampered.diagnostics).toEqual([
      expect.objectContaining({
        code: 'LP006',
        severity: 'error',
        line: 1,
        message: expect.stringMatching(/content does not match its "contentHash", so it changed after `learnpath build` wrote it; rebuild it with `learnpath build`/),
      }),
    ]);

    // Reformatted by a tool that sorts keys: the seal no longer opens the file.
    const resorted = JSON.parse(built) as Record<string, unknown>;
    await writeFile(join(dir, 'sorted.json'), JSON.stringify({ contentHash: resorted['contentHash'], paths: resorted['paths'], schemaVersion: resorted['schemaVersion'] }));
    expect((await loadCatalogFile(join(dir, 'sorted.json'))).diagnostics).toEqual([expect.objectContaining({ code: 'LP006', message: expect.stringContaining('rebuild it with `learnpath build`') })]);
  });

  it('refuses a sealed file validated with another schema version', async () => {
    const version = /"schemaVersion":"([\w.-]+)"/.exec(built)![1]!;
    await writeFile(join(dir, 'stale.json'), built.replace(`"schemaVersion":"${version}"`, '"schemaVersion":"0123456789abcdef"'));
    const stale = await loadCatalogFile(join(dir, 'stale.json'));
    expect(stale.catalog).toBeNull();
    expect(stale.diagnostics).toEqual([
      expect.objectContaining({
        code: 'LP006',
        message: expect.stringMatching(new RegExp(`validated with schema version "0123456789abcdef", and this version of learnpath validates with "${version}"; rebuild it`)),
      }),
    ]);
  });

  it('loads a pretty-printed sealed file, and an unsealed one by checking every path', async () => {
    const fromFolder = (await loadCatalog(valid)).catalog!;
    await writeFile(join(dir, 'pretty.json'), serializeCatalog(fromFolder, true));
    const pretty = await loadCatalogFile(join(dir, 'pretty.json'));
    expect(pretty.diagnostics).toEqual([]);
    expect(pretty.catalog!.version).toBe(fromFolder.version);

    const { paths } = JSON.parse(built) as { paths: unknown[] };
    await writeFile(join(dir, 'unsealed.json'), JSON.stringify({ paths }));
    const unsealed = await loadCatalogFile(join(dir, 'unsealed.json'));
    expect(unsealed.diagnostics).toEqual([]);
    expect(unsealed.catalog!.hashes).toEqual(fromFolder.hashes);
  });

  it('runs the reference and cross-path checks on an unsealed file, with positions', async () => {
    const { schemaVersion: _v, contentHash: _h, ...doc } = JSON.parse(built) as { schemaVersion: string; contentHash: string; paths: { slug: string; prerequisites: unknown[] }[] };
    doc.paths[1]!.slug = 'sql-basics';
    await writeFile(join(dir, 'dupe.json'), JSON.stringify(doc, null, 2));
    const dupe = await loadCatalogFile(join(dir, 'dupe.json'));
    expect(dupe.catalog).toBeNull();
    expect(dupe.diagnostics.map((d) => d.code)).toContain('LP106');
    expect(dupe.diagnostics.every((d) => d.line > 1)).toBe(true);
  });
});

describe('loadCatalogFile on a sealed file', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'learnpath-sealed-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a catalog file a chunk at a time, byte for byte what serializeCatalog and JSON.stringify give', async () => {
    const fromFolder = (await loadCatalog(valid)).catalog!;
    const catalog = createCatalog([...fromFolder.paths.values()].map((p, i) => ({ ...p, title: i === 0 ? 'Données — 数据 🚀' : p.title })));
    const members = { hashes: Object.fromEntries(catalog.hashes), paths: [...catalog.paths.values()] };
    for (const pretty of [false, true]) {
      const text = serializeCatalog(catalog, pretty);
      expect(text.slice(text.indexOf('"hashes"'))).toBe(`${JSON.stringify(members, null, pretty ? 2 : undefined).slice(pretty ? 4 : 1)}\n`);
      // Chunks of 1 and of 7 characters cut between every piece; the default (64 Ki) writes it in one.
      for (const chunkChars of [1, 7, undefined]) {
        const file = join(dir, 'out', `chunked-${pretty}-${chunkChars}.json`);
        await writeCatalogFile(catalog, file, { pretty, chunkChars });
        expect((await readFile(file)).equals(Buffer.from(text, 'utf8'))).toBe(true);
        const loaded = await loadCatalogFile(file);
        expect(loaded.diagnostics).toEqual([]);
        expect(loaded.catalog!.paths.get('sql-basics')!.title).toBe('Données — 数据 🚀');
      }
    }
    const empty = createCatalog([]);
    for (const pretty of [false, true]) {
      await writeCatalogFile(empty, join(dir, 'out', 'empty.json'), { pretty });
      expect(await readFile(join(dir, 'out', 'empty.json'), 'utf8')).toBe(serializeCatalog(empty, pretty));
      expect(JSON.parse(serializeCatalog(empty, pretty))).toMatchObject({ hashes: {}, paths: [] });
    }
  });

  it('writes compiled paths that were never read as the JSON they were compiled to, the same bytes as once they are read', async () => {
    const unread = (await loadCatalog(valid)).catalog!;
    const lazily = serializeCatalog(unread);
    await writeCatalogFile(unread, join(dir, 'out', 'unread.json'));
    // Reading one path parses it; the others stay JSON.
    expect(unread.paths.get('sql-basics')!.slug).toBe('sql-basics');
    const mixed = serializeCatalog(unread);
    const members = { hashes: Object.fromEntries(unread.hashes), paths: [...unread.paths.values()] };
    expect(lazily.slice(lazily.indexOf('"hashes"'))).toBe(`${JSON.stringify(members).slice(1)}\n`);
    expect(mixed).toBe(lazily);
    expect(await readFile(join(dir, 'out', 'unread.json'), 'utf8')).toBe(lazily);
    expect(serializeCatalog(createCatalog([...unread.paths.values()]))).toBe(lazily);
  });

  it('leaves nothing behind when a catalog file cannot be written', async () => {
    const catalog = (await loadCatalog(valid)).catalog!;
    await mkdir(join(dir, 'taken', 'catalog.json'), { recursive: true });
    await expect(writeCatalogFile(catalog, join(dir, 'taken', 'catalog.json'))).rejects.toThrow();
    expect(await readdir(join(dir, 'taken'))).toEqual(['catalog.json']);
  });

  it('reads paths with accents and quotes as they were built, frozen', async () => {
    const fromFolder = (await loadCatalog(valid)).catalog!;
    const paths = [...fromFolder.paths.values()].map((p, i) => ({ ...p, title: i === 0 ? 'Données, "réseaux" {et} ]} sécurité' : p.title }));
    const catalog = createCatalog(paths);
    await writeFile(join(dir, 'accents.json'), serializeCatalog(catalog));
    const loaded = await loadCatalogFile(join(dir, 'accents.json'));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.catalog!.version).toBe(catalog.version);
    expect([...loaded.catalog!.paths.keys()]).toEqual([...catalog.paths.keys()]);
    expect(loaded.catalog!.paths.get('sql-basics')!.title).toBe('Données, "réseaux" {et} ]} sécurité');
    expect([...loaded.catalog!.paths.values()]).toEqual([...catalog.paths.values()]);
    expect(Object.isFrozen(loaded.catalog!.paths.get('window-functions')!.phases[0]!.resources)).toBe(true);
    expect(loaded.catalog!.paths.get('no-such-path')).toBeUndefined();
    expect(loaded.paths.map((p) => p.slug)).toEqual(['sql-basics', 'window-functions']);
  });

  it('still loads a sealed file whose members are in another order, by parsing it whole', async () => {
    const fromFolder = (await loadCatalog(valid)).catalog!;
    const members = { paths: [...fromFolder.paths.values()], hashes: Object.fromEntries(fromFolder.hashes) };
    await writeFile(join(dir, 'reordered.json'), sealDocument(`${JSON.stringify(members).slice(1)}\n`, false));
    const loaded = await loadCatalogFile(join(dir, 'reordered.json'));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.catalog!.version).toBe(fromFolder.version);
    expect(loaded.catalog!.paths.get('window-functions')).toEqual(fromFolder.paths.get('window-functions'));
  });

  it('loads sealed files of no path and of slugs that JSON objects reorder (numbers)', async () => {
    const empty = createCatalog([]);
    await writeFile(join(dir, 'empty.json'), serializeCatalog(empty));
    const none = await loadCatalogFile(join(dir, 'empty.json'));
    expect(none.diagnostics).toEqual([]);
    expect(none.catalog!.paths.size).toBe(0);
    expect(none.catalog!.version).toBe(empty.version);

    const fromFolder = (await loadCatalog(valid)).catalog!;
    const [first, second] = [...fromFolder.paths.values()];
    const numbered = createCatalog([{ ...first!, slug: '9' }, { ...second!, slug: '10' }]);
    await writeFile(join(dir, 'numbered.json'), serializeCatalog(numbered));
    const loaded = await loadCatalogFile(join(dir, 'numbered.json'));
    expect(loaded.diagnostics).toEqual([]);
    expect([...loaded.catalog!.paths.keys()]).toEqual(['10', '9']);
    expect(loaded.catalog!.version).toBe(numbered.version);
    expect(loaded.catalog!.paths.get('9')!.title).toBe(first!.title);
  });

  it('refuses a sealed file with a path changed after it was built, before reading any path', async () => {
    const fromFolder = (await loadCatalog(valid)).catalog!;
    const built = serializeCatalog(fromFolder);
    await writeFile(join(dir, 'changed.json'), built.replace('"slug":"window-functions"', '"slug":"window-functionz"'));
    const changed = await loadCatalogFile(join(dir, 'changed.json'));
    expect(changed.catalog).toBeNull();
    expect(changed.diagnostics).toEqual([expect.objectContaining({ code: 'LP006', message: expect.stringContaining('does not match its "contentHash"') })]);
  });
});
