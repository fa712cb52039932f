#!/usr/bin/env node
// In a checkout of the repository the command runs its TypeScript sources, so an edit takes
// effect without a build: tsx (a devDependency) compiles them and the `source` export condition
// resolves the workspace packages to their sources. An installed package has no sources and
// runs the compiled dist/.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const source = new URL('../src/main.ts', import.meta.url);
const built = new URL('../dist/main.js', import.meta.url);
const tsx = existsSync(source) ? await import('tsx/esm/api').catch(() => null) : null;
let entry = built;
if (tsx !== null) {
  tsx.register();
  // Registered last, so it runs first: adds the `source` condition before tsx resolves.
  register('data:text/javascript,export function resolve(s,c,n){return n(s,{...c,conditions:[...c.conditions,"source"]})}');
  entry = source;
} else if (!existsSync(built)) {
  process.stderr.write('learnpath: this copy is not built; run `npm run build` in the repository, or install a packed release\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
