#!/usr/bin/env node
// Runs the compiled command (dist/, written by `npm run build`). In a checkout that has not
// been built, runs the TypeScript sources instead: tsx (a devDependency) compiles them and the
// `source` export condition resolves the workspace packages to their sources.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const built = new URL('../dist/main.js', import.meta.url);
let entry = built;
if (!existsSync(built)) {
  const tsx = await import('tsx/esm/api').catch(() => null);
  if (tsx === null) {
    process.stderr.write('learnpath: this copy is neither built nor able to run its sources; run `npm run build` in the repository, or install a packed release\n');
    process.exit(2);
  }
  tsx.register();
  // Registered last, so it runs first: adds the `source` condition before tsx resolves.
  register('data:text/javascript,export function resolve(s,c,n){return n(s,{...c,conditions:[...c.conditions,"source"]})}');
  entry = new URL('../src/main.ts', import.meta.url);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
