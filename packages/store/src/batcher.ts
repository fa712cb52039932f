import { isUnavailable } from './errors.js';

// Many small statements cost the database (and PGlite, which runs in this process) far more than
// one statement over the same rows: parsing, planning, a round trip and, for writes, a commit
// each. A batcher collects the calls made while the event loop is busy (one turn) or while the
// previous batches run, and hands them to `run` together. A caller still gets its own answer
// once the statement holding it has committed, so nothing is acknowledged before it is durable.

/** How a batcher groups calls. */
export interface BatcherOptions<I, O> {
  /** Which rows a call touches: calls with the same key never share a statement or run at the same time (`exclusive`), or share one answer (`shared`). */
  key: (item: I) => string;
  /** `exclusive` for writes (same key: one after the other, in call order), `shared` for reads (same key in one batch: asked once). */
  sameKey: 'exclusive' | 'shared';
  /** Runs one batch; answers in the order of `items`. */
  run: (items: readonly I[]) => Promise<O[]>;
  /** Most calls in one batch. */
  maxBatch: number;
  /** Most batches running at once. */
  maxInFlight: number;
}

interface Waiting<I, O> {
  item: I;
  key: string;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/** A function that answers each call through a batch of `run`. */
export function createBatcher<I, O>(options: BatcherOptions<I, O>): (item: I) => Promise<O> {
  const { key, run, maxBatch, maxInFlight } = options;
  const exclusive = options.sameKey === 'exclusive';
  let queue: Waiting<I, O>[] = [];
  const busy = new Set<string>();
  let inFlight = 0;
  let scheduled = false;

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    // After the I/O of this turn: every request that arrived in it joins the batch.
    setImmediate(flush);
  };

  // The next batch, in call order: for writes, a key already running or already taken waits for
  // a later batch, and so does every later call with that key.
  function take(): Waiting<I, O>[][] {
    const batch: Waiting<I, O>[][] = [];
    const byKey = new Map<string, Waiting<I, O>[]>();
    const rest: Waiting<I, O>[] = [];
    const blocked = new Set<string>();
    for (const waiting of queue) {
      const sharing = exclusive ? undefined : byKey.get(waiting.key);
      if (sharing !== undefined) sharing.push(waiting);
      else if (batch.length < maxBatch && !busy.has(waiting.key) && !blocked.has(waiting.key)) {
        const group = [waiting];
        batch.push(group);
        byKey.set(waiting.key, group);
        if (exclusive) busy.add(waiting.key);
      } else {
        rest.push(waiting);
        blocked.add(waiting.key);
      }
    }
    queue = rest;
    return batch;
  }

  async function execute(batch: Waiting<I, O>[][]): Promise<void> {
    const items = batch.map((group) => group[0]!.item);
    try {
      const results = await run(items);
      batch.forEach((group, i) => group.forEach((w) => w.resolve(results[i]!)));
    } catch (error) {
      if (batch.length === 1 || isUnavailable(error)) {
        batch.forEach((group) => group.forEach((w) => w.reject(error)));
      } else {
        // Something about one call (not the database being away): each call alone, so that
        // it fails only the call it belongs to.
        await Promise.all(
          batch.map(async (group) => {
            try {
              const [result] = await run([group[0]!.item]);
              group.forEach((w) => w.resolve(result!));
            } catch (own) {
              group.forEach((w) => w.reject(own));
            }
          }),
        );
      }
    } finally {
      if (exclusive) for (const group of batch) busy.delete(group[0]!.key);
      inFlight--;
      if (queue.length > 0) schedule();
    }
  }

  function flush(): void {
    scheduled = false;
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = take();
      if (batch.length === 0) break;
      inFlight++;
      void execute(batch);
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, key: key(item), resolve, reject });
      schedule();
    });
}
