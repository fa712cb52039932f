import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePath, toDocument } from '@learnpath/schema';
import { createContentDir, spawnScript, startServer, waitFor, type ServerProcess } from './support/server-process.js';
import { fixturePaths, SEED, seedPath } from './support/fixtures.js';

// The real process, started the way a user starts it: `npm start` at the repository root.
describe('npm start', () => {
  let content: Awaited<ReturnType<typeof createContentDir>>;
  let server: ServerProcess;

  beforeAll(async () => {
    content = await createContentDir(fixturePaths);
    server = await startServer('start', { CONTENT_DIR: content.dir, CACHE_CONTROL: 'public, max-age=30' });
  });
  afterAll(async () => {
    await server?.stop();
    await content?.remove();
  });

  it('logs one line with the URL it listens at', () => {
    const lines = server.output().split('\n').filter((l) => l.includes('listening at'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${server.url} (4 path(s)`);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the routes over HTTP', async () => {
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', reasons: [], paths: 4, stale: false, diagnostics: { errors: 0, warnings: 0 } });

    const list = await fetch(`${server.url}/v1/paths?level=beginner`);
    expect(list.status).toBe(200);
    expect((await list.json()).items.map((i: { slug: string }) => i.slug)).toEqual(['alpha-streams']);

    const path = await fetch(`${server.url}/v1/paths/${SEED}`);
    expect(path.headers.get('cache-control')).toBe('public, max-age=30');
    expect(path.headers.get('access-control-allow-origin')).toBe('*');
    expect((await path.json()).title).toBe(seedPath.title);
    const etag = path.headers.get('etag')!;
    expect((await fetch(`${server.url}/v1/paths/${SEED}`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const mermaid = await fetch(`${server.url}/v1/paths/${SEED}/graph?format=mermaid`);
    expect(await mermaid.text()).toMatch(/^flowchart TD\n/);

    const progress = await fetch(`${server.url}/v1/paths/${SEED}/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ completed: ['batch-processing'] }),
    });
    expect((await progress.json()).completedCount).toBe(1);

    const missing = await fetch(`${server.url}/v1/paths/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');

    const compressed = await fetch(`${server.url}/v1/paths/${SEED}`, { headers: { 'accept-encoding': 'br' } });
    expect(compressed.headers.get('content-encoding')).toBe('br');
    expect((await compressed.json()).slug).toBe(SEED); // fetch decodes it

    expect((await fetch(`${server.url}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${server.url}/docs/`)).status).toBe(200);
  });

  it('finishes an in-flight request on SIGTERM and exits 0', async () => {
    // Open a request and hold its body back, so it is in flight while the signal arrives: the
    // server's "100 Continue" says it has the request; its log line says the signal arrived.
    const { request } = await import('node:http');
    const { port } = new URL(server.url);
    const headers = { 'content-type': 'application/json', 'content-length': '16', expect: '100-continue' };
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/v1/paths/${SEED}/progress`, headers });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    const inHand = new Promise<void>((resolve) => req.once('continue', resolve));
    req.flushHeaders();
    await inHand;
    req.write('{"completed":');
    const code = server.stop();
    await server.waitForOutput('SIGTERM received');
    req.end('[]}');
    const response = await answer;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).percent).toBe(0);
    expect(await code).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

describe('npm start with the defaults', () => {
  it('serves the bundled content folder', async () => {
    const server = await startServer('start', {});
    try {
      const health = await (await fetch(`${server.url}/healthz`)).json();
      expect(health.paths).toBeGreaterThanOrEqual(1);
      const path = await (await fetch(`${server.url}/v1/paths/${SEED}`)).json();
      expect(path.title).toBe('Batch vs Stream Processing');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('npm start with invalid content', () => {
  it('exits non-zero and prints every diagnostic', async () => {
    const broken = compilePath({ ...toDocument(seedPath), slug: 'broken' });
    const content = await createContentDir([broken]);
    try {
      await content.write('syntax.json', '{ "title": "Unclosed", ');
      const document = toDocument(broken);
      document.phases[0]!.resources[0]!.dependsOn = [{ resource: 'does-not-exist' }];
      await content.write('broken.json', JSON.stringify(document, null, 2));
      const { output, waitForExit } = spawnScript('start', { CONTENT_DIR: content.dir });
      const code = await waitForExit(60_000);
      expect(code).not.toBe(0);
      const text = output();
      expect(text).toMatch(/syntax\.json:1:\d+ error LP002/);
      expect(text).toMatch(/broken\.json:\d+:\d+ error LP101 .*does-not-exist/);
      expect(text).toMatch(/not starting: .* has 2 error\(s\)/);
      expect(text).not.toContain('listening at');
    } finally {
      await content.remove();
    }
  });

  it('exits 2 on an invalid setting', async () => {
    const { output, waitForExit } = spawnScript('start', { PORT: 'seventy' });
    expect(await waitForExit(60_000)).toBe(2);
    expect(output()).toContain('invalid configuration: PORT');
  });
});
