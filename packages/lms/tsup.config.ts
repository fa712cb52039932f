import { defineConfig } from 'tsup';

// Compiled JavaScript for production (workspace packages resolve to dist/ without the `source` condition).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
