import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, openStore, StoreLockedError, type StoreOptions } from '../src/index.js';
import { acquireDataDirLock } from '../src/data-dir-lock.js';
import { dropSchema, freshSchema, postgresUnavailableReason, testDatabaseUrl } from '@learnpath/store/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the writer; resolves once it is ready, with a function that waits for `count` acknowledgements. */
async function startWriter(options: StoreOptions): Promise<{ child: ChildProcess; acked: Set<string>; waitForAcks: (count: number) => Promise<void> }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', writer], { cwd: root, env: { ...process.env, STORE_OPTIONS: JSON.stringify(options) }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const acked = new Set<string>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let ready!: () => void;
  let failed!: (error: Error) => void;
  const readyPromise = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)));
  child.on('close', (code, signal) => failed(new Error(`writer exited (${code ?? signal}) before it was ready: ${stderr}`)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('ready ')) ready();
    if (!line.startsWith('ack ')) return;
    acked.add(line.slice(4));
    for (const w of waiters) if (acked.size >= w.count) w.resolve();
  });
  await readyPromise;
  return { child, acked, waitForAcks: (count) => new Promise<void>((resolve) => (acked.size >= count ? resolve() : waiters.push({ count, resolve }))) };
}

/** Kills the writer with SIGKILL as soon as it has acknowledged `count` writes; resolves to what it acknowledged. */
async function killAfterAcks(writerProcess: Awaited<ReturnType<typeof startWriter>>, count: number): Promise<Set<string>> {
  await writerProcess.waitForAcks(count);
  const exited = new Promise((resolve) => writerProcess.child.once('exit', resolve));
  writerProcess.child.kill('SIGKILL');
  await exited;
  // Acknowledgements read before the kill landed are all the writer ever made.
  return new Set(writerProcess.acked);
}

describe('PGlite data folder', () => {
  it('is refused to a second process while the first runs, keeps every acknowledged write through SIGKILL, and is taken over after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-durable-'));
    try {
      const running = await startWriter({ dataDir: dir });
      const lock = JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(running.child.pid);
      const refused = await openStore({ dataDir: dir }).then(() => null, (e: unknown) => e);
      expect(refused).toBeInstanceOf(StoreLockedError);
      expect((refused as Error).message).toContain(`in use by process ${running.child.pid}`);

      const acked = await killAfterAcks(running, 150);
      expect(acked.size).toBeGreaterThanOrEqual(150);
      // The killed process left its lock file behind: stale, so the next start takes it over.
      const store = await openStore({ dataDir: dir });
      try {
        const stored = new Set((await store.getPathState('survivor', 'durable')).completions.map((c) => c.resourceId));
        const lost = [...acked].filter((id) => !stored.has(id));
        expect(lost).toEqual([]);
        const events = await store.listEvents('survivor', { limit: 1000 });
        expect(events.items.length).toBe(stored.size);
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('takes over a lock file whose process is gone, and refuses a live one with its pid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learnpath-lock-'));
    try {
      // A pid that is not running: a child that has exited.
      const gone = spawn(process.execPath, ['-e', '']);
      await new Promise((resolve) => gone.once('exit', resolve));
      await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: gone.pid, host: (await import('node:os')).hostname(), token: 'old', since: '2026-01-01T00:00:00Z' }));
      const lock = await acquireDataDirLock(dir);
      const held = JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')) as { pid: number };
      expect(held.pid).toBe(process.pid);
      const again = await acquireDataDirLock(dir).then(() => null, (e: unknown) => e);
      expect(again).toBeInstanceOf(StoreLockedError);
      expect((again as Error).message).toContain('already open in this process');
      await lock.release();
      await expect(readFile(join(dir, LOCK_FILE), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const skip = await postgresUnavailableReason();
describe.skipIf(skip !== null)('PostgreSQL', () => {
  it('keeps every acknowledged write when the writing process is killed', async () => {
    const schema = freshSchema();
    try {
      const acked = await killAfterAcks(await startWriter({ databaseUrl: testDatabaseUrl ?? '', schema }), 150);
      const store = await openStore({ databaseUrl: testDatabaseUrl ?? '', schema });
      try {
        const stored = new Set((await store.getPathState('survivor', 'durable')).completions.map((c) => c.resourceId));
        expect([...acked].filter((id) => !stored.has(id))).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await dropSchema(schema);
    }
  }, 120_000);
});
