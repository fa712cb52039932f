import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { findImportViolations } from '../scripts/checks/workspace-imports.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('imports between workspaces', () => {
  it('never reach into another workspace’s src/ and never bring test support into production code', () => {
    expect(findImportViolations(ROOT)).toEqual([]);
  });

  const sandbox = mkdtempSync(join(tmpdir(), 'lp-imports-'));
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));
  const write = (file: string, text: string): void => {
    mkdirSync(dirname(join(sandbox, file)), { recursive: true });
    writeFileSync(join(sandbox, file), text);
  };

  it('names each file that breaks a rule (the check can fail)', () => {
    write('package.json', JSON.stringify({ workspaces: ['packages/a', 'packages/b'] }));
    write('packages/a/src/index.ts', "export { b } from '../../b/src/index.js';\nimport { seed } from '../test/support/fixtures.js';\n");
    write('packages/a/test/support/fixtures.ts', "export const seed = 1;\n");
    write('packages/a/test/a.test.ts', "import { seed } from './support/fixtures.js';\nimport { a } from '../src/index.js';\n");
    write('packages/b/src/index.ts', "export const b = 1;\n");
    write('scripts/tool.ts', "const b = await import('../packages/b/src/index.js');\n");
    expect(findImportViolations(sandbox)).toEqual([
      { file: 'packages/a/src/index.ts', line: 1, specifier: '../../b/src/index.js', rule: 'source-of-another-workspace' },
      { file: 'packages/a/src/index.ts', line: 2, specifier: '../test/support/fixtures.js', rule: 'production-imports-test-support' },
      { file: 'scripts/tool.ts', line: 1, specifier: '../packages/b/src/index.js', rule: 'source-of-another-workspace' },
    ]);
  });
});

describe('runtime dependencies', () => {
  it('all support the Node version the project supports, so installs print no engine warning for them', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
    };
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    const unsupported = Object.entries(lock.packages)
      .filter(([name, entry]) => name.includes('node_modules/') && !entry.dev && entry.engines && !Array.isArray(entry.engines) && entry.engines.node)
      .filter(([, entry]) => !semver.satisfies(lowest, (entry.engines as { node: string }).node))
      .map(([name, entry]) => `${name} needs node ${(entry.engines as { node: string }).node}`);
    expect(unsupported).toEqual([]);
  });
});
