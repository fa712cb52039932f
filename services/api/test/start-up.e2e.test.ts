import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths, SEED } from './support/fixtures.js';
import { createContentDir, startServer, type ServerProcess } from './support/server-process.js';

/** GETs a URL with a Host header of the caller's choosing (fetch does not allow setting it). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, headers: { host, 'x-forwarded-host': host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm start in production without PUBLIC_BASE_URL', () => {
  let content: Awaited<ReturnType<typeof createContentDir>>;
  let server: ServerProcess;

  beforeAll(async () => {
    content = await createContentDir(fixturePaths);
    server = await startServer('start', { CONTENT_DIR: content.dir, NODE_ENV: 'production', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await server?.stop();
    await content?.remove();
  });

  it('says where to go in its start line', () => {
    const line = server.output().split('\n').find((l) => l.includes('listening at'))!;
    const u = server.url;
    expect(line).toContain(`listening at ${u} (4 path(s), content `);
    expect(line).toContain(`REST ${u}/v1/paths · learner pages ${u}/learn · docs ${u}/docs · GraphQL explorer ${u}/graphiql · health ${u}/healthz`);
  });

  it('warns that exports will link to the listening address', async () => {
    await server.waitForOutput('PUBLIC_BASE_URL is not set');
    const warning = server.output().split('\n').find((l) => l.includes('PUBLIC_BASE_URL is not set'))!;
    expect(JSON.parse(warning)).toMatchObject({ level: 40, msg: expect.stringContaining(`exports link to ${server.url}`) });
  });

  it('writes the listening address into exports, whatever Host a client sends', async () => {
    for (const format of ['jsonld', 'cmi5']) {
      const response = await getWithHost(`${server.url}/v1/paths/${SEED}/export/${format}`, 'evil.example');
      expect(response.status).toBe(200);
      expect(response.body).not.toContain('evil.example');
      expect(response.body).toContain(`${server.url}/`);
    }
  });
});

describe('npm start with PUBLIC_BASE_URL', () => {
  it('writes it into exports and does not warn', async () => {
    const content = await createContentDir(fixturePaths);
    const server = await startServer('start', { CONTENT_DIR: content.dir, NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://learn.example.org' });
    try {
      const response = await getWithHost(`${server.url}/v1/paths/${SEED}/export/jsonld`, 'evil.example');
      expect(response.body).toContain('https://learn.example.org/');
      expect(response.body).not.toContain('evil.example');
      expect(server.output()).not.toContain('PUBLIC_BASE_URL is not set');
    } finally {
      await server.stop();
      await content.remove();
    }
  });
});
