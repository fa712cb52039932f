import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDocument } from '@learnpath/schema';
import { createContentDir, startServer, waitFor, type ServerProcess } from './support/server-process.js';
import { seedPath } from './support/fixtures.js';

// `npm run dev` on a temporary content folder while a client keeps reading: a half-written
// file, a deleted file, a renamed folder, the content folder vanishing and 100 edits in one
// second. Every answer must come from one complete catalog, and the process must stay up.

const documentText = (slug: string, mark: string): string =>
  `${JSON.stringify({ ...toDocument(seedPath), slug, title: `${slug} ${mark}` }, null, 2)}\n`;

/** The slugs a complete catalog in state `mark` (g0, g1, …) holds: b.json is deleted in g2. */
const slugsOf = (mark: string): string => (Number(mark.slice(1)) < 2 ? 'a,b,c' : 'a,c');

interface Health {
  status: string;
  paths: number;
  contentVersion: string;
  stale: boolean;
  diagnostics: { errors: number; warnings: number };
}

describe('npm run dev under content faults', () => {
  let content: Awaited<ReturnType<typeof createContentDir>>;
  let server: ServerProcess;
  const problems: string[] = [];
  let answers = 0;
  let polling = true;
  let poller: Promise<void> = Promise.resolve();

  const listing = async (): Promise<{ mark: string; slugs: string }> => {
    const response = await fetch(`${server.url}/v1/paths?limit=100`);
    if (response.status !== 200) throw new Error(`GET /v1/paths answered ${response.status}`);
    const body = (await response.json()) as { items: { slug: string; title: string }[] };
    const marks = [...new Set(body.items.map((i) => i.title.split(' ')[1]))];
    return { mark: marks.join('+'), slugs: body.items.map((i) => i.slug).sort().join(',') };
  };
  const health = async (): Promise<Health> => {
    const response = await fetch(`${server.url}/healthz`);
    if (response.status !== 200) throw new Error(`GET /healthz answered ${response.status}`);
    return (await response.json()) as Health;
  };
  const served = (mark: string) => async () => ((await listing()).mark === mark ? true : undefined);
  const write = async (name: string, text: string): Promise<void> => {
    await mkdir(join(content.dir, name, '..'), { recursive: true });
    await writeFile(join(content.dir, name), text);
  };

  beforeAll(async () => {
    content = await createContentDir([]);
    await write('a.json', documentText('a', 'g0'));
    await write('b.json', documentText('b', 'g0'));
    await write('sub/c.json', documentText('c', 'g0'));
    server = await startServer('dev', { CONTENT_DIR: content.dir, RATE_LIMIT_MAX: '0' });
    await server.waitForOutput('watching');
    // A client that reads all along and checks that every listing is one complete state.
    poller = (async () => {
      while (polling) {
        try {
          const { mark, slugs } = await listing();
          if (mark.includes('+') || slugs !== slugsOf(mark)) problems.push(`mixed catalog served: marks ${mark}, slugs ${slugs}`);
          const h = await health();
          // Degraded (stale content) is expected while a fault lasts; anything else is not.
          if (h.status !== 'ok' && !(h.status === 'degraded' && h.stale)) problems.push(`health ${JSON.stringify(h)}`);
          answers++;
        } catch (error) {
          problems.push(String(error));
        }
      }
    })();
  }, 120_000);

  afterAll(async () => {
    polling = false;
    await poller;
    await server?.stop();
    await content?.remove();
    await rm(`${content?.dir}-away`, { recursive: true, force: true });
  });

  it('serves the old catalog while a file is half-written, and says so in /healthz', async () => {
    const before = await health();
    expect(before).toMatchObject({ stale: false, diagnostics: { errors: 0, warnings: 0 }, paths: 3 });
    const full = documentText('a', 'g1');
    await write('a.json', full.slice(0, full.length >> 1));
    const stale = await waitFor(async () => ((await health()).stale ? health() : undefined), 20_000, '/healthz to report stale content');
    expect(stale.contentVersion).toBe(before.contentVersion);
    expect(stale.diagnostics.errors).toBeGreaterThan(0);
    expect(stale).toMatchObject({ status: 'degraded', reasons: [expect.objectContaining({ code: 'stale-content' })] });
    expect((await listing()).mark).toBe('g0');

    await write('a.json', full);
    await write('b.json', documentText('b', 'g1'));
    await write('sub/c.json', documentText('c', 'g1'));
    await waitFor(served('g1'), 20_000, 'state g1');
    expect(await health()).toMatchObject({ stale: false, diagnostics: { errors: 0, warnings: 0 }, paths: 3 });
  });

  it('serves the catalog without a deleted file', async () => {
    await unlink(join(content.dir, 'b.json'));
    await write('a.json', documentText('a', 'g2'));
    await write('sub/c.json', documentText('c', 'g2'));
    await waitFor(served('g2'), 20_000, 'state g2');
    expect(await health()).toMatchObject({ stale: false, paths: 2 });
  });

  it('keeps serving through a folder renamed inside the content folder', async () => {
    const before = await health();
    await rename(join(content.dir, 'sub'), join(content.dir, 'renamed'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await health()).toMatchObject({ stale: false, contentVersion: before.contentVersion, paths: 2 });
    await write('renamed/c.json', documentText('c', 'g3'));
    await write('a.json', documentText('a', 'g3'));
    await waitFor(served('g3'), 20_000, 'state g3');
  });

  it('keeps the last good catalog while the content folder is gone, and watches it again when it is back', async () => {
    const before = await health();
    await rename(content.dir, `${content.dir}-away`);
    const stale = await waitFor(async () => ((await health()).stale ? health() : undefined), 20_000, '/healthz to report the folder gone');
    expect(stale).toMatchObject({ contentVersion: before.contentVersion, paths: 2 });
    expect(stale.diagnostics.errors).toBeGreaterThan(0);
    expect(stale).toMatchObject({ status: 'degraded', reasons: [expect.objectContaining({ code: 'stale-content' })] });
    expect((await listing()).mark).toBe('g3');
    await server.waitForOutput('is gone');

    await rename(`${content.dir}-away`, content.dir);
    await waitFor(async () => ((await health()).stale ? undefined : true), 20_000, 'the folder to be back');
    await write('a.json', documentText('a', 'g4'));
    await write('renamed/c.json', documentText('c', 'g4'));
    await waitFor(served('g4'), 20_000, 'state g4 after the folder came back');
  });

  it('turns 100 edits in one second into a few reloads and serves the last', async () => {
    const reloadsBefore = server.output().split('content reloaded').length;
    const started = Date.now();
    for (let i = 1; i <= 100; i++) {
      const mark = `g${100 + i}`;
      await Promise.all([write('a.json', documentText('a', mark)), write('renamed/c.json', documentText('c', mark))]);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + i * 10 - Date.now())));
    }
    const took = Date.now() - started;
    await waitFor(served('g200'), 20_000, 'the last of 100 edits');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await health()).toMatchObject({ stale: false, paths: 2 });
    const reloads = server.output().split('content reloaded').length - reloadsBefore;
    expect(took).toBeLessThan(3000);
    expect(reloads).toBeGreaterThanOrEqual(1);
    expect(reloads).toBeLessThan(20);
  });

  it('answered every request from one complete catalog, without an error or a crash', async () => {
    polling = false;
    await poller;
    expect(problems).toEqual([]);
    expect(answers).toBeGreaterThan(50);
    expect((await health()).status).toBe('ok');
    // Faults are log lines, not stack traces.
    expect(server.output()).not.toMatch(/"stack"|\n\s+at /);
  });
});
