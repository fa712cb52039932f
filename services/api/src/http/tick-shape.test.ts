import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { holdTickShape } from './tick-shape.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('./tick-shape.ts', import.meta.url));

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
    // In a process of its own: V8's natives syntax compares maps; garbage collection on demand.
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
    const { stdout } = await run(process.execPath, ['--expose-gc', '--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script]);
    expect(JSON.parse(stdout.trim())).toEqual({ same: true, fast: true });
  });
});
