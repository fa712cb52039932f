import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, type SettingName } from '../src/config-schema.js';
import { fixturePaths, SEED } from './fixtures.js';
import { createContentDir, ROOT, startServer, type ServerProcess } from './server-process.js';
import { BAD_VALUES, GOOD_VALUES, readmeSettings } from './settings-examples.js';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the server process with one extra variable until it exits; resolves with its exit code and stderr. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['services/api/src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A process that starts despite the bad value would never exit: stop it and let the test fail.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('the server process with a bad setting', () => {
  const settings = readmeSettings() as SettingName[];
  const results = new Map<SettingName, Promise<{ code: number | null; stderr: string }>>();

  beforeAll(async () => {
    // Two at a time: each is a whole process start.
    const queue = [...settings];
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const run = runServer({ [name]: BAD_VALUES[name] });
        results.set(name, run);
        await run;
      }
    };
    await Promise.all([worker(), worker()]);
  }, 300_000);

  it.each(settings)('exits 2 on a bad %s, with one line naming it, its value and what is expected', async (name) => {
    const { code, stderr } = await results.get(name)!;
    expect(code).toBe(2);
    expect(stderr).toBe(`learnpath api: invalid configuration: ${name}=${JSON.stringify(BAD_VALUES[name])}: expected ${EXPECTED[name]}${/CONTENT_DIR|CATALOG_FILE/.test(name) ? stderr.slice(stderr.indexOf(' ('), -1) : ''}\n`);
    expect(stderr).not.toContain('listening at');
  });
});

describe('the server process with a valid value of every setting', () => {
  let content: Awaited<ReturnType<typeof createContentDir>>;
  let server: ServerProcess;

  beforeAll(async () => {
    content = await createContentDir(fixturePaths);
    server = await startServer('start', { ...GOOD_VALUES, CONTENT_DIR: content.dir });
  });
  afterAll(async () => {
    await server?.stop();
    await content?.remove();
  });

  it('starts and serves the routes with them', async () => {
    const response = await fetch(`${server.url}/v1/paths/${SEED}`, { headers: { origin: 'https://app.example.org' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(GOOD_VALUES.CACHE_CONTROL);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
    expect(response.headers.get('ratelimit-limit')).toBe('500');
    expect(Number(response.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(30);
    const list = await fetch(`${server.url}/v1/paths`);
    expect(list.status).toBe(200);
  });
});
