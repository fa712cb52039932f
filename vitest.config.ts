import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the TypeScript sources: workspace packages resolve to their src/.
export default defineConfig({
  resolve: {
    alias: {
      '@learnpath/schema': here('./packages/schema/src/index.ts'),
      '@learnpath/content': here('./packages/content/src/index.ts'),
      '@learnpath/lms': here('./packages/lms/src/index.ts'),
      '@learnpath/api': here('./services/api/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
