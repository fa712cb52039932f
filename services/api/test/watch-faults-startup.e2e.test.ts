import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtServer, createContentDir, spawnProcess, startServer } from './support/server-process.js';
import { SEED, seedPath } from './support/fixtures.js';

// The server process (compiled; `npm start` itself is tested in start-up.e2e and server.e2e) on
// content folders with file system faults: whatever cannot be read is a
// diagnostic with a stable code and the process exits non-zero, without a stack trace; things
// in the folder that are not documents (pipes, dangling links, folders named like files) are
// passed over without hanging.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function contentDir() {
  const content = await createContentDir([seedPath]);
  cleanups.push(async () => {
    // Give every entry its permissions back so the folder can be removed.
    await chmod(content.dir, 0o755).catch(() => undefined);
    for (const entry of await readdir(content.dir).catch(() => [])) await chmod(join(content.dir, entry), 0o755).catch(() => undefined);
    await content.remove();
  });
  return content;
}

/** Runs the server process and expects it to refuse to start; returns what it printed. */
async function refusedStart(env: Record<string, string>, exitCode = 1): Promise<string> {
  const built = await builtServer();
  const { output, waitForExit } = spawnProcess({ ...built, env: { ...built.env, ...env } });
  const code = await waitForExit(60_000);
  expect(code, output()).toBe(exitCode);
  const text = output();
  expect(text).not.toContain('listening at');
  // A diagnostic per problem, not a crash: no stack frames, no uncaught error banner.
  expect(text).not.toMatch(/\n\s+at |Uncaught|triggerUncaughtException|node:internal/);
  return text;
}

/** Whether this process can read a file whose permissions forbid it (root, CAP_DAC_OVERRIDE). */
async function permissionsAreBypassed(file: string): Promise<boolean> {
  return readFile(file).then(() => true, () => false);
}

describe('the server process with unreadable content', () => {
  it('reports a file without read permission as LP001, not a stack trace', async (context) => {
    const content = await contentDir();
    await content.write('locked.json', '{}');
    await chmod(join(content.dir, 'locked.json'), 0o000);
    if (await permissionsAreBypassed(join(content.dir, 'locked.json'))) {
      context.skip('this process reads files whatever their permissions (root or CAP_DAC_OVERRIDE), so chmod 000 cannot make one unreadable; the other faults here still run');
    }
    const text = await refusedStart({ CONTENT_DIR: content.dir });
    expect(text).toMatch(/locked\.json:1:1 error LP001 cannot read file: permission denied/);
    expect(text).toMatch(/not starting: .* has 1 error\(s\)/);
  });

  it('reports a folder without read permission as LP001, not a stack trace', async (context) => {
    const content = await contentDir();
    await mkdir(join(content.dir, 'private'));
    await writeFile(join(content.dir, 'private', 'hidden.json'), '{}');
    await chmod(join(content.dir, 'private'), 0o000);
    if (await readdir(join(content.dir, 'private')).then(() => true, () => false)) {
      context.skip('this process lists folders whatever their permissions (root or CAP_DAC_OVERRIDE), so chmod 000 cannot make one unreadable');
    }
    const text = await refusedStart({ CONTENT_DIR: content.dir });
    expect(text).toMatch(/private:1:1 error LP001 cannot read folder: permission denied/);
  });

  it('reports files that are not text, or too large, as LP001', async () => {
    const content = await contentDir();
    await writeFile(join(content.dir, 'garbage.md'), Buffer.from([0xff, 0xfe, 0x00, 0x67, 0x00, 0xc3]));
    await writeFile(join(content.dir, 'latin1.json'), Buffer.from('{"title":"Caf\xe9"}', 'latin1'));
    await writeFile(join(content.dir, 'huge.md'), Buffer.alloc(6 * 1024 * 1024, 'a'));
    const text = await refusedStart({ CONTENT_DIR: content.dir });
    expect(text).toMatch(/garbage\.md:1:1 error LP001 cannot read file: it is not UTF-8 text/);
    expect(text).toMatch(/latin1\.json:1:1 error LP001 cannot read file: it is not UTF-8 text/);
    expect(text).toMatch(/huge\.md:1:1 error LP001 cannot read file: \d+ bytes is larger than the limit/);
    expect(text).toMatch(/not starting: .* has 3 error\(s\)/);
  });

  it('refuses a content folder that does not exist, or is a file, as a bad setting (exit 2)', async () => {
    const content = await contentDir();
    const missing = await refusedStart({ CONTENT_DIR: join(content.dir, 'no-such-folder') }, 2);
    expect(missing).toMatch(/invalid configuration: CONTENT_DIR=".*no-such-folder": expected an existing folder of learning paths \(.* does not exist\)/);
    const file = await refusedStart({ CONTENT_DIR: join(content.dir, `${SEED}.json`) }, 2);
    expect(file).toMatch(/invalid configuration: CONTENT_DIR=.*is not a folder/);
  });

  it('passes over pipes, dangling or looping links and folders named like documents, and starts', async () => {
    const content = await contentDir();
    await mkdir(join(content.dir, 'folder.md'));
    await symlink('nowhere.md', join(content.dir, 'dangling.md'));
    await symlink('loop-b.md', join(content.dir, 'loop-a.md'));
    await symlink('loop-a.md', join(content.dir, 'loop-b.md'));
    await symlink('folder.md', join(content.dir, 'folder-link.json'));
    // A named pipe would block a reader forever; it must not be opened at all.
    const fifo = spawnSync('mkfifo', [join(content.dir, 'pipe.md')]);
    const server = await startServer(await builtServer(), { CONTENT_DIR: content.dir });
    cleanups.push(() => server.stop());
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', paths: 1, stale: false });
    expect((await fetch(`${server.url}/v1/paths/${SEED}`)).status).toBe(200);
    expect(server.output()).not.toMatch(/\n\s+at /);
    if (fifo.status !== 0) console.warn('mkfifo is not available: the named-pipe case did not run');
  });
});
