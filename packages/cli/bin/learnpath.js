#!/usr/bin/env node
// Runs the CLI from its TypeScript sources, resolving workspace packages through the
// repository's tsconfig paths, so `npx learnpath` works right after `npm install`.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
