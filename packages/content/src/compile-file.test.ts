import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashContent } from './catalog.js';
import { loadDocument } from './compile-file.js';

const dir = await mkdtemp(join(tmpdir(), 'learnpath-compile-file-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const doc = (title: string, overview: string): string =>
  [`# ${title}`, '', '## Overview', '', overview, '', '## Learning Path', '', '### Phase 1: Basics', '', '1. **First step** — [Article]', '   - Duration: 10 minutes', ''].join('\n');

// The JSON of a path, as the parser's strings and as parsed back: each must give the same bytes.
async function compile(name: string, text: string): Promise<{ json: string; hash: string | null; path: unknown }> {
  const file = join(dir, `${name}.md`);
  await writeFile(file, text);
  const { compiled, hash, diagnostics } = loadDocument(`${name}.md`, file, { maxBytes: 5e6, checkOutput: false });
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}: ${d.code} ${d.message}`)).toEqual([]);
  return { json: compiled!.json, hash, path: JSON.parse(compiled!.json) };
}

describe('loadDocument: the JSON and the hash of a compiled path', () => {
  const small: [name: string, title: string, overview: string][] = [
    ['ascii', 'Plain Title', 'An overview.'],
    ['latin1', 'Café Crème', 'Déjà vu: an overview.'],
    ['beyond-latin1', 'Streams — and Tables', 'An overview with “quotes” and emoji 🚀.'],
  ];
  for (const [name, title, overview] of small) {
    it(`${name}: the JSON is the path's own, and the hash is hashContent of the path`, async () => {
      const { json, hash, path } = await compile(name, doc(title, overview));
      expect(path).toMatchObject({ title, overview });
      expect(json).toBe(JSON.stringify(path));
      expect(hash).toBe(hashContent(path));
    });
  }

  // JSON about as long as the buffer it is encoded into in one pass (64 Ki characters), ending
  // in characters of one to four bytes of UTF-8, where a cut-short encoding would show.
  const large = (padding: number, tail: string): string =>
    [`# Large Path`, '', '## Overview', '', `${'o'.repeat(19_000 + padding)}${tail}`, '', '## Notes', '', 'n'.repeat(19_000), '', '## Learning Path', '', '### Phase 1: Basics', '',
      ...Array.from({ length: 14 }, (_, i) => `${i + 1}. **Step ${i + 1}** — [Article]\n${' '.repeat(String(i + 1).length + 2)}- Focus: ${'f'.repeat(1_900)}`), ''].join('\n');
  it('large JSON around 64 Ki characters, ASCII or ending in multi-byte characters: the same JSON and hash', async () => {
    const base = (await compile('large-base', large(0, ''))).json.length;
    const target = 64 * 1024;
    let checked = 0;
    for (const tail of ['', 'é', '—', '—'.repeat(3), '🚀', '🚀'.repeat(2)]) {
      for (const offset of [-6, -4, -3, -2, -1, 0, 1, 2, 5]) {
        const padding = target + offset - base - tail.length;
        const { json, hash, path } = await compile(`large-${String(checked).padStart(4, '0')}`, large(padding, tail));
        expect(json.length).toBe(target + offset);
        expect(json).toBe(JSON.stringify(path));
        expect(hash).toBe(hashContent(path));
        checked++;
      }
    }
    expect(checked).toBe(54);
  });
});

describe('loadDocument: derived totals', () => {
  it('refuses a phase whose durations add up to more than the schema allows, at its heading, with or without the output check', async () => {
    const file = join(dir, 'long.md');
    const resource = (n: number): string[] => [`${n}. **Part ${n}** — [Course]`, '   - Duration: 10000 hours', ''];
    await writeFile(file, ['# Long', '', '## Learning Path', '', '### Phase 1: All of it', '', ...resource(1), ...resource(2)].join('\n'));
    for (const checkOutput of [false, true]) {
      const { diagnostics } = loadDocument('long.md', file, { maxBytes: 5e6, checkOutput });
      expect(diagnostics.map((d) => `${d.line}: ${d.code} ${d.message}`)).toContain(
        '5: LP004 the durations of phase "all-of-it" add up to 1,200,000 minutes, more than the 1,000,000 a phase or a path can total: check for a duration in the wrong unit',
      );
    }
  });
});
