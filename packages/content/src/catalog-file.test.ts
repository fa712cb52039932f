import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledCatalogSchema, loadCatalog, loadCatalogFile, serializeCatalog } from './index.js';

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
  });

  it('reports unreadable files, invalid JSON and schema violations as diagnostics', async () => {
    expect((await loadCatalogFile(join(dir, 'missing.json'))).diagnostics).toEqual([expect.objectContaining({ code: 'LP001', line: 1 })]);

    await writeFile(join(dir, 'broken.json'), '{\n  "paths": [\n');
    const broken = await loadCatalogFile(join(dir, 'broken.json'));
    expect(broken.catalog).toBeNull();
    expect(broken.diagnostics).toEqual([expect.objectContaining({ code: 'LP002', line: 3 })]);

    const doc = JSON.parse(built) as { paths: Record<string, unknown>[] };
    doc.paths[1]!.title = 42;
    await writeFile(join(dir, 'schema.json'), JSON.stringify(doc, null, 2));
    const schema = await loadCatalogFile(join(dir, 'schema.json'));
    expect(schema.catalog).toBeNull();
    const titleLine = JSON.stringify(doc, null, 2).split('\n').findIndex((l) => l.includes('"title": 42')) + 1;
    expect(schema.diagnostics).toEqual([expect.objectContaining({ code: 'LP004', line: titleLine, message: 'paths[1].title: expected text, got a number' })]);
  });

  it('runs the reference and cross-path checks, with positions', async () => {
    const doc = JSON.parse(built) as { paths: { slug: string; prerequisites: unknown[] }[] };
    doc.paths[1]!.slug = 'sql-basics';
    await writeFile(join(dir, 'dupe.json'), JSON.stringify(doc, null, 2));
    const dupe = await loadCatalogFile(join(dir, 'dupe.json'));
    expect(dupe.catalog).toBeNull();
    expect(dupe.diagnostics.map((d) => d.code)).toContain('LP106');
    expect(dupe.diagnostics.every((d) => d.line > 1)).toBe(true);
  });
});
