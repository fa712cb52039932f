import { describe, expect, it } from 'vitest';
import { compilePath, LearningPathSchema, type LearningPath } from '@learnpath/schema';
import { renderCmi5 } from './cmi5.js';
import { exportCommonCartridge } from './common-cartridge.js';
import { exportLtiCartridge } from './lti-cartridge.js';
import { parseXml, unzipText } from '../test/support/fixtures.js';

// Text that looks like XML references ("AT&amp;T", "&nbsp;", "&#1;") is content like any other:
// every XML file of every export must be well-formed and read back the very characters written.

const TRICKY = ['AT&amp;T', 'R&D &nbsp; no-break', 'code &#1; point', 'tags &lt;b&gt; & &#x41;'];

function entityPath(): LearningPath {
  return LearningPathSchema.parse(
    compilePath({
      slug: 'entity-path',
      title: `Path ${TRICKY[0]}`,
      overview: `Overview ${TRICKY[1]}`,
      tags: ['xml'],
      phases: [
        {
          id: 'first',
          title: `Phase ${TRICKY[2]}`,
          resources: [
            { id: 'linked', title: `Linked ${TRICKY[3]}`, kind: 'article', url: 'https://example.com/a?x=1&amp;y=2&#1;z', focus: `Focus ${TRICKY[1]}` },
            { id: 'unlinked', title: `Unlinked ${TRICKY[0]}`, kind: 'article', focus: `Focus ${TRICKY[2]}` },
          ],
        },
      ],
      additionalResources: [{ title: `More ${TRICKY[0]}`, url: 'https://example.net/?a=1&amp;b=2', description: `About ${TRICKY[3]}` }],
      checklist: [{ label: `Check ${TRICKY[1]}`, target: null, checked: false }],
      notes: `Notes ${TRICKY[2]} and ${TRICKY[3]}`,
    }),
  );
}

/** Every text node and attribute value of a document, in order. */
function texts(node: Node): string[] {
  const found: string[] = [];
  const walk = (n: Node): void => {
    if (n.nodeType === 3) found.push(n.nodeValue ?? '');
    if (n.nodeType === 1) for (const attribute of Array.from((n as Element).attributes)) found.push(attribute.value);
    for (const child of Array.from(n.childNodes)) walk(child);
  };
  walk(node);
  return found;
}

const xmlFiles = (entries: Map<string, string>): [string, string][] => [...entries].filter(([name]) => /\.(xml|html)$/.test(name));

describe('text that looks like XML references', () => {
  const path = entityPath();
  const documents: [string, string][] = [
    ...xmlFiles(unzipText(exportCommonCartridge(path, { version: '1.3' }).body as Uint8Array)).map(([n, t]): [string, string] => [`cc1.3 ${n}`, t]),
    ...xmlFiles(unzipText(exportCommonCartridge(path, { version: '1.1' }).body as Uint8Array)).map(([n, t]): [string, string] => [`cc1.1 ${n}`, t]),
    ...xmlFiles(unzipText(exportLtiCartridge(path, { baseUrl: 'https://learn.example.org' }).body as Uint8Array)).map(([n, t]): [string, string] => [`lti ${n}`, t]),
    ['cmi5.xml', renderCmi5(path, { baseUrl: 'https://learn.example.org' })],
  ];

  it.each(documents)('%s is well-formed and reads back the characters of the content', (_name, text) => {
    expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos);|#\d+;|#x[0-9a-fA-F]+;)/);
    // No character reference to a character XML cannot carry.
    expect(text).not.toMatch(/&#(0*[0-8]|0*1[0-9]|0*2[0-9]|0*3[01]);/);
    const read = texts(parseXml(text) as unknown as Node).join('\n');
    for (const fragment of TRICKY) {
      if (text.includes(fragment.replace(/&/g, '&amp;').replace(/</g, '&lt;'))) expect(read).toContain(fragment);
    }
    // Nothing of the content came back decoded: "&amp;" written is "&amp;" read.
    expect(read).not.toMatch(/AT&T|&nbsp;(?! no-break)/);
  });

  it('writes every content field somewhere in the Common Cartridge, read back unchanged', () => {
    const all = documents
      .filter(([name]) => name.startsWith('cc1.3'))
      .map(([, text]) => texts(parseXml(text) as unknown as Node).join('\n'))
      .join('\n');
    for (const fragment of TRICKY) expect(all).toContain(fragment);
    expect(all).toContain('https://example.com/a?x=1&amp;y=2&#1;z');
  });
});
