import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
    const build = await sh(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js')], pkgDir);
    expect(build.code, build.stderr).toBe(0);
    // Built just above: skip the prepack build.
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
});
