import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';
import { createTestApp, listenApp } from './support/app.js';
import { fixtureCatalog, SEED } from './support/fixtures.js';

// Slow clients against a real listening server: raw sockets that trickle their request. The
// timeouts are short here so the tests stay fast; the defaults are in SECURITY.md.

const HEADERS_TIMEOUT = 1000;
const REQUEST_TIMEOUT = 2000;
// The server checks its connections on an interval; allow for one period and scheduling.
const SLACK = 1500;

let app: App;
let port: number;

beforeAll(async () => {
  let host: string;
  ({ app, host } = await listenApp({ timeouts: { headersMs: HEADERS_TIMEOUT, requestMs: REQUEST_TIMEOUT, connectionMs: 5000 } }));
  port = Number(host.split(':')[1]);
});
afterAll(() => app.close());

interface Outcome {
  /** Everything the server sent before closing. */
  response: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Opens a raw connection, writes `head` at once, then one `trickle` chunk every `intervalMs`
 * until the server closes the connection (or `giveUpMs` passes).
 */
function trickle(head: string, chunks: string[], intervalMs: number, giveUpMs = 15_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms; received: ${response}`));
    }, giveUpMs);
    socket.on('data', (data) => (response += data.toString('latin1')));
    socket.on('error', () => {
      // A reset after the 408 is fine; what matters is what was received and when.
    });
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ response, closedAfterMs: performance.now() - started });
    });
    socket.on('connect', () => {
      if (head !== '') socket.write(head);
      let next = 0;
      timer = setInterval(() => {
        if (socket.destroyed || !socket.writable) return;
        const chunk = chunks[next++ % chunks.length];
        if (chunk !== undefined) socket.write(chunk);
      }, intervalMs);
    });
  });
}

function expect408(outcome: Outcome, withinMs: number): void {
  expect(outcome.response).toMatch(/^HTTP\/1\.1 408 /);
  expect(outcome.closedAfterMs).toBeLessThan(withinMs);
  const [head, body] = outcome.response.split('\r\n\r\n', 2) as [string, string];
  expect(head.toLowerCase()).toContain('content-type: application/problem+json');
  expect(JSON.parse(body)).toMatchObject({ type: 'about:blank', title: 'Request Timeout', status: 408 });
}

describe('slow clients', () => {
  it('a body trickled at 2 bytes/s gets 408 within the request timeout', async () => {
    const head =
      `POST /v1/paths/${SEED}/progress HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: 1000\r\n\r\n`;
    // One chunk of 1 byte every 500 ms: 2 bytes/s, forever active, never done.
    const outcome = await trickle(head, ['{', '"', 'c', ' '], 500);
    expect408(outcome, REQUEST_TIMEOUT + SLACK);
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT - 100);
  });

  it('headers trickled at 2 bytes/s are cut by the headers timeout', async () => {
    const outcome = await trickle(`GET /v1/paths HTTP/1.1\r\nHost: 127.0.0.1\r\n`, ['X', '-', 'a', ':', ' ', 'b'], 500);
    expect408(outcome, HEADERS_TIMEOUT + SLACK);
  });

  it('a connection that never sends anything is closed by the headers timeout', async () => {
    const outcome = await trickle('', [], 60_000);
    expect(outcome.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT + SLACK);
  });

  it('a keep-alive connection that stalls inside its second request is cut too', async () => {
    const first = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const outcome = await trickle(`${first}GET /v1/paths HTTP/1.1\r\nHost: 127.0.0.1\r\n`, ['X', '-'], 500);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 200 /);
    expect(outcome.response).toContain('HTTP/1.1 408 ');
    expect(outcome.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT + SLACK);
  });

  it('the server still answers normal requests while slow clients hang on', async () => {
    const slow = Array.from({ length: 20 }, () => trickle(`GET /v1/paths HTTP/1.1\r\nHost: 127.0.0.1\r\n`, ['X'], 400));
    const fast = await fetch(`http://127.0.0.1:${port}/v1/paths/${SEED}`);
    expect(fast.status).toBe(200);
    for (const outcome of await Promise.all(slow)) expect(outcome.response).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a request sent at normal speed is not affected', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/v1/paths/${SEED}/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ completed: ['batch-processing'] }),
    });
    expect(response.status).toBe(200);
  });
});

describe('malformed and oversized requests on the wire', () => {
  /** Sends `raw` on a fresh connection and collects everything until the server closes it. */
  async function exchange(raw: string): Promise<string> {
    const outcome = await trickle(raw, [], 60_000, 5000);
    return outcome.response;
  }

  function problemOf(response: string): Record<string, unknown> {
    const [head, body] = response.split('\r\n\r\n', 2) as [string, string];
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    return JSON.parse(body) as Record<string, unknown>;
  }

  it('an announced 2 MB body is refused with 413 and the connection closed at once, without reading the body', async () => {
    const head = `POST /v1/paths/${SEED}/progress HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{"completed":[`;
    // Keep sending: a server that waited for the whole body would hold the connection open.
    const outcome = await trickle(head, ['"x",'.repeat(250)], 20, 5000);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 413 /);
    expect(outcome.response.toLowerCase()).toContain('connection: close');
    expect(problemOf(outcome.response)).toMatchObject({ status: 413 });
    expect(outcome.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT);
  });

  it('a 20 KB URL is refused with 431 problem+json before routing', async () => {
    const response = await exchange(`GET /v1/paths/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
    expect(problemOf(response)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
  });

  it('20 KB of headers are refused with 431 problem+json', async () => {
    const response = await exchange(`GET /v1/paths HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
  });

  it.each([
    ['garbage', 'HELLO\r\n\r\n'],
    ['a bad header line', 'GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n'],
    ['a Content-Length and chunked at once (request smuggling)', `POST /v1/paths/${SEED}/progress HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
    ['two Content-Length headers', `POST /v1/paths/${SEED}/progress HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`],
  ])('%s is a 400 problem+json and the connection is closed', async (_name, raw) => {
    const response = await exchange(raw);
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(problemOf(response)).toMatchObject({ status: 400, title: 'Bad Request' });
  });
});

describe('timeout settings', () => {
  it('reach the Node server: request and headers timeouts and a checking interval below them', () => {
    const server = app.server as typeof app.server & { connectionsCheckingInterval?: number };
    expect(server.requestTimeout).toBe(REQUEST_TIMEOUT);
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT);
    expect(server.connectionsCheckingInterval).toBeLessThanOrEqual(HEADERS_TIMEOUT / 2);
  });

  it('are refused when the headers timeout exceeds the request timeout', async () => {
    await expect(createTestApp({ catalog: fixtureCatalog(), timeouts: { headersMs: 5000, requestMs: 1000 } })).rejects.toThrow(/headers/i);
  });
});
