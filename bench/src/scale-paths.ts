import { slugify, type LearningPathDocument } from '@learnpath/schema';

// A large provider's catalog: varied titles drawn from a technical vocabulary (so that a search
// matches a realistic share of paths, not all or none), 3 phases × 4 resources per path.

const TOPICS = [
  'Kafka', 'Stream', 'Batch', 'Spark', 'Flink', 'Postgres', 'SQL', 'Python', 'TypeScript', 'Rust', 'Go', 'Kubernetes',
  'Docker', 'Terraform', 'GraphQL', 'REST', 'Security', 'Cryptography', 'Networking', 'Linux', 'Observability',
  'Machine Learning', 'Statistics', 'Data Modelling', 'Warehousing', 'Caching', 'Queues', 'Search', 'Compilers',
  'Databases', 'Distributed Systems', 'Consensus', 'Testing', 'Accessibility', 'Design Systems', 'React', 'Vue',
  'Svelte', 'Node', 'Java', 'Kotlin', 'Scala', 'Haskell', 'Elixir', 'Erlang', 'Swift', 'Android', 'iOS', 'WebAssembly',
  'Données', 'Réseaux', 'Sécurité', 'Éthique', 'Café',
];
const ANGLES = [
  'Foundations of', 'Practical', 'Advanced', 'Hands-on', 'Introduction to', 'Mastering', 'Patterns in', 'Scaling',
  'Debugging', 'Operating', 'Designing with', 'Performance of', 'A Tour of', 'Production',
];
const NOUNS = [
  'pipelines', 'processing', 'latency', 'throughput', 'schemas', 'indexes', 'queries', 'replication', 'partitions',
  'consumers', 'producers', 'windows', 'joins', 'migrations', 'deployments', 'monitoring', 'tracing', 'profiling',
  'benchmarks', 'contracts', 'modules', 'types', 'errors', 'retries', 'backpressure', 'checkpoints', 'snapshots',
];
const KINDS = ['article', 'video', 'tutorial', 'documentation', 'course', 'book', 'exercise', 'project'] as const;
const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
const PHASES = ['Foundations', 'Core Concepts', 'Advanced Topics'];

/** A small deterministic pseudo-random sequence (mulberry32), so every run builds the same catalog. */
function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** The slug of the `n`th scale path. */
export const scaleSlug = (n: number): string => `path-${String(n).padStart(6, '0')}`;

/** The `n`th path of the scale catalog, as a document: 3 phases of 4 resources. */
export function scalePathDocument(n: number): LearningPathDocument {
  const random = randomFrom(n + 1);
  const topic = pick(random, TOPICS);
  const other = pick(random, TOPICS);
  const title = `${pick(random, ANGLES)} ${topic} ${pick(random, NOUNS)} ${n}`;
  const overview = `This path covers ${topic.toLowerCase()} ${pick(random, NOUNS)} and ${pick(random, NOUNS)}, with a look at ${other} along the way. It suits readers who know the basics.`;
  let r = 0;
  return {
    slug: scaleSlug(n),
    title,
    overview,
    level: pick(random, LEVELS),
    tags: [slugify(topic), pick(random, NOUNS)],
    phases: PHASES.map((phase) => ({
      title: phase,
      sequential: true,
      resources: [1, 2, 3, 4].map(() => {
        r++;
        return {
          title: `${pick(random, ANGLES)} ${pick(random, TOPICS)} ${pick(random, NOUNS)} ${n}-${r}`,
          kind: pick(random, KINDS),
          url: `https://example.com/paths/${n}/resources/${r}`,
          durationMinutes: 10 + Math.floor(random() * 50),
          focus: `How ${pick(random, NOUNS)} relate to ${pick(random, TOPICS)}`,
        };
      }),
    })),
  };
}
