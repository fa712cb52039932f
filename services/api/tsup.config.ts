import { defineConfig } from 'tsup';

// The production server (`npm run start:prod`) and the library entry, as compiled JavaScript.
export default defineConfig({
  entry: ['src/server.ts', 'src/index.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
