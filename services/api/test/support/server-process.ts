import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { toDocument, type LearningPath } from '@learnpath/schema';
import { openStore } from '@learnpath/store';
import './pglite-template-setup.js';
import { waitForWorkspaceBuild } from './workspace-build.js';

/** The repository root, where `npm start` and `npm run dev` run. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** How to start a process: an npm script of the root package, or a command with its arguments. */
export type ProcessCommand = { script: 'start' | 'dev' | 'start:prod' } | { command: string; args: readonly string[] };

/** What `spawnProcess` is told: the command and the environment it adds. */
export type SpawnOptions = ProcessCommand & {
  /** Variables set over the test defaults (loopback host, a free port, `NODE_ENV=test`). */
  env?: Record<string, string>;
};

/** A process started by `spawnProcess`, in a process group of its own, with its output collected. */
export interface SpawnedProcess {
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr, interleaved). */
  output: () => string;
  /** What it wrote to stdout so far. */
  stdout: () => string;
  /** What it wrote to stderr so far. */
  stderr: () => string;
  /** Resolves with the exit code once the process has exited and its output (and that of anything it started on the same pipes) has been read. */
  exited: Promise<number | null>;
  /** Resolves with `performance.now()` at the moment the process exited. */
  exitedAt: Promise<number>;
  /** Waits for the exit; after `timeoutMs` kills the group and rejects, naming the output. */
  waitForExit: (timeoutMs?: number) => Promise<number | null>;
  /** Kills the whole process group at once (a no-op once it is gone). */
  kill: () => void;
}

/** A server started by `startServer`: a spawned process that is listening and healthy. */
export interface ServerProcess extends SpawnedProcess {
  /** The base URL the server logged, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Waits until the output contains `text` (or matches it). */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** The pid of the server process itself (below npm and tsx), from its log. */
  pid: number;
  /**
   * Sends SIGTERM to the server process, as a container runtime or process manager would, and
   * resolves with the exit code of the spawned process, which passes the server's on. After
   * `graceMs` the whole process group is killed.
   */
  stop(graceMs?: number): Promise<number | null>;
  /**
   * Kills the whole process group with SIGKILL, as a crash or an out-of-memory kill would (no
   * shutdown hook runs), and resolves once the server process is gone.
   */
  kill(): Promise<void>;
}

/** The command line of `options`: npm for a script, the command itself otherwise. */
function commandLine(options: ProcessCommand): [string, string[]] {
  return 'script' in options ? ['npm', ['run', '--silent', options.script]] : [options.command, [...options.args]];
}

/** Spawns a process detached (so the group can be signalled) from the repository root, with output collected. */
export function spawnProcess(options: SpawnOptions): SpawnedProcess {
  const env = options.env ?? {};
  // Each server gets a learner database folder of its own unless the test names one: one
  // process owns a PGlite folder, and servers of one test file may run side by side.
  const ownDataDir = env.DATA_DIR === undefined && env.DATABASE_URL === undefined ? mkdtempSync(join(tmpdir(), 'learnpath-server-data-')) : undefined;
  const [command, args] = commandLine(options);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_REQUESTS: 'false', NODE_ENV: 'test', npm_config_update_notifier: 'false', ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    out += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    err += chunk.toString();
  });
  let exitTime = 0;
  // 'close', not 'exit': the spawned process (npm) may exit before the server it started, which
  // writes to the same pipes; once they are closed, everything either wrote has been read.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      exitTime = performance.now();
      resolve(code);
    }),
  );
  if (ownDataDir) void exited.then(() => rm(ownDataDir, { recursive: true, force: true }));
  const kill = (): void => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  };
  const waitForExit = async (timeoutMs = 60_000): Promise<number | null> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (code !== 'timeout') return code;
    kill();
    throw new Error(`the process did not exit within ${timeoutMs} ms:\n${text}`);
  };
  return { child, output: () => text, stdout: () => out, stderr: () => err, exited, exitedAt: exited.then(() => exitTime), waitForExit, kill };
}

/** Spawns `npm run <script>`: `spawnProcess` for the root package's scripts. */
export function spawnScript(script: 'start' | 'dev' | 'start:prod', env: Record<string, string>): SpawnedProcess {
  return spawnProcess({ script, env });
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

/**
 * A learner database folder for one server, copied from a template made once per run (see
 * pglite-template-setup.ts), or undefined where the run provides no template.
 */
async function copyLearnerDatabase(): Promise<string | undefined> {
  const root = inject('pgliteTemplateDir');
  if (!root) return undefined;
  const template = join(root, 'data');
  if (!existsSync(template)) {
    const building = join(root, `building-${process.pid}`);
    const store = await openStore({ dataDir: building });
    await store.close();
    try {
      renameSync(building, template);
    } catch {
      // another test file made it first
      rmSync(building, { recursive: true, force: true });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'learnpath-server-data-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

/**
 * The compiled server entry, as `npm run start:prod` runs it but without npm in between, once the
 * run's workspace build is done. Starting it loads no TypeScript: tests that are not about
 * `npm start` or `npm run dev` themselves start it, which saves seconds a process.
 */
export async function builtServer(...args: string[]): Promise<SpawnOptions> {
  await waitForWorkspaceBuild();
  // No inherited loader or `source` condition: the compiled packages resolve to dist/.
  return { command: process.execPath, args: ['services/api/dist/server.js', ...args], env: { NODE_OPTIONS: '' } };
}

/**
 * Starts the server (`npm start`, `npm run dev`, `npm run start:prod` or a command) on a free port
 * and waits until /healthz answers with the learner database open.
 */
export async function startServer(how: 'start' | 'dev' | 'start:prod' | SpawnOptions, env: Record<string, string> = {}): Promise<ServerProcess> {
  const options: SpawnOptions = typeof how === 'string' ? { script: how, env } : { ...how, env: { ...how.env, ...env } };
  const dataDir = options.env?.DATA_DIR === undefined && options.env?.DATABASE_URL === undefined ? await copyLearnerDatabase() : undefined;
  const spawned = spawnProcess(dataDir ? { ...options, env: { ...options.env, DATA_DIR: dataDir } } : options);
  if (dataDir) void spawned.exited.then(() => rm(dataDir, { recursive: true, force: true }));
  const { child, output, exited, kill } = spawned;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));
  const stop = async (graceMs = 15_000, serverPid?: number): Promise<number | null> => {
    if (exitCode !== undefined) {
      kill();
      return exitCode;
    }
    try {
      process.kill(serverPid ?? -child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(kill, graceMs);
    const code = await exited;
    clearTimeout(timer);
    kill();
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
      ...spawned,
      url,
      pid,
      waitForOutput: (text, timeoutMs = 30_000) =>
        waitFor(() => (typeof text === 'string' ? output().includes(text) : text.test(output())) || undefined, timeoutMs, `output ${String(text)}`).then(() => undefined),
      stop: (graceMs) => stop(graceMs, pid),
      async kill() {
        kill();
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
