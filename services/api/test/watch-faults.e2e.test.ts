import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDocument } from '@learnpath/schema';
import { builtServer, createContentDir, startServer, waitFor, type ServerProcess } from './support/server-process.js';
import { seedPath } from './support/fixtures.js';

// The server process watching a temporary content folder (`--watch`, as `npm run dev` runs it,
// compiled: the `npm run dev` command itself is tested in watch.e2e and dev-logs.e2e) while a
// client keeps reading: a half-written
// file, a deleted file, a renamed folder, the content folder vanishing and 100 edits in one
// second. Every answer must come from one complete catalog, and the process must stay up.

const documentText = (slug: string, mark: string): string =>
  `${JSON.stringify({ ...toDocument(seedPath), slug, title: `${slug} ${mark}` }, null, 2)}\n`;

/** The slug a document file holds: `sub/c.json` holds `c`. */
const slugOf = (name: string): string => name.replace(/^.*\//, '').replace(/\.json$/, '');

/** A catalog as the test sees it: `a:g1,b:g0,c:g0` (slug and generation of each path, by slug). */
const stateOf = (entries: Iterable<readonly [string, string]>): string =>
  [...entries]
    .map(([slug, mark]) => `${slug}:${mark}`)
    .sort()
    .join(',');

interface Health {
  status: string;
  paths: number;
  contentVersion: string;
  stale: boolean;
  diagnostics: { errors: number; warnings: number };
}

describe('the watching server under content faults', () => {
  let content: Awaited<ReturnType<typeof createContentDir>>;
  let server: ServerProcess;
  const problems: string[] = [];
  let answers = 0;
  let polling = true;
  let poller: Promise<void> = Promise.resolve();
  // The generation of each complete document in the folder, by slug, and every catalog the
  // folder has held between two of the test's file operations. A file is written after its new
  // state is recorded, so whatever the service reads, a complete catalog it serves is recorded.
  const current = new Map<string, string>();
  const produced = new Set<string>();

  const listing = async (): Promise<string> => {
    const response = await fetch(`${server.url}/v1/paths?limit=100`);
    if (response.status !== 200) throw new Error(`GET /v1/paths answered ${response.status}`);
    const body = (await response.json()) as { items: { slug: string; title: string }[] };
    return stateOf(body.items.map((i) => [i.slug, i.title.split(' ')[1] ?? ''] as const));
  };
  const health = async (): Promise<Health> => {
    const response = await fetch(`${server.url}/healthz`);
    if (response.status !== 200) throw new Error(`GET /healthz answered ${response.status}`);
    return (await response.json()) as Health;
  };
  const served = (state: string) => async () => ((await listing()) === state ? true : undefined);
  /** The catalog of the folder as it is now. */
  const now = (): string => stateOf(current);
  const writeRaw = async (name: string, text: string): Promise<void> => {
    await mkdir(join(content.dir, name, '..'), { recursive: true });
    await writeFile(join(content.dir, name), text);
  };
  /** Writes generation `mark` of the document in `name`, recording the catalog it makes first. */
  const write = async (name: string, mark: string): Promise<void> => {
    current.set(slugOf(name), mark);
    produced.add(now());
    await writeRaw(name, documentText(slugOf(name), mark));
  };
  const remove = async (name: string): Promise<void> => {
    current.delete(slugOf(name));
    produced.add(now());
    await unlink(join(content.dir, name));
  };

  beforeAll(async () => {
    content = await createContentDir([]);
    await write('a.json', 'g0');
    await write('b.json', 'g0');
    await write('sub/c.json', 'g0');
    server = await startServer(await builtServer('--watch'), { CONTENT_DIR: content.dir, RATE_LIMIT_MAX: '0' });
    await server.waitForOutput('watching');
    // A client that reads all along and checks that every listing is one complete state.
    poller = (async () => {
      while (polling) {
        try {
          const state = await listing();
          if (!produced.has(state)) problems.push(`served a catalog the folder never held: ${state}`);
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
    await writeRaw('a.json', full.slice(0, full.length >> 1));
    const stale = await waitFor(async () => ((await health()).stale ? health() : undefined), 20_000, '/healthz to report stale content');
    expect(stale.contentVersion).toBe(before.contentVersion);
    expect(stale.diagnostics.errors).toBeGreaterThan(0);
    expect(stale).toMatchObject({ status: 'degraded', reasons: [expect.objectContaining({ code: 'stale-content' })] });
    expect(await listing()).toBe('a:g0,b:g0,c:g0');

    await write('a.json', 'g1');
    await write('b.json', 'g1');
    await write('sub/c.json', 'g1');
    await waitFor(served('a:g1,b:g1,c:g1'), 20_000, 'state g1');
    expect(await health()).toMatchObject({ stale: false, diagnostics: { errors: 0, warnings: 0 }, paths: 3 });
  });

  it('serves the catalog without a deleted file', async () => {
    await remove('b.json');
    await write('a.json', 'g2');
    await write('sub/c.json', 'g2');
    await waitFor(served('a:g2,c:g2'), 20_000, 'state g2');
    expect(await health()).toMatchObject({ stale: false, paths: 2 });
  });

  it('keeps serving through a folder renamed inside the content folder', async () => {
    await rename(join(content.dir, 'sub'), join(content.dir, 'renamed'));
    // The next edit is served together with the document that now sits in the renamed folder.
    await write('a.json', 'g3');
    await waitFor(served('a:g3,c:g2'), 20_000, 'an edit after the rename');
    expect(await health()).toMatchObject({ stale: false, diagnostics: { errors: 0, warnings: 0 }, paths: 2 });
    await write('renamed/c.json', 'g3');
    await waitFor(served('a:g3,c:g3'), 20_000, 'state g3');
  });

  it('keeps the last good catalog while the content folder is gone, and watches it again when it is back', async () => {
    const before = await health();
    await rename(content.dir, `${content.dir}-away`);
    const stale = await waitFor(async () => ((await health()).stale ? health() : undefined), 20_000, '/healthz to report the folder gone');
    expect(stale).toMatchObject({ contentVersion: before.contentVersion, paths: 2 });
    expect(stale.diagnostics.errors).toBeGreaterThan(0);
    expect(stale).toMatchObject({ status: 'degraded', reasons: [expect.objectContaining({ code: 'stale-content' })] });
    expect(await listing()).toBe('a:g3,c:g3');
    await server.waitForOutput('is gone');

    await rename(`${content.dir}-away`, content.dir);
    await waitFor(async () => ((await health()).stale ? undefined : true), 20_000, 'the folder to be back');
    await write('a.json', 'g4');
    await write('renamed/c.json', 'g4');
    await waitFor(served('a:g4,c:g4'), 20_000, 'state g4 after the folder came back');
  });

  it('turns 100 edits in a burst into a few reloads and serves the last', async () => {
    const reloadsBefore = server.output().split('content reloaded').length;
    for (let i = 1; i <= 100; i++) {
      const mark = `g${100 + i}`;
      await write('a.json', mark);
      await write('renamed/c.json', mark);
    }
    await waitFor(served('a:g200,c:g200'), 20_000, 'the last of 100 edits');
    expect(await health()).toMatchObject({ stale: false, paths: 2 });
    const reloads = server.output().split('content reloaded').length - reloadsBefore;
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
