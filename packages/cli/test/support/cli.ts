import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CliIo } from '../../src/io.js';
import { main } from '../../src/main.js';

/** The repository root, where the shipped content and the fixtures are. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** What one `learnpath` run printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `learnpath ...args` in this process with `cwd` as its working folder, collecting what it prints. */
export async function runCli(args: readonly string[], cwd = ROOT): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (chunk) => void (stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()),
    stderr: (chunk) => void (stderr += chunk),
    cwd,
  };
  const code = await main([...args], io);
  return { code, stdout, stderr };
}

const run = promisify(execFile);

/** Runs the real `learnpath` bin (packages/cli/bin/learnpath.js) as a process in `cwd`. */
export async function runBin(args: readonly string[], cwd = ROOT): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'packages/cli/bin/learnpath.js'), ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
