import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../services/api/test/support/server-process.js';
import { waitForWorkspaceBuild } from '../services/api/test/support/workspace-build.js';

// The production path of the README's "Deploying" section: `npm run build` (run once for the
// e2e files, see workspace-build-setup.ts), a catalog file written by the built CLI, and `npm run start:prod` serving it from compiled JavaScript with
// plain node (no TypeScript loader, no `source` condition).
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const env = { ...process.env, NODE_OPTIONS: '', npm_config_update_notifier: 'false' };

/** Runs the compiled CLI (packages/cli/dist) with plain node, as an installed package runs it. */
function compiledCli(...args: string[]): Promise<{ stdout: string }> {
  const script = `const { main } = await import(${JSON.stringify(join(ROOT, 'packages/cli/dist/main.js'))}); process.exitCode = await main(process.argv.slice(1));`;
  return run(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: ROOT, env });
}

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lp-prod-'));
  await waitForWorkspaceBuild();
}, 300_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the production build', () => {
  it('writes the catalog with the compiled CLI', async () => {
    const out = join(work, 'catalog.json');
    await compiledCli('build', 'content', '--out', out);
    const catalog = JSON.parse(await readFile(out, 'utf8')) as { paths: { slug: string }[] };
    expect(catalog.paths.map((p) => p.slug)).toContain('batch-vs-stream-processing');
  });

  it('starts the compiled parsing worker with plain node', async () => {
    const worker = join(ROOT, 'packages/content/dist/load-worker.js');
    const script = `const { Worker } = require('node:worker_threads'); const w = new Worker(${JSON.stringify(worker)}); w.once('message', (m) => { console.log(m); w.terminate(); });`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: work, env });
    expect(stdout.trim()).toBe('ready');
  });

  it('serves the built catalog with `npm run start:prod`', async () => {
    const catalogFile = join(work, 'served.json');
    await compiledCli('build', 'content', '--out', catalogFile);
    const server = await startServer('start:prod', { CATALOG_FILE: catalogFile, NODE_ENV: 'production', LOG_LEVEL: 'info', NODE_OPTIONS: '' });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      const paths = await fetch(`${server.url}/v1/paths`);
      expect(paths.status).toBe(200);
      const body = (await paths.json()) as { items: { slug: string }[] };
      expect(body.items.map((p) => p.slug)).toContain('batch-vs-stream-processing');
    } finally {
      // npm passes the signal on; the server finishes gracefully, as it does under a process manager.
      try {
        process.kill(-server.child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await server.waitForExit(15_000).finally(server.kill);
    }
    const output = server.output();
    expect(output).toContain('SIGTERM received');
    expect(output).not.toMatch(/tsx|\.ts:\d/);
  });
});
