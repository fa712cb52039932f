import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import './workspace-build-setup.js';

/**
 * Waits for the run's `npm run build` (workspace-build-setup.ts) to finish and throws with its
 * output if it failed; afterwards every workspace's dist/ is there.
 */
export async function waitForWorkspaceBuild(timeoutMs = 240_000): Promise<void> {
  const dir = inject('workspaceBuildDir');
  if (!dir) throw new Error('the workspace build is started by the e2e project (workspace-build-setup.ts); run this file in it');
  const result = join(dir, 'result.json');
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(result)) {
    if (Date.now() > deadline) throw new Error(`npm run build did not finish within ${timeoutMs} ms:\n${readFileSync(join(dir, 'build.log'), 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { code, error } = JSON.parse(readFileSync(result, 'utf8')) as { code: number | null; error?: string };
  if (code !== 0) throw new Error(`npm run build failed (${error ?? `exit code ${code}`}):\n${readFileSync(join(dir, 'build.log'), 'utf8')}`);
}
