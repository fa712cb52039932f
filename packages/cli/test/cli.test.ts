import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledCatalogSchema, parsePathDocument } from '@learnpath/content';
import { ROOT as root, runCli } from './support/cli.js';

const catalogs = 'packages/content/test/fixtures/catalogs';
const markdown = 'packages/content/test/fixtures/markdown';

/** Runs `learnpath` in-process from the repository root. */
const learnpath = (...args: string[]) => runCli(args);

describe('learnpath check', () => {
  it('exits 0 on the shipped content', async () => {
    const { code, stdout } = await learnpath('check', 'content');
    expect(stdout).toMatch(/^0 errors, \d+ warnings? in \d+ files\n$/m);
    expect(code).toBe(0);
  });

  it.each([
    ['yaml-cycle', 'cycle.yaml:7:9 error LP102 dependency cycle: first → second → first'],
    ['yaml-unknown-reference', 'unknown.yaml:10:13 error LP101 dependency of "second" names unknown resource "third"'],
    ['yaml-duplicate-id', 'duplicate.yaml:9:16 error LP103 duplicate resource id "reading"'],
    ['yaml-bad-duration', 'duration.yaml:6:26 error LP004 phases[0].resources[0].durationMinutes: expected a number, got text'],
    ['yaml-missing-title', 'untitled.yaml:1:1 error LP201 the document has no title'],
    ['duplicate-slug', 'a.yaml:2:7 error LP106 duplicate slug "same"'],
    ['unknown-path', 'needs-other.yaml:3:5 error LP105 prerequisite names unknown path "no-such-path"'],
  ])('fails on %s with the code at the line', async (fixture, line) => {
    const { code, stdout } = await learnpath('check', `${catalogs}/${fixture}`);
    expect(code).toBe(1);
    expect(stdout).toContain(`${catalogs}/${fixture}/${line}`);
    expect(stdout).toMatch(/^[1-9]\d* errors?, \d+ warnings? in \d+ files?$/m);
  });

  // Markdown fixtures: the expected line is found by a marker, so the fixtures can grow.
  it.each([
    ['dependency-cycle.md', 'LP102', 'Dependencies: Complete resource 2'],
    ['unknown-reference.md', 'LP101', 'no-such-resource'],
    ['duplicate-id.md', 'LP103', '1. **Intro** — [Video]'],
    ['unreadable-duration.md', 'LP204', 'a long afternoon'],
    ['missing-title.md', 'LP201', '## Overview'],
  ])('fails on the Markdown fixture %s with %s at the line', async (fixture, code, marker) => {
    const file = `${markdown}/${fixture}`;
    const line = (await readFile(join(root, file), 'utf8')).split('\n').findIndex((l) => l.includes(marker)) + 1;
    expect(line).toBeGreaterThan(0);
    const result = await learnpath('check', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${file}:${line}:\\d+ error ${code} `, 'm'));
  });

  it('reports every problem of several folders and files in one run, as JSON on request', async () => {
    const { code, stdout } = await learnpath('check', `${catalogs}/yaml-cycle`, `${catalogs}/yaml-duplicate-id/duplicate.yaml`, 'no/such/dir', '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; errors: number; diagnostics: { file: string; code: string; line: number }[] };
    expect(report.ok).toBe(false);
    expect(report.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual([
      'no/such/dir LP001',
      `${catalogs}/yaml-cycle/cycle.yaml LP102`,
      `${catalogs}/yaml-duplicate-id/duplicate.yaml LP103`,
    ]);
    expect(report.errors).toBe(3);
  });
});

describe('learnpath build', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'learnpath-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the compiled catalog, which parses with the catalog schema', async () => {
    const out = join(dir, 'catalog.json');
    const { code, stderr } = await learnpath('build', 'content', '--out', out);
    expect(stderr).toMatch(/built \d+ paths/);
    expect(code).toBe(0);
    const catalog = CompiledCatalogSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    const seed = catalog.paths.find((p) => p.slug === 'batch-vs-stream-processing');
    expect(seed?.totalMinutes).toBe(235);
    expect(catalog.paths.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses to write when the content has errors', async () => {
    const out = join(dir, 'broken.json');
    const { code, stderr } = await learnpath('build', `${catalogs}/yaml-cycle`, '--out', out);
    expect(code).toBe(1);
    expect(stderr).toContain('LP102');
    expect(stderr).toMatch(/build failed: 1 error/);
    await expect(readFile(out)).rejects.toThrow();
  });

  it('writes a new document from the template that parses with placeholder warnings only, and never overwrites', async () => {
    const first = await learnpath('new', 'stream-joins', '--dir', dir, '--title', 'Stream Joins');
    expect(first.code).toBe(0);
    const file = join(dir, 'stream-joins.md');
    const text = await readFile(file, 'utf8');
    const result = parsePathDocument(text, { file: 'stream-joins.md' });
    expect(result.path?.title).toBe('Stream Joins');
    expect(result.path?.slug).toBe('stream-joins');
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(new Set(result.diagnostics.map((d) => d.code))).toEqual(new Set(['LP210']));
    const checked = await learnpath('check', file);
    expect(checked.code).toBe(0);

    await writeFile(file, 'kept');
    const again = await learnpath('new', 'stream-joins', '--dir', dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(await readFile(file, 'utf8')).toBe('kept');
    expect((await learnpath('new', 'Not A Slug', '--dir', dir)).code).toBe(2);
  });
});

describe('learnpath usage', () => {
  it('prints help and version, and exits 2 with usage on an unknown command or option', async () => {
    const help = await learnpath('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: learnpath <command>');
    const version = await learnpath('--version');
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const unknown = await learnpath('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage:');
    expect((await learnpath('check', '--bogus')).code).toBe(2);
  });

  it('treats names of built-in object properties as unknown commands, not as a crash', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const result = await learnpath(name);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`unknown command "${name}"`);
      expect(result.stderr).not.toContain('unexpected failure');
    }
  });
});
