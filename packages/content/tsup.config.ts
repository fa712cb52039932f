import { defineConfig } from 'tsup';

// Compiled JavaScript for production; the worker is its own entry so threads load it by URL.
export default defineConfig({
  entry: ['src/index.ts', 'src/load-worker.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // Only the sources use it, to bundle their worker (worker-bundle.ts); compiled code starts dist/load-worker.js.
  external: ['esbuild'],
});
