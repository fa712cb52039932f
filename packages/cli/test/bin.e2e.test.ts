import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin } from './support/cli.js';

// The commands themselves are tested in-process (cli.test.ts, export.test.ts); these start the
// real bin, to check what only a process shows: it runs from the sources in a checkout, and the
// exit code of a command becomes the exit status of the process.

const run = promisify(execFile);

describe('the learnpath bin', () => {
  it('exits 0 after a clean check and 1 after a failing one, printing the diagnostics', async () => {
    const clean = await runBin(['check', 'content']);
    expect(clean.stdout).toMatch(/^0 errors, \d+ warnings? in \d+ files\n$/m);
    expect(clean.code).toBe(0);
    const failing = await runBin(['check', 'packages/content/test/fixtures/catalogs/yaml-cycle']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('cycle.yaml:7:9 error LP102 dependency cycle: first → second → first');
  });

  it('exits 2 with the usage on an unknown command', async () => {
    const unknown = await runBin(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('runs with npx from a subfolder of the repository', async () => {
    const { stdout } = await run('npx', ['--no-install', 'learnpath', '--version'], { cwd: join(ROOT, 'packages/lms/xsd') });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
