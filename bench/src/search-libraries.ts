// `npm run bench:search-libraries`: how MiniSearch, FlexSearch and Orama index the texts of the
// scale catalog (100,000 paths: titles, overviews, resource titles; 1.2 million resources:
// titles and focus), each library in its own process: build time, heap after a full GC, and
// query times over queries a person types (prefixes, typos, accents, several words).
// The figures and the choice are recorded in bench/README.md.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import { Charset, Document } from 'flexsearch';
import MiniSearch from 'minisearch';
import { scalePathDocument } from './scale-paths.js';

const LIBRARIES = ['minisearch', 'flexsearch', 'orama'] as const;
type Library = (typeof LIBRARIES)[number];
const QUERIES = ['stream', 'kafka pipelines', 'kafak', 'donnees', 'données', 'sec', 'latency processing', 'typescript', 'mastering post', 'distribted systms', 'obs', 'react types'];

interface PathText {
  id: number;
  title: string;
  overview: string;
  resources: string;
}
interface ResourceText {
  id: number;
  title: string;
  focus: string;
}

function texts(count: number): { paths: PathText[]; resources: ResourceText[] } {
  const paths: PathText[] = [];
  const resources: ResourceText[] = [];
  for (let n = 0; n < count; n++) {
    const doc = scalePathDocument(n);
    const all = (doc.phases ?? []).flatMap((p) => p.resources ?? []);
    const titles = all.map((r) => r.title);
    paths.push({ id: n, title: doc.title, overview: doc.overview ?? '', resources: titles.join('\n') });
    for (const r of all) resources.push({ id: resources.length, title: r.title, focus: r.focus ?? '' });
  }
  return { paths, resources };
}

const fold = (term: string): string => term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

interface Index {
  query(q: string): number;
}

async function buildIndex(library: Library, fields: readonly string[], docs: readonly object[]): Promise<Index> {
  const boost = Object.fromEntries(fields.map((f, i) => [f, fields.length - i]));
  if (library === 'minisearch') {
    const index = new MiniSearch({ fields: [...fields], processTerm: fold, searchOptions: { boost, prefix: true, fuzzy: (term) => (term.length < 4 ? 0 : term.length < 5 ? 1 : 2), combineWith: 'AND' } });
    index.addAll(docs as { id: number }[]);
    return { query: (q) => index.search(q).slice(0, 20).length };
  }
  if (library === 'flexsearch') {
    const index = new Document({ document: { id: 'id', index: [...fields] }, tokenize: 'forward', encoder: Charset.LatinBalance });
    for (const doc of docs) index.add(doc as { id: number });
    return { query: (q) => index.search(q, { limit: 20, suggest: true, merge: true }).length };
  }
  const db = create({ schema: Object.fromEntries(fields.map((f) => [f, 'string'])) as Record<string, 'string'> });
  await insertMultiple(db, docs.map((d) => ({ ...d, id: String((d as { id: number }).id) })) as never, 5000);
  return { query: (q) => (oramaSearch(db, { term: q, boost, tolerance: 1, limit: 20 }) as { hits: unknown[] }).hits.length };
}

const heap = (): number => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

async function measureOne(library: Library, count: number): Promise<void> {
  const { paths, resources } = texts(count);
  const report: Record<string, unknown> = { library, paths: paths.length, resources: resources.length };
  for (const [name, fields, docs] of [
    ['paths', ['title', 'overview', 'resources'], paths],
    ['resources', ['title', 'focus'], resources],
  ] as const) {
    const before = heap();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const index = await buildIndex(library, fields, docs);
    const buildMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const bytes = heap() - before;
    const times: number[] = [];
    const hits: Record<string, number> = {};
    for (let round = 0; round < 5; round++) {
      for (const q of QUERIES) {
        const t = performance.now();
        hits[q] = index.query(q);
        times.push(performance.now() - t);
      }
    }
    times.sort((a, b) => a - b);
    report[name] = { buildMs: Math.round(buildMs), buildCpuMs: Math.round((cpu.user + cpu.system) / 1000), heapMiB: Math.round(bytes / 2 ** 20), p50Ms: +times[Math.floor(times.length / 2)]!.toFixed(2), p99Ms: +times[Math.floor(times.length * 0.99)]!.toFixed(2), kafak: hits['kafak'], donnees: hits['donnees'] };
  }
  console.log(JSON.stringify(report));
}

const [library, countArg] = process.argv.slice(2);
if (library !== undefined) {
  await measureOne(library as Library, Number(countArg));
} else {
  const count = Number(process.env.SEARCH_BENCH_PATHS ?? 100_000);
  const run = promisify(execFile);
  const self = fileURLToPath(import.meta.url);
  for (const lib of LIBRARIES) {
    try {
      const { stdout } = await run(process.execPath, ['--expose-gc', '--max-old-space-size=6000', '--import', 'tsx', self, lib, String(count)], { timeout: 15 * 60_000, maxBuffer: 1 << 20 });
      console.log(stdout.trim());
    } catch (error) {
      console.log(JSON.stringify({ library: lib, failed: String((error as Error).message).slice(0, 300) }));
    }
  }
}
