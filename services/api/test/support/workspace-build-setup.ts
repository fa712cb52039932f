import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder where `npm run build`, started once per run, writes build.log and then result.json. */
    workspaceBuildDir: string;
  }
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

// Several e2e files need the compiled workspaces (dist/): the production build, the packed
// packages, server processes started from JavaScript. Building them once per run, in the
// background while the first files run, means no file rewrites dist/ while another reads it.
/** Starts `npm run build` for the run and removes its folder after; a build still running is ended. */
export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'learnpath-build-'));
  project.provide('workspaceBuildDir', dir);
  const log = openSync(join(dir, 'build.log'), 'w');
  const child = spawn('npm', ['run', '--silent', 'build'], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', npm_config_update_notifier: 'false' },
    detached: true,
    stdio: ['ignore', log, log],
  });
  // Written whole, then renamed: a reader never sees half of it.
  const finish = (result: { code: number | null; error?: string }): void => {
    writeFileSync(join(dir, 'result.tmp'), JSON.stringify(result));
    renameSync(join(dir, 'result.tmp'), join(dir, 'result.json'));
  };
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => resolve(finish({ code: null, error: error.message })));
    child.once('exit', (code) => resolve(finish({ code })));
  });
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
}
