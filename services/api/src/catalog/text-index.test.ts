import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newIndex, RankedResults, searchOptions } from './text-index.js';

// RankedResults scores each word once and intersects: it must rank exactly as MiniSearch
// ranks the whole query with AND (its score is the sum of the words' scores times their count).

const TITLES = [
  'Stream Processing with Kafka',
  'Kafka Streams in Practice',
  'Batch Processing at Scale',
  'Données et réseaux: sécurité',
  'Processing Pipelines and Streaming Joins',
  'Streams, Windows and Watermarks',
  'SQL Window Functions',
  'Kafka Consumers and Partitions',
  'Stream Joins',
  'Processing Streams of Events',
];
const OVERVIEWS = ['Events as they arrive.', 'Brokers, partitions and stream processing.', 'Warehouses and batch loads.', 'Publier des données.', 'Joins over windows of events.'];
const WORDS = ['stream', 'streams', 'strem', 'proc', 'processing', 'kafka', 'kafak', 'joins', 'donnees', 'securite', 'windows', 'window', 'events', 'pa', 'zebra', 'sql'];

function reference(index: ReturnType<typeof newIndex>, boost: Record<string, number>, q: string): number[] {
  let results = index.search(q, { ...searchOptions(false), boost });
  if (results.length === 0) results = index.search(q, { ...searchOptions(true), boost });
  return results.sort((a, b) => b.score - a.score || (a.id as number) - (b.id as number)).map((r) => r.id as number);
}

describe('RankedResults', () => {
  const boost = { title: 4, overview: 2 };
  const index = newIndex(['title', 'overview']);
  TITLES.forEach((title, id) => index.add({ id, title, overview: OVERVIEWS[id % OVERVIEWS.length]! }));

  it('ranks every query of one to three words as MiniSearch does with AND', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }), (words) => {
        const q = words.join(' ');
        expect([...new RankedResults(index, boost).search(q)], q).toEqual(reference(index, boost, q));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same ranking for a query whose words were seen in other queries first', () => {
    const ranked = new RankedResults(index, boost);
    ranked.search('stream');
    ranked.search('kafka joins');
    expect([...ranked.search('stream kafka')]).toEqual(reference(index, boost, 'stream kafka'));
    expect([...ranked.search('kafak streams')]).toEqual(reference(index, boost, 'kafak streams'));
    expect([...ranked.search('  ,  ')]).toEqual([]);
  });
});
