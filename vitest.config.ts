import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the TypeScript sources: workspace packages resolve to their src/.
export default defineConfig({
  resolve: {
    alias: [
      { find: '@learnpath/schema', replacement: here('./packages/schema/src/index.ts') },
      { find: '@learnpath/content', replacement: here('./packages/content/src/index.ts') },
      { find: '@learnpath/lms', replacement: here('./packages/lms/src/index.ts') },
      { find: '@learnpath/store', replacement: here('./packages/store/src/index.ts') },
      { find: '@learnpath/api', replacement: here('./services/api/src/index.ts') },
      // Node loads graphql's CommonJS build (mercurius requires it); Vite would pick the ESM
      // build for sources, and two copies of graphql refuse each other's schema objects.
      { find: /^graphql$/, replacement: here('./node_modules/graphql/index.js') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
