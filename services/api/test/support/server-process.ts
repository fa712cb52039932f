import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toDocument, type LearningPath } from '@learnpath/schema';

/** The repository root, where `npm start` and `npm run dev` run. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A server started through an npm script, in a process group of its own. */
export interface ServerProcess {
  /** The base URL the server logged, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Waits until the output contains `text` (or matches it). */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** The pid of the server process itself (below npm and tsx), from its log. */
  pid: number;
  /**
   * Sends SIGTERM to the server process, as a container runtime or process manager would, and
   * resolves with the exit code of `npm`, which passes the server's on. After `graceMs` the whole
   * process group is killed.
   */
  stop(graceMs?: number): Promise<number | null>;
  /**
   * Kills the whole process group with SIGKILL, as a crash or an out-of-memory kill would (no
   * shutdown hook runs), and resolves once the server process is gone.
   */
  kill(): Promise<void>;
}

/** Spawns `npm run <script>` detached (so the group can be signalled), with output collected. */
export function spawnScript(script: 'start' | 'dev', env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // Each server gets a learner database folder of its own unless the test names one: one
  // process owns a PGlite folder, and servers of one test file may run side by side.
  const ownDataDir = env.DATA_DIR === undefined && env.DATABASE_URL === undefined ? mkdtempSync(join(tmpdir(), 'learnpath-server-data-')) : undefined;
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_REQUESTS: 'false', NODE_ENV: 'test', ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (ownDataDir) void exited.then(() => rm(ownDataDir, { recursive: true, force: true }));
  return { child, output: () => text, exited };
}

/** Waits until `check` returns a value other than undefined, polling. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts the server with `npm start` or `npm run dev` on a free port and waits until /healthz answers. */
export async function startServer(script: 'start' | 'dev', env: Record<string, string>): Promise<ServerProcess> {
  const { child, output, exited } = spawnScript(script, env);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));
  const killGroup = (): void => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  };
  const stop = async (graceMs = 15_000, serverPid?: number): Promise<number | null> => {
    if (exitCode !== undefined) {
      killGroup();
      return exitCode;
    }
    try {
      process.kill(serverPid ?? -child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(killGroup, graceMs);
    const code = await exited;
    clearTimeout(timer);
    killGroup();
    return code;
  };
  try {
    const url = await waitFor(
      () => {
        if (exitCode !== undefined) throw new Error(`server exited with ${exitCode}:\n${output()}`);
        return /listening at (http:\/\/[^\s"(]+)/.exec(output())?.[1];
      },
      90_000,
      'the server to listen',
    );
    // Ready means /healthz answers and the learner database has opened (it opens while content is
    // already served; a fresh embedded one takes seconds), so that tests start from a settled service.
    await waitFor(
      async () => {
        const response = await fetch(`${url}/healthz`).catch(() => undefined);
        if (!response?.ok) return undefined;
        const body = (await response.json()) as { reasons?: { code: string }[] };
        return body.reasons?.some((reason) => reason.code === 'database-unavailable') ? undefined : true;
      },
      120_000,
      '/healthz with the learner database open',
    );
    const pid = Number(/"pid":(\d+)[^\n]*listening at/.exec(output())?.[1]);
    return {
      url,
      pid,
      output,
      waitForOutput: (text, timeoutMs = 30_000) =>
        waitFor(() => (typeof text === 'string' ? output().includes(text) : text.test(output())) || undefined, timeoutMs, `output ${String(text)}`).then(() => undefined),
      stop: (graceMs) => stop(graceMs, pid),
      async kill() {
        killGroup();
        await exited;
        // The server process is npm's grandchild: it is gone once signalling it fails.
        await waitFor(
          () => {
            try {
              process.kill(pid, 0);
              return undefined;
            } catch {
              return true;
            }
          },
          10_000,
          `process ${pid} to end`,
        );
      },
    };
  } catch (error) {
    await stop(2_000);
    throw error;
  }
}

/** A temporary content folder holding the given paths as JSON documents. */
export async function createContentDir(paths: readonly LearningPath[]): Promise<{ dir: string; write: (name: string, text: string) => Promise<void>; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'learnpath-api-'));
  const write = (name: string, text: string): Promise<void> => writeFile(join(dir, name), text);
  for (const path of paths) await write(`${path.slug}.json`, `${JSON.stringify(toDocument(path), null, 2)}\n`);
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}
