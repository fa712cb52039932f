import { createHook } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

// V8 gives objects built the same way the same hidden class (map), and finds the next one by
// the transitions recorded on the previous. Transitions are weak: a full garbage collection
// while no object of a map is alive drops the map, and the next object builds it again through
// the runtime. For two kinds of short-lived objects of every request, Node 20 then goes slow
// for the life of the process:
//
// - `process.nextTick` entries are object literals with computed keys. Each rebuilt map is one
//   more map for the literal's inline cache; after a few (a start-up collects often while ticks
//   are rare) the cache is megamorphic, and every nextTick defines its four properties in the
//   runtime: 3 to 8 times slower, and a request makes several.
// - A `ServerResponse` gets its symbol-keyed fields by keyed stores. Rebuilt through the
//   runtime, a keyed store that adds a property to an object with more than a few properties
//   outside the object turns it into a dictionary, so every response after it is one: each of
//   its property reads and writes a hash lookup. Collections between the first requests (a
//   start-up answering health checks while it opens its database, an idle server's memory
//   reducer) are enough.
//
// Keeping one object of each alive keeps its maps and the transitions to them.

let tick: object | undefined;
let exchange: [IncomingMessage, ServerResponse] | undefined;

/**
 * Keeps one `process.nextTick` queue entry alive for the life of the process (see above). Call
 * it first thing in a process that serves requests; later calls do nothing. Returns the entry.
 */
export function holdTickShape(): object | undefined {
  if (tick !== undefined) return tick;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject') tick ??= resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(ignore);
  } finally {
    hook.disable();
  }
  return tick;
}

/**
 * Keeps the first request and response that `server` (or any server given here before it)
 * handles alive for the life of the process, so that every later response keeps fast
 * properties (see above). Call it before the server listens.
 */
export function holdExchangeShapes(server: Server): void {
  if (exchange !== undefined) return;
  server.once('request', (req: IncomingMessage, res: ServerResponse) => {
    exchange ??= [req, res];
  });
}

/** The request and response `holdExchangeShapes` keeps, once a server has handled one. */
export function heldExchange(): readonly [IncomingMessage, ServerResponse] | undefined {
  return exchange;
}

function ignore(): void {}
