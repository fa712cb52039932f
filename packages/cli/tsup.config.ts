import { defineConfig } from 'tsup';

// The command as compiled JavaScript; bin/learnpath.js loads it when present.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
