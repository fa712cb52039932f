/**
 * What the page script gets for `zod`: `@learnpath/schema` builds its schemas when loaded, but
 * the page never validates with them (it only runs `evaluateProgress` and the graph order), so
 * an inert stand-in replaces zod's 400 KB in the bundle. Every property and call gives the
 * stand-in back, so schema declarations load and do nothing.
 */
function inert(): unknown {
  const target = function () {};
  const proxy: unknown = new Proxy(target, {
    get(_target, key) {
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (key === 'then') return undefined;
      return proxy;
    },
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

const z = inert();
export { z };
export default z;
