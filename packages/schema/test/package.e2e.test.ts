import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@learnpath/api';
import { fixtureCatalog, SEED } from '../../../services/api/test/support/fixtures.js';
import { waitForWorkspaceBuild } from '../../../services/api/test/support/workspace-build.js';

// The published shape of @learnpath/schema: build, pack, install the tarball into a fresh app
// and use it from ESM and CommonJS, as another project would.
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const exec = promisify(execFile);
const env = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };

async function sh(file: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

const usage = `
const doc = {
  title: 'Packaged',
  phases: [
    { title: 'One', sequential: true, resources: [{ title: 'A', kind: 'article', durationMinutes: 10 }, { title: 'B', kind: 'video', durationMinutes: 5 }] },
  ],
};
const path = compilePath(doc, 'packaged');
LearningPathSchema.parse(path);
const report = evaluateProgress(path, ['a']);
const out = { slug: path.slug, total: path.totalMinutes, next: report.next && report.next.id, issues: validatePath(path).length };
`;

describe('@learnpath/schema package', () => {
  let work = '';
  let tarball = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'learnpath-schema-pack-'));
    // Built by the run's `npm run build`: skip the prepack build.
    await waitForWorkspaceBuild();
    const pack = await sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], pkgDir);
    expect(pack.code, pack.stderr).toBe(0);
    tarball = join(work, (await readdir(work)).find((f) => f.endsWith('.tgz'))!);
  }, 120_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('passes publint --strict and @arethetypeswrong/cli', async () => {
    const publint = await sh(bin('publint'), ['--strict', tarball], pkgDir);
    expect(publint.code, publint.stdout + publint.stderr).toBe(0);
    expect(publint.stdout).toContain('All good!');
    const attw = await sh(bin('attw'), [tarball, '--format', 'ascii'], pkgDir);
    expect(attw.code, attw.stdout + attw.stderr).toBe(0);
    expect(attw.stdout).toContain('No problems found');
  }, 120_000);

  it('installs from the tarball and works from ESM and CommonJS', async () => {
    const app = join(work, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, version: '1.0.0' }));
    // Offline first: zod comes from the npm cache the workspace install filled.
    const install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], app);
    expect(install.code, install.stderr).toBe(0);

    await writeFile(join(app, 'esm.mjs'), `import { compilePath, evaluateProgress, validatePath, LearningPathSchema } from '@learnpath/schema';\n${usage}\nconsole.log(JSON.stringify(out));\n`);
    await writeFile(join(app, 'cjs.cjs'), `const { compilePath, evaluateProgress, validatePath, LearningPathSchema } = require('@learnpath/schema');\n${usage}\nconsole.log(JSON.stringify(out));\n`);
    const expected = { slug: 'packaged', total: 15, next: 'b', issues: 0 };
    for (const entry of ['esm.mjs', 'cjs.cjs']) {
      const result = await sh(process.execPath, [entry], app);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(expected);
    }
  }, 120_000);

  it('ships a README and the LICENSE', async () => {
    const list = await sh('tar', ['-tzf', tarball], work);
    expect(list.stdout.split('\n')).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE']));
  });

  it('parses every route\'s live response with its exported schema, and a path with an extra member', async () => {
    // Live responses of every REST route (and two problems), as the service sends them.
    const app = await buildApp({ catalog: fixtureCatalog(), rateLimit: false });
    const calls: { schema: string; method: 'GET' | 'POST'; url: string; body?: unknown }[] = [
      { schema: 'PathListSchema', method: 'GET', url: '/v1/paths?limit=2' },
      { schema: 'LearningPathSchema', method: 'GET', url: `/v1/paths/${SEED}` },
      { schema: 'PhaseSchema', method: 'GET', url: `/v1/paths/${SEED}/phases/foundations` },
      { schema: 'ResourceEntrySchema', method: 'GET', url: `/v1/paths/${SEED}/resources/batch-processing` },
      { schema: 'ResourceListSchema', method: 'GET', url: '/v1/resources?limit=3' },
      { schema: 'PathGraphSchema', method: 'GET', url: `/v1/paths/${SEED}/graph` },
      { schema: 'ProgressReportSchema', method: 'POST', url: `/v1/paths/${SEED}/progress`, body: { completed: ['batch-processing'] } },
      { schema: 'HealthSchema', method: 'GET', url: '/healthz' },
      { schema: 'ProblemSchema', method: 'GET', url: '/v1/paths/no-such-path' },
      { schema: 'ProblemSchema', method: 'GET', url: `/v1/paths/${SEED}/export/pdf` },
    ];
    const samples: { schema: string; body: unknown }[] = [];
    try {
      for (const call of calls) {
        const response = await app.inject({ method: call.method, url: call.url, ...(call.body ? { payload: call.body as object } : {}) });
        samples.push({ schema: call.schema, body: response.json() });
      }
    } finally {
      await app.close();
    }
    const path = samples[1]!.body as Record<string, unknown>;
    samples.push({ schema: 'LearningPathSchema', body: { ...path, addedLater: { any: 'thing' }, phases: (path['phases'] as object[]).map((p) => ({ ...p, addedLater: 1 })) } });
    const dir = join(work, 'live');
    await mkdir(dir);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'live', private: true, version: '1.0.0' }));
    const install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], dir);
    expect(install.code, install.stderr).toBe(0);
    await writeFile(join(dir, 'samples.json'), JSON.stringify(samples));
    await writeFile(
      join(dir, 'parse.mjs'),
      `import * as schema from '@learnpath/schema';
import { readFileSync } from 'node:fs';
const samples = JSON.parse(readFileSync('samples.json', 'utf8'));
const results = samples.map(({ schema: name, body }) => {
  const result = schema[name].safeParse(body);
  return { name, ok: result.success, keys: result.success ? Object.keys(result.data).sort().join(',') : result.error.message };
});
const typo = schema.LearningPathDocumentSchema.safeParse({ title: 'T', phses: [] }).success;
console.log(JSON.stringify({ results, typo }));
`,
    );
    const run = await sh(process.execPath, ['parse.mjs'], dir);
    expect(run.code, run.stderr).toBe(0);
    const { results, typo } = JSON.parse(run.stdout) as { results: { name: string; ok: boolean; keys: string }[]; typo: boolean };
    expect(results.map((r) => [r.name, r.ok])).toEqual(samples.map((s) => [s.schema, true]));
    // The extra member is stripped from the served path; the problem keeps its extension member.
    expect(results[10]!.keys).toBe(results[1]!.keys);
    expect(results[9]!.keys.split(',')).toContain('formats');
    // An authored document stays strict: a misspelt member fails.
    expect(typo).toBe(false);
  }, 120_000);
});
