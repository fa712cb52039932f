import { createHook } from 'node:async_hooks';

// Node 20 makes each `process.nextTick` queue entry with an object literal with computed keys
// (`{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, callback, args }`). V8 keeps the map
// such a literal starts from weakly: a full garbage collection while no entry is alive drops
// it, the next entry gets a new one, and the inline cache that defines the entry's properties
// sees one more map. After a few of those (a process's start-up collects often while ticks are
// rare) the cache is megamorphic for good, and every `nextTick` defines its four properties in
// the runtime: 3 to 8 times slower, measured, and an HTTP request makes several. Keeping one
// entry alive keeps its maps alive, so the cache stays monomorphic.

let held: object | undefined;

/**
 * Keeps one `process.nextTick` queue entry alive for the life of the process (see above). Call it
 * first thing in a process that serves requests; later calls do nothing. Returns the entry.
 */
export function holdTickShape(): object | undefined {
  if (held !== undefined) return held;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject') held ??= resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(ignore);
  } finally {
    hook.disable();
  }
  return held;
}

function ignore(): void {}
