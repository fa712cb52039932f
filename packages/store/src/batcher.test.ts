import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';

interface Call {
  key: string;
  value: number;
}

/** A batcher over a recorded `run` that answers each value doubled, after `gate` opens. */
function recorded(options: { sameKey: 'exclusive' | 'shared'; maxBatch?: number; maxInFlight?: number; fail?: (items: readonly Call[]) => Error | null }) {
  const batches: number[][] = [];
  let open: () => void = () => {};
  let gate = Promise.resolve();
  const call = createBatcher<Call, number>({
    key: (c) => c.key,
    sameKey: options.sameKey,
    maxBatch: options.maxBatch ?? 100,
    maxInFlight: options.maxInFlight ?? 1,
    async run(items) {
      batches.push(items.map((c) => c.value));
      await gate;
      const error = options.fail?.(items) ?? null;
      if (error !== null) throw error;
      return items.map((c) => c.value * 2);
    },
  });
  return {
    call,
    batches,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => open(),
  };
}

describe('createBatcher', () => {
  it('answers the calls made in one turn with one run, each its own answer', async () => {
    const { call, batches } = recorded({ sameKey: 'exclusive' });
    expect(await Promise.all([1, 2, 3].map((value) => call({ key: `k${value}`, value })))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers the calls made while a batch runs into the next one', async () => {
    const { call, batches, hold, release } = recorded({ sameKey: 'exclusive' });
    hold();
    const first = call({ key: 'a', value: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    const later = [call({ key: 'b', value: 2 }), call({ key: 'c', value: 3 })];
    release();
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('never puts two calls with one key in a batch, and runs them in call order', async () => {
    const { call, batches } = recorded({ sameKey: 'exclusive', maxInFlight: 4 });
    const answers = await Promise.all([
      call({ key: 'a', value: 1 }),
      call({ key: 'a', value: 2 }),
      call({ key: 'b', value: 3 }),
      call({ key: 'a', value: 4 }),
      call({ key: 'c', value: 5 }),
    ]);
    expect(answers).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 3, 5], [2], [4]]);
  });

  it('asks a key once per batch when calls may share an answer', async () => {
    const { call, batches } = recorded({ sameKey: 'shared' });
    expect(await Promise.all([call({ key: 'a', value: 1 }), call({ key: 'a', value: 1 }), call({ key: 'b', value: 2 })])).toEqual([2, 2, 4]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('keeps batches within maxBatch and runs at most maxInFlight at once', async () => {
    const { call, batches, hold, release } = recorded({ sameKey: 'exclusive', maxBatch: 2, maxInFlight: 2 });
    hold();
    const all = Promise.all([1, 2, 3, 4, 5].map((value) => call({ key: `k${value}`, value })));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    release();
    expect(await all).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails only the call a batch failed on: the others are answered one by one', async () => {
    const bad = new Error('value 2 is refused');
    const { call, batches } = recorded({ sameKey: 'exclusive', fail: (items) => (items.some((c) => c.value === 2) ? bad : null) });
    const answers = await Promise.allSettled([1, 2, 3].map((value) => call({ key: `k${value}`, value })));
    expect(answers).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: bad },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(batches[0]).toEqual([1, 2, 3]);
    expect(batches.slice(1).sort()).toEqual([[1], [2], [3]]);
  });

  it('fails every call of the batch at once when the database is away', async () => {
    const away = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const { call, batches } = recorded({ sameKey: 'exclusive', fail: () => away });
    const answers = await Promise.allSettled([1, 2].map((value) => call({ key: `k${value}`, value })));
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect(batches).toEqual([[1, 2]]);
  });
});
