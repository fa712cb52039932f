import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDocument } from '@learnpath/schema';
import { seedPath } from '@learnpath/schema/examples';
import { ROOT as root, runCli } from './support/cli.js';

let work = '';

/** Runs `learnpath` in-process in the temporary working folder. */
const learnpath = (...args: string[]) => runCli(args, work);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lp-export-'));
  await mkdir(join(work, 'content'));
  await writeFile(join(work, 'content', 'batch-vs-stream-processing.json'), JSON.stringify(toDocument(seedPath), null, 2));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('learnpath export', () => {
  it('writes the cartridge under its own name in the working folder by default', async () => {
    const { code, stderr } = await learnpath('export', 'batch-vs-stream-processing', '--format', 'imscc');
    expect(stderr).toMatch(/exported batch-vs-stream-processing as imscc to batch-vs-stream-processing\.imscc \(\d+ bytes\)/);
    expect(code).toBe(0);
    const entries = unzipSync(await readFile(join(work, 'batch-vs-stream-processing.imscc')));
    expect(Object.keys(entries)[0]).toBe('imsmanifest.xml');
    expect(strFromU8(entries['imsmanifest.xml']!)).toContain('<schemaversion>1.3.0</schemaversion>');
  });

  it('writes to --out, reading another folder, byte-identical on a second run', async () => {
    await mkdir(join(work, 'other'), { recursive: true });
    await writeFile(join(work, 'other', 'seed.json'), JSON.stringify(toDocument(seedPath)));
    expect((await learnpath('export', 'batch-vs-stream-processing', '-f', 'imscc-1.1', '--out', 'out/a.imscc', 'other')).code).toBe(0);
    expect((await learnpath('export', 'batch-vs-stream-processing', '-f', 'imscc-1.1', '--out', 'out/b.imscc', 'other')).code).toBe(0);
    const [a, b] = await Promise.all([readFile(join(work, 'out/a.imscc')), readFile(join(work, 'out/b.imscc'))]);
    expect(a.equals(b)).toBe(true);
    expect(strFromU8(unzipSync(a)['imsmanifest.xml']!)).toContain('<schemaversion>1.1.0</schemaversion>');
  });

  it('exports the shipped content folder', async () => {
    const { code, stderr } = await learnpath('export', 'batch-vs-stream-processing', '--format', 'imscc', '--out', 'shipped.imscc', join(root, 'content'));
    expect(stderr).toContain('exported batch-vs-stream-processing as imscc to shipped.imscc');
    expect(code).toBe(0);
    const manifest = strFromU8(unzipSync(await readFile(join(work, 'shipped.imscc')))['imsmanifest.xml']!);
    expect(manifest).toContain('<title>Phase 2: Core Concepts</title>');
  });

  it('prints text formats to standard output with --out -', async () => {
    const { code, stdout } = await learnpath('export', 'batch-vs-stream-processing', '--format', 'jsonld', '--out', '-', '--base-url', 'https://learn.example.com');
    expect(code).toBe(0);
    const course = JSON.parse(stdout) as { '@type': string; '@id': string };
    expect(course['@type']).toBe('Course');
    expect(course['@id']).toBe('https://learn.example.com/v1/paths/batch-vs-stream-processing');
  });

  it('prints the Markdown document with --out -', async () => {
    const { code, stdout } = await learnpath('export', 'batch-vs-stream-processing', '--format', 'markdown', '--out', '-');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Batch vs Stream Processing$/m);
  });

  it('needs --base-url for cmi5 and then writes cmi5.xml', async () => {
    const missing = await learnpath('export', 'batch-vs-stream-processing', '--format', 'cmi5');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cmi5 needs --base-url');
    const ok = await learnpath('export', 'batch-vs-stream-processing', '--format', 'cmi5', '--base-url', 'https://learn.example.com/');
    expect(ok.code).toBe(0);
    const xml = await readFile(join(work, 'batch-vs-stream-processing.cmi5.xml'), 'utf8');
    expect(xml).toContain('<url>https://learn.example.com/learn/batch-vs-stream-processing/batch-processing</url>');
  });

  it('writes a thin cartridge of LTI links, one per phase with --per-phase', async () => {
    const missing = await learnpath('export', 'batch-vs-stream-processing', '--format', 'imscc-lti');
    expect([missing.code, missing.stderr]).toEqual([2, 'learnpath export: imscc-lti needs --base-url URL, the address of the Learnpath service its LTI links launch\n']);
    const misplaced = await learnpath('export', 'batch-vs-stream-processing', '--format', 'imscc', '--per-phase');
    expect([misplaced.code, misplaced.stderr]).toEqual([2, 'learnpath export: --per-phase applies to --format imscc-lti only\n']);
    const ok = await learnpath('export', 'batch-vs-stream-processing', '--format', 'imscc-lti', '--per-phase', '--base-url', 'https://learn.example.com');
    expect(ok.code).toBe(0);
    const entries = unzipSync(await readFile(join(work, 'batch-vs-stream-processing.lti.imscc')));
    expect(Object.keys(entries)).toEqual(['imsmanifest.xml', 'lti/foundations.xml', 'lti/core-concepts.xml', 'lti/advanced-topics.xml']);
    expect(strFromU8(entries['lti/core-concepts.xml']!)).toContain('<blti:launch_url>https://learn.example.com/learn/batch-vs-stream-processing?phase=core-concepts</blti:launch_url>');
  });

  it('explains wrong usage and unknown paths', async () => {
    const format = await learnpath('export', 'batch-vs-stream-processing', '--format', 'scorm');
    expect([format.code, format.stderr]).toEqual([2, 'learnpath export: unknown format "scorm"; formats: markdown, jsonld, imscc, imscc-1.1, imscc-lti, cmi5\n']);
    const binary = await learnpath('export', 'batch-vs-stream-processing', '--format', 'imscc', '--out', '-');
    expect(binary.code).toBe(2);
    expect(binary.stdout).toBe('');
    const slug = await learnpath('export', 'no-such-path', '--format', 'jsonld');
    expect(slug.code).toBe(1);
    expect(slug.stderr).toContain('no path "no-such-path" in content; paths: batch-vs-stream-processing');
    expect((await learnpath('export', '--format', 'jsonld')).code).toBe(2);
    expect(existsSync(join(work, 'no-such-path.jsonld'))).toBe(false);
  });
});
