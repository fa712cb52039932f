import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDocument } from '@learnpath/schema';
import { createContentDir, startServer, waitFor, type ServerProcess } from './support/server-process.js';
import { SEED, seedPath } from './support/fixtures.js';

// `npm run dev` on a temporary content folder: edits are served, broken edits are not.
describe('npm run dev', () => {
  let content: Awaited<ReturnType<typeof createContentDir>>;
  let server: ServerProcess;

  const getTitle = async (): Promise<string> => (await (await fetch(`${server.url}/v1/paths/${SEED}`)).json()).title;
  const getHealth = async () => (await fetch(`${server.url}/healthz`)).json();
  const seedWithTitle = (title: string): string => `${JSON.stringify({ ...toDocument(seedPath), title }, null, 2)}\n`;

  beforeAll(async () => {
    content = await createContentDir([seedPath]);
    server = await startServer('dev', { CONTENT_DIR: content.dir });
    await server.waitForOutput('watching');
  });
  afterAll(async () => {
    await server?.stop();
    await content?.remove();
  });

  it('serves an edit without a restart', async () => {
    const before = await getHealth();
    expect(await getTitle()).toBe(seedPath.title);
    await content.write(`${SEED}.json`, seedWithTitle('Batch and Stream, Edited'));
    await waitFor(async () => ((await getTitle()) === 'Batch and Stream, Edited' ? true : undefined), 20_000, 'the edit to be served');
    const after = await getHealth();
    expect(after.contentVersion).not.toBe(before.contentVersion);
    expect(after.stale).toBe(false);
    const listed = await (await fetch(`${server.url}/v1/paths?q=edited`)).json();
    expect(listed.total).toBe(1);
  });

  it('serves a new file', async () => {
    await content.write('second-path.json', JSON.stringify({ title: 'Second Path', phases: [{ title: 'One', resources: [{ title: 'A', kind: 'video' }] }] }));
    await waitFor(async () => ((await getHealth()).paths === 2 ? true : undefined), 20_000, 'the new path');
    expect((await fetch(`${server.url}/v1/paths/second-path`)).status).toBe(200);
  });

  it('keeps serving the last good content after an invalid edit, and reports it stale', async () => {
    const good = await getHealth();
    await content.write(`${SEED}.json`, '{ "title": "Half-written');
    const stale = await waitFor(async () => {
      const health = await getHealth();
      return health.stale ? health : undefined;
    }, 20_000, '/healthz to report stale content');
    expect(stale.diagnostics.errors).toBeGreaterThan(0);
    expect(stale).toMatchObject({ status: 'degraded', reasons: [expect.objectContaining({ code: 'stale-content' })] });
    expect(stale.contentVersion).toBe(good.contentVersion);
    expect(await getTitle()).toBe('Batch and Stream, Edited');
    await server.waitForOutput(/error.*LP002|LP002.*error/);
    expect(server.output()).toContain('still serving the last good content');

    // Fixing the file serves it and clears the flag.
    await content.write(`${SEED}.json`, seedWithTitle('Batch and Stream, Fixed'));
    await waitFor(async () => ((await getTitle()) === 'Batch and Stream, Fixed' ? true : undefined), 20_000, 'the fix to be served');
    expect(await getHealth()).toMatchObject({ stale: false, diagnostics: { errors: 0, warnings: 0 } });
  });
});
