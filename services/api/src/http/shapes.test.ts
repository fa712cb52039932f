import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { heldExchange, holdExchangeShapes, holdTickShape } from './shapes.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('./shapes.ts', import.meta.url));

/** Runs an ES module in a node process of its own, with V8's natives syntax and garbage collection on demand; returns its last line, parsed. */
async function inChild(script: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script]);
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('holdTickShape', () => {
  it('holds a nextTick queue entry, the same one on every call', () => {
    const held = holdTickShape();
    expect(held).toBeDefined();
    // The shape Node gives its entries: the held object is one of them.
    expect(Object.keys(held!).sort()).toEqual(['args', 'callback']);
    expect(Object.getOwnPropertySymbols(held!)).toHaveLength(2);
    expect(holdTickShape()).toBe(held);
  });

  it('keeps the map new entries are made with through full collections while no entry is alive', async () => {
    const script = `
      import { createHook } from 'node:async_hooks';
      const { holdTickShape } = await import(${JSON.stringify(here)});
      const held = holdTickShape();
      for (let round = 0; round < 8; round++) {
        await new Promise((resolve) => process.nextTick(resolve));
        globalThis.gc();
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      let fresh;
      const hook = createHook({ init(id, type, trigger, resource) { if (type === 'TickObject') fresh ??= resource; } }).enable();
      process.nextTick(() => {});
      hook.disable();
      console.log(JSON.stringify({ same: %HaveSameMap(held, fresh), fast: %HasFastProperties(fresh) }));
    `;
    expect(await inChild(script)).toEqual({ same: true, fast: true });
  });
});

describe('holdExchangeShapes', () => {
  it('keeps the first request and response of a server, not later ones', async () => {
    const server = createServer((req, res) => res.end(req.url));
    holdExchangeShapes(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // Another test file of this worker may have held an exchange already: then this server's is not taken.
      const before = heldExchange();
      expect(await (await fetch(`${base}/first`)).text()).toBe('/first');
      expect(await (await fetch(`${base}/second`)).text()).toBe('/second');
      const held = heldExchange();
      if (before === undefined) expect(held?.[0].url).toBe('/first');
      else expect(held).toBe(before);
      expect(held?.[1].writableEnded).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps every later response in fast properties through full collections between requests', async () => {
    // Without the held exchange, Node 20 answers with responses in dictionary mode after a few
    // rounds of one request and a full collection.
    const script = `
      import { createServer, get, Agent } from 'node:http';
      const { holdExchangeShapes } = await import(${JSON.stringify(here)});
      const fast = [];
      const server = createServer((req, res) => { fast.push(%HasFastProperties(res)); res.end('x'); });
      holdExchangeShapes(server);
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const agent = new Agent({ keepAlive: false });
      const url = 'http://127.0.0.1:' + server.address().port + '/';
      const request = () => new Promise((resolve) => get(url, { agent }, (res) => { res.resume(); res.on('end', resolve); }));
      for (let round = 0; round < 8; round++) {
        await request();
        await new Promise((resolve) => setTimeout(resolve, 5));
        globalThis.gc();
      }
      for (let i = 0; i < 10; i++) await request();
      server.close();
      console.log(JSON.stringify({ requests: fast.length, slow: fast.filter((f) => !f).length }));
    `;
    expect(await inChild(script)).toEqual({ requests: 18, slow: 0 });
  });
});
