import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readsAs, readsAsParsed } from './inline.js';

// Characters that matter to CommonMark inside a line, and plain ones.
const char = fc.constantFrom(...'ab Z1-—:/.\t*_`[]()<>\\&!|~#=+é'.split(''));
const text = fc.array(char, { maxLength: 12 }).map((chars) => chars.join(''));
// Shapes the shortcuts look for (bold titles, links), and anything else.
const markdown = fc.oneof(
  fc.tuple(text).map(([t]) => `**${t}**`),
  fc.tuple(text, text).map(([t, url]) => `[${t}](${url})`),
  fc.tuple(fc.constantFrom('', ' ', '  ', '    '), text, text).map(([indent, t, url]) => `${indent}[${t}](https://example.com/${url})`),
  text,
);

describe('readsAs', () => {
  // A source that reads as itself is taken as it is (inside the paragraph it was cut from, even
  // "****" or "# a" is text); every other answer must be the parser's.
  it('agrees with parsing the Markdown, for the words of a bold title or link and for other texts', () => {
    fc.assert(
      fc.property(markdown, text, (source, other) => {
        const normalize = (t: string): string => t.replace(/\s+/g, ' ').trim();
        const candidates = [other, source.replace(/^\s*\*\*|\*\*$/g, ''), source.replace(/^\s*\[|\]\(.*$/g, '')].map(normalize);
        for (const expected of candidates.filter((c) => c !== normalize(source))) expect(readsAs(source, expected)).toBe(readsAsParsed(source, expected));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a plain link and a plain bold title as their words', () => {
    expect(readsAs('[Processing Guide 1](https://example.com/guides/1)', 'Processing Guide 1')).toBe(true);
    expect(readsAs('**Topic 1-1 Reading**', 'Topic 1-1 Reading')).toBe(true);
    expect(readsAs('[A *b*](https://example.com)', 'A *b*')).toBe(false);
    expect(readsAs('[a](https://example.com/x y)', 'a')).toBe(false);
  });
});
