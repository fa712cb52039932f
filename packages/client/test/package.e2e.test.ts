import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '@learnpath/api';
import { createLargeCatalog } from './catalog-fixture.js';
import { installTarballs, rootBin, sh } from './pack.js';
import { waitForWorkspaceBuild } from '../../../services/api/test/support/workspace-build.js';

// The published shape of @learnpath/client: build, pack, install the tarball into a fresh app
// and use it against the real service over HTTP from ESM, CommonJS and strict TypeScript.
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const PATHS = 250;

// The same program in each module system: page through every path 7 at a time, read one path,
// get a 404 as data, and a 400 from paginate as a LearnpathProblemError.
const program = (lang: 'js' | 'ts'): string => `
const client = createLearnpathClient({ baseUrl: process.env.BASE_URL${lang === 'ts' ? '!' : ''}, headers: { 'x-client': 'pack-test' } });
async function main()${lang === 'ts' ? ': Promise<void>' : ''} {
  const slugs${lang === 'ts' ? ': string[]' : ''} = [];
  for await (const summary of paginate(client, '/v1/paths', { limit: 7, sort: '-totalMinutes' })) slugs.push(summary.slug);
  const beginners${lang === 'ts' ? ': string[]' : ''} = [];
  for await (const r of paginate(client, '/v1/resources', { level: 'beginner', limit: 100 })) beginners.push(r.pathSlug);
  const one = await client.GET('/v1/paths/{slug}', { params: { path: { slug: 'path-042' } } });
  const title${lang === 'ts' ? ': string' : ''} = unwrap(one).title;
  const missing = await client.GET('/v1/paths/{slug}', { params: { path: { slug: 'no-such-path' } } });
  let problem = null;
  try {
    for await (const s of paginate(client, '/v1/paths', { limit: 1000 })) void s;
  } catch (error) {
    if (!(error instanceof LearnpathProblemError)) throw error;
    problem = { status: error.status, type: error.problem.type, pointer: error.problem.errors?.[0]?.pointer };
  }
  console.log(JSON.stringify({ count: slugs.length, unique: new Set(slugs).size, first: slugs[0], beginners: beginners.length, title, missing: missing.error?.status, problem }));
}
main().catch((error) => { console.error(error); process.exit(1); });
`;

describe('@learnpath/client package', () => {
  let work = '';
  let tarball = '';
  let app: App | undefined;
  let baseUrl = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'learnpath-client-pack-'));
    // Built by the run's `npm run build`: skip the prepack build.
    await waitForWorkspaceBuild();
    const pack = await sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], pkgDir);
    expect(pack.code, pack.stderr).toBe(0);
    tarball = join(work, (await readdir(work)).find((f) => f.endsWith('.tgz'))!);
    app = await buildApp({ catalog: createLargeCatalog(PATHS), rateLimit: false });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('passes publint --strict and @arethetypeswrong/cli', async () => {
    const publint = await sh(rootBin(root, 'publint'), ['--strict', tarball], pkgDir);
    expect(publint.code, publint.stdout + publint.stderr).toBe(0);
    expect(publint.stdout).toContain('All good!');
    const attw = await sh(rootBin(root, 'attw'), [tarball, '--format', 'ascii'], pkgDir);
    expect(attw.code, attw.stdout + attw.stderr).toBe(0);
    expect(attw.stdout).toContain('No problems found');
  }, 120_000);

  it('ships a README and the LICENSE', async () => {
    const list = await sh('tar', ['-tzf', tarball], work);
    expect(list.stdout.split('\n')).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/dist/index.d.ts']));
  });

  it('installs from the tarball and pages through every path from ESM, CommonJS and strict TypeScript', async () => {
    const dir = join(work, 'app');
    await mkdir(dir);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, version: '1.0.0' }));
    const install = await installTarballs(dir, [tarball]);
    expect(install.code, install.stderr).toBe(0);

    await writeFile(join(dir, 'esm.mjs'), `import { createLearnpathClient, paginate, unwrap, LearnpathProblemError } from '@learnpath/client';\n${program('js')}`);
    await writeFile(join(dir, 'cjs.cjs'), `const { createLearnpathClient, paginate, unwrap, LearnpathProblemError } = require('@learnpath/client');\n${program('js')}`);
    await writeFile(
      join(dir, 'app.mts'),
      `import { createLearnpathClient, paginate, unwrap, LearnpathProblemError, type components } from '@learnpath/client';\n` +
        `const level: components['schemas']['PathSummary']['level'] = 'beginner';\nvoid level;\n` +
        // A wrong parameter name and a wrong type are compile errors (checked, never called).
        `export const typeChecks = (c: ReturnType<typeof createLearnpathClient>) => [\n` +
        `  // @ts-expect-error the path parameter is slug\n  c.GET('/v1/paths/{slug}', { params: { path: { id: 'x' } } }),\n` +
        `  // @ts-expect-error limit is a number\n  paginate(c, '/v1/paths', { limit: 'ten' }),\n];\n` +
        program('ts'),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023', 'dom'],
          types: [],
          skipLibCheck: false,
          outDir: 'out',
        },
        files: ['app.mts', 'env.d.ts'],
      }),
    );
    // process.env needs Node's types; a one-line declaration keeps the app free of @types/node.
    await writeFile(join(dir, 'env.d.ts'), 'declare const process: { env: Record<string, string | undefined>; exit(code: number): never };\n');
    const tsc = await sh(rootBin(root, 'tsc'), ['-p', 'tsconfig.json'], dir);
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);

    const expected = {
      count: PATHS,
      unique: PATHS,
      first: 'path-039',
      beginners: Math.ceil(PATHS / 3),
      title: 'Path 14',
      missing: 404,
      problem: { status: 400, type: 'urn:learnpath:problem:invalid-request', pointer: '/limit' },
    };
    for (const entry of ['esm.mjs', 'cjs.cjs', 'out/app.mjs']) {
      const result = await sh(process.execPath, [entry], dir, { BASE_URL: baseUrl });
      expect(result.code, `${entry}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout), entry).toEqual(expected);
    }
  }, 180_000);
});
