import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const E2E = '**/*.e2e.test.ts';

// Tests run against the TypeScript sources: the `source` export condition of each workspace
// package points at its src/ (the same condition tsconfig's customConditions and
// `tsx --conditions=source` use), so workspace packages are never resolved to dist/ here.
const conditions = ['source', ...defaultServerConditions];

/** One test project: a name and the files it runs. */
function project(name: string, include: string[], exclude: string[] = [], extra: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration {
  return { extends: true, test: { name, include, exclude: ['**/node_modules/**', '**/dist/**', ...exclude], ...extra } };
}

export default defineConfig({
  resolve: {
    conditions,
    alias: [
      // Node loads graphql's CommonJS build (mercurius requires it); Vite would pick the ESM
      // build for sources, and two copies of graphql refuse each other's schema objects.
      { find: /^graphql$/, replacement: here('./node_modules/graphql/index.js') },
    ],
  },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Two keep
    // both cores busy while e2e files wait on the processes they start.
    maxWorkers: 2,
    projects: [
      // Pure functions, beside the code: runs in seconds (`npm run test:unit`).
      // Unit and http files share their workers' module cache (isolate: false): each worker imports
      // the app's sources once instead of once a file. No file mocks modules or leaves globals set.
      project('unit', ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/**/*.test.ts'], [E2E], { isolate: false }),
      // The service through app.inject, and package tests that need more than one module.
      project('http', ['services/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts'], [E2E], { isolate: false }),
      // Real processes, a real browser, xmllint: files named *.e2e.test.ts. They run beside the
      // other projects: most of their time is spent waiting for the processes and the browser
      // they start. The workspaces are built once per run (no file builds or packs dist/ on its
      // own, so files may run side by side); the other projects resolve workspaces to src/.
      // Server processes start from a copy of one learner database made for the run.
      project('e2e', [E2E], [], {
        testTimeout: 120_000,
        hookTimeout: 180_000,
        globalSetup: ['services/api/test/support/workspace-build-setup.ts', 'services/api/test/support/pglite-template-setup.ts'],
      }),
    ],
  },
});
