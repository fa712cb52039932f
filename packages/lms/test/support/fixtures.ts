import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync, strFromU8 } from 'fflate';
import { parsePathDocument } from '@learnpath/content';
import { DOMParser } from '@xmldom/xmldom';
import { compilePath, LearningPathSchema, type LearningPath } from '@learnpath/schema';
import { seedDocument } from '@learnpath/schema/examples';

/** The seed path, compiled from the schema package's seed data. */
export function seedPath(): LearningPath {
  return compilePath(structuredClone(seedDocument));
}

/** The shipped seed document, content/batch-vs-stream-processing.md, parsed by the content package. */
export function shippedSeedPath(): LearningPath {
  const file = fileURLToPath(new URL('../../../../content/batch-vs-stream-processing.md', import.meta.url));
  const result = parsePathDocument(readFileSync(file, 'utf8'), { file: 'batch-vs-stream-processing.md' });
  if (result.path === null) throw new Error(`the seed document did not parse: ${JSON.stringify(result.diagnostics)}`);
  return result.path;
}

/** A path whose texts and URLs hold XML-special characters and non-ASCII text. */
export function trickyPath(): LearningPath {
  return LearningPathSchema.parse(
    compilePath({
      slug: 'tricky-path',
      title: 'Tricky <Path> & "Quotes" \'single\' — ünïcødé 日本語 😀',
      overview: 'An overview with <b>raw html</b> & ampersands\n\nand a second paragraph: ]]> done',
      tags: ['xml', 'unicode'],
      prerequisites: ['Know `<tags>` & entities'],
      phases: [
        {
          id: 'first',
          title: 'First <phase> & "more"',
          sequential: true,
          resources: [
            { id: 'linked', title: 'Linked <a href="x">resource</a> & co', kind: 'video', url: 'https://example.com/watch?v=1&list=a%20b&q="x"', durationMinutes: 10.7, focus: 'Focus on <this> & "that" — ✓' },
            { id: 'unlinked', title: 'Unlinked “resource” ‹›', kind: 'article', durationMinutes: 75, dependsOn: [{ resource: 'linked' }] },
          ],
        },
        {
          id: 'second',
          title: 'Second ]]> phase',
          resources: [{ id: 'third', title: "O'Reilly & Sons <3", kind: 'book', url: 'https://example.org/ö/ü?ä=1&b=2', dependsOn: [{ phase: 'first' }] }],
        },
      ],
      additionalResources: [{ title: 'More <links>', url: 'https://example.net/?a=1&b=2', description: 'Read & enjoy' }],
      supplementaryVideos: [{ title: 'Video "one"', url: null, durationMinutes: 12, channel: 'Chan & nel' }],
      checklist: [{ label: 'Done <all> & everything', target: { phase: 'first' }, checked: true }],
      notes: 'Notes with <script>alert(1)</script> & [a link](javascript:alert(1)).',
    }),
  );
}

/** The entries of a zip as text, by path, in archive order. */
export function unzipText(bytes: Uint8Array): Map<string, string> {
  const files = unzipSync(bytes);
  return new Map(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

/**
 * Parses XML into a DOM document with a standards-conforming parser (xmldom): references are
 * decoded once, and a document that is not well-formed throws.
 */
export function parseXml(text: string): Document {
  return new DOMParser({ onError: (level, message) => {
    if (level !== 'warning') throw new Error(`not well-formed XML: ${message}`);
  } }).parseFromString(text, 'text/xml') as unknown as Document;
}

/** Elements with a local name in a namespace, in document order. */
export function elements(parent: Document | Element, ns: string, localName: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(ns, localName));
}

/** Direct children of `parent` with a local name. */
export function children(parent: Element, localName: string): Element[] {
  // childNodes, not children: the DOM of xmlbuilder2 lists descendants under `children`.
  return Array.from(parent.childNodes).filter((c): c is Element => c.nodeType === 1 && (c as Element).localName === localName);
}

/** The text of the first direct child `<localName>` of `parent`. */
export function childText(parent: Element, localName: string): string | undefined {
  return children(parent, localName)[0]?.textContent ?? undefined;
}
