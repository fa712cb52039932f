// `npm run bench:boot -w bench [file]`: where the time goes between a built catalog and a
// service that lists and searches it, stage by stage, in process (CPU and wall time). The file
// defaults to the catalog `bench:scale` writes for SCALE_PATHS (10000) paths.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogFile } from '@learnpath/content';
import { buildApp, viewOf } from '@learnpath/api';

const file = process.argv[2] ?? join(tmpdir(), `learnpath-scale-${process.env.SCALE_PATHS ?? 10000}-v1.json`);

// The live heap: after a full collection when node runs with --expose-gc.
function heapMiB(): string {
  (globalThis as { gc?: () => void }).gc?.();
  return (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
}

async function stage<T>(name: string, run: () => T | Promise<T>): Promise<T> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  console.log(`${name.padEnd(40)} cpu ${((used.user + used.system) / 1000).toFixed(0).padStart(6)} ms  wall ${(performance.now() - wall).toFixed(0).padStart(6)} ms  heap ${heapMiB()} MiB`);
  return value;
}

await stage('read the file', () => readFile(file));
const load = await stage('loadCatalogFile (read, hash, find paths)', () => loadCatalogFile(file));
if (load.catalog === null) throw new Error(JSON.stringify(load.diagnostics));
const catalog = load.catalog;
const app = await stage('buildApp (routes, GraphQL, OpenAPI)', () => buildApp({ catalog, logger: false, rateLimit: false }));
await stage('app.ready', () => app.ready());
const view = viewOf(catalog);
await stage('parse + summarise paths (view.paths)', () => view.paths());
await stage('resources (view.resources)', () => view.resources());
const ok = async (url: string): Promise<void> => {
  const response = await app.inject(url);
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
};
await stage('first page by title (sorts)', () => ok('/v1/paths?limit=20'));
await stage('first page by -totalMinutes (sorts)', () => ok('/v1/paths?sort=-totalMinutes&limit=20'));
await stage('resources of a kind (filters)', () => ok('/v1/resources?kind=video&limit=20'));
await stage('search index + first search', () => ok('/v1/paths?q=kafka'));
await stage('a new search of paths', () => ok('/v1/paths?q=stream%20processing'));
await stage('a new search of resources', () => ok('/v1/resources?q=stream%20processing&kind=video'));
await stage('GET /openapi.json', () => ok('/openapi.json'));
await app.close();
