import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const env = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };

/** The result of a command: its output and exit code (never throws). */
export interface ShellResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command to completion. */
export async function sh(file: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<ShellResult> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, env: { ...env, ...extraEnv }, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Installs tarballs into an app folder, offline first (dependencies come from the npm cache the workspace install filled). */
export function installTarballs(app: string, tarballs: string[]): Promise<ShellResult> {
  return sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...tarballs], app);
}

/** A binary of the workspace root's node_modules. */
export function rootBin(root: string, name: string): string {
  return join(root, 'node_modules', '.bin', name);
}
