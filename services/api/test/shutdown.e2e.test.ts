import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtServer, createContentDir, startServer, waitFor, type ServerProcess } from './support/server-process.js';
import { fixturePaths, SEED } from './support/fixtures.js';

// SIGTERM while the real server process is under load, the way an orchestrator stops a replica:
// what is in flight finishes, nothing new gets in, the process exits 0 in time.

const IN_FLIGHT = 40;
// Each in-flight request holds back the end of its body this long after the signal.
const HOLD_MS = 1500;

let content: Awaited<ReturnType<typeof createContentDir>>;
beforeAll(async () => {
  content = await createContentDir(fixturePaths);
});
afterAll(() => content?.remove());

/** The compiled server process with the production settings, listening and healthy, logging each request it reads. */
async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess & { base: URL }> {
  const server = await startServer(await builtServer(), { CONTENT_DIR: content.dir, NODE_ENV: 'production', LOG_LEVEL: 'info', LOG_REQUESTS: 'true', ...env });
  return Object.assign(server, { base: new URL(server.url) });
}

/**
 * Waits until the server has read the headers of `count` requests for URLs starting with `url`
 * (it logs each one then, unless it is closing), so that they are in flight or answered before a
 * signal is sent.
 */
function waitForRequests(server: ServerProcess, url: string, count: number): Promise<true> {
  const read = (): number => server.output().split('\n').filter((line) => line.includes(`"url":"${url}`) && line.includes('"msg":"incoming request"')).length;
  return waitFor(() => (read() >= count ? true : undefined), 30_000, `the server to read ${count} request(s) for ${url}`);
}

interface Result {
  status: number;
  body: string;
}

/** A POST whose body is sent in two parts: the second only when `finish` resolves. */
function slowProgress(url: URL, finish: Promise<void>, sent: () => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ completed: ['batch-processing'] });
    const req = request(
      { host: url.hostname, port: url.port, method: 'POST', path: `/v1/paths/${SEED}/progress`, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res: IncomingMessage) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10), () => sent());
    void finish.then(() => req.end(body.slice(10)));
  });
}

/** Whether a new TCP connection to the server is refused. */
function connectionRefused(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown under load', () => {
  it('SIGTERM: in-flight requests finish with 200, new connections are refused, the process exits 0 within 10 s', async () => {
    const server = await startServerProcess();
    try {
      // Warm up, so the in-flight requests below are not waiting on first-request compilation.
      expect((await fetch(new URL(`/v1/paths/${SEED}`, server.base))).status).toBe(200);

      let release!: () => void;
      const finish = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      const inFlight = Array.from({ length: IN_FLIGHT }, () => slowProgress(server.base, finish, () => started++));
      // Plus GETs on their own connections, sent before the signal.
      const gets: Promise<number>[] = [];
      for (let i = 0; i < 20; i++) gets.push(fetch(new URL(`/v1/paths?limit=${(i % 5) + 1}`, server.base)).then((r) => r.status));
      await waitFor(() => (started === IN_FLIGHT ? true : undefined), 10_000, 'every request to be sent');
      await Promise.all([waitForRequests(server, `/v1/paths/${SEED}/progress`, IN_FLIGHT), waitForRequests(server, '/v1/paths?limit=', gets.length)]);

      const signalledAt = performance.now();
      process.kill(server.pid, 'SIGTERM');

      // New connections are refused while the in-flight requests are still being held.
      const refused = await waitFor(async () => ((await connectionRefused(server.base)) ? true : undefined), 2_000, 'new connections to be refused');
      expect(refused).toBe(true);
      let settled = false;
      void Promise.allSettled(inFlight).then(() => (settled = true));
      expect(settled).toBe(false);

      setTimeout(release, HOLD_MS);
      const results = await Promise.all(inFlight);
      for (const result of results) {
        expect(result.status, result.body).toBe(200);
        expect(JSON.parse(result.body)).toMatchObject({ slug: SEED, completedCount: 1 });
      }
      for (const status of await Promise.all(gets)) expect(status).toBe(200);

      const [code, at] = await Promise.all([server.exited, server.exitedAt]);
      expect(code, server.output()).toBe(0);
      expect(at - signalledAt).toBeLessThan(10_000);
      expect(server.output()).toContain('SIGTERM received');
      expect(server.output()).not.toMatch(/"level":(50|60)/); // nothing logged as an error
    } finally {
      server.kill();
    }
  });

  it('SIGTERM with a client that never finishes its body: the process still exits at the shutdown deadline', async () => {
    const server = await startServerProcess({ SHUTDOWN_TIMEOUT_MS: '2000' });
    try {
      const socket = connect({ host: server.base.hostname, port: Number(server.base.port) });
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`POST /v1/paths/${SEED}/progress HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"completed":`);
      socket.on('error', () => undefined);
      await waitForRequests(server, `/v1/paths/${SEED}/progress`, 1);
      const signalledAt = performance.now();
      process.kill(server.pid, 'SIGTERM');
      const [code, at] = await Promise.all([server.exited, server.exitedAt]);
      // The deadline ends the wait; exit code 1 and the log tell that requests were cut off.
      expect(code).toBe(1);
      expect(at - signalledAt).toBeLessThan(3_000);
      expect(server.output()).toContain('still running after 2000 ms');
      socket.destroy();
    } finally {
      server.kill();
    }
  });
});
