// The searches `bench:scale` sends: topics and their prefixes, typos, accents left out, two words.

const WORDS = ['kafka', 'stream', 'batch', 'spark', 'flink', 'postgres', 'sql', 'python', 'typescript', 'rust', 'kubernetes', 'docker', 'terraform', 'graphql', 'security', 'cryptography', 'networking', 'linux', 'observability', 'machine', 'learning', 'statistics', 'modelling', 'warehousing', 'caching', 'queues', 'search', 'compilers', 'databases', 'distributed', 'consensus', 'testing', 'accessibility', 'react', 'svelte', 'java', 'kotlin', 'haskell', 'elixir', 'swift', 'android', 'webassembly', 'donnees', 'reseaux', 'securite', 'ethique'];
const NOUNS = ['pipelines', 'processing', 'latency', 'throughput', 'schemas', 'indexes', 'queries', 'replication', 'partitions', 'consumers', 'windows', 'joins', 'migrations', 'monitoring', 'tracing', 'profiling', 'retries', 'snapshots'];

/** The ~1,800 searches of the scale scenarios, in the order they are sent. */
export function scaleQueries(): string[] {
  const list: string[] = [];
  for (const w of WORDS) {
    list.push(w, w.slice(0, Math.max(3, w.length - 3)), w.length > 5 ? `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}` : w);
    for (const n of NOUNS) list.push(`${w} ${n}`, `${n.slice(0, 4)} ${w}`);
  }
  return list;
}

/** The resource kinds the resource searches filter by, in turn. */
export const SCALE_KINDS = ['article', 'video', 'tutorial', 'documentation', 'course', 'book', 'exercise', 'project'] as const;
