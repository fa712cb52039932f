import { describe, expect, it } from 'vitest';
import { CMI5_NAMESPACE, exportCmi5, renderCmi5 } from './cmi5.js';
import { ExportOptionsError } from './options.js';
import { childText, children, elements, parseXml, seedPath, trickyPath } from '../test/support/fixtures.js';

const BASE = 'https://learn.example.com';

function langText(parent: Element, name: string): string | undefined {
  const node = children(parent, name)[0];
  return node ? childText(node, 'langstring') : undefined;
}

describe('cmi5 course structure', () => {
  it('makes the path a course, phases blocks and resources AUs with stable IRIs', () => {
    const doc = parseXml(renderCmi5(seedPath(), { baseUrl: `${BASE}/` }));
    expect(doc.documentElement.localName).toBe('courseStructure');
    expect(doc.documentElement.namespaceURI).toBe(CMI5_NAMESPACE);
    const course = elements(doc, CMI5_NAMESPACE, 'course')[0]!;
    expect(course.getAttribute('id')).toBe(`${BASE}/v1/paths/batch-vs-stream-processing`);
    expect(langText(course, 'title')).toBe('Batch vs Stream Processing');
    const blocks = elements(doc, CMI5_NAMESPACE, 'block');
    expect(blocks.map((b) => [b.getAttribute('id'), langText(b, 'title')])).toEqual([
      [`${BASE}/v1/paths/batch-vs-stream-processing/phases/foundations`, 'Phase 1: Foundations'],
      [`${BASE}/v1/paths/batch-vs-stream-processing/phases/core-concepts`, 'Phase 2: Core Concepts'],
      [`${BASE}/v1/paths/batch-vs-stream-processing/phases/advanced-topics`, 'Phase 3: Advanced Topics'],
    ]);
    const aus = elements(doc, CMI5_NAMESPACE, 'au');
    expect(aus).toHaveLength(7);
    expect(aus.every((au) => au.getAttribute('moveOn') === 'Completed')).toBe(true);
    // Every AU launches the learner page of its resource, which reports completion to the LMS.
    expect(childText(aus[0]!, 'url')).toBe(`${BASE}/learn/batch-vs-stream-processing/batch-processing`);
    expect(children(blocks[1]!, 'au').map((au) => langText(au, 'title'))).toEqual(['Processing Comparison', 'Use Case Selection', 'Processing Implementation']);
  });

  it('launches the learner page for resources with a URL too, and takes identifiers from the base IRI when given', () => {
    const path = seedPath();
    path.phases[0]!.resources[1]!.url = 'https://example.com/stream?a=1&b=2';
    const doc = parseXml(renderCmi5(path, { baseUrl: BASE, baseIri: 'https://id.example.org/learnpath' }));
    const au = elements(doc, CMI5_NAMESPACE, 'au')[1]!;
    expect(childText(au, 'url')).toBe(`${BASE}/learn/batch-vs-stream-processing/stream-processing`);
    expect(au.getAttribute('id')).toBe('https://id.example.org/learnpath/v1/paths/batch-vs-stream-processing/resources/stream-processing');
  });

  it('is a single cmi5.xml file served as XML', () => {
    const file = exportCmi5(seedPath(), { baseUrl: BASE });
    expect(file.filename).toBe('batch-vs-stream-processing.cmi5.xml');
    expect(file.contentType).toBe('application/xml; charset=utf-8');
    expect(file.body).toBe(exportCmi5(seedPath(), { baseUrl: BASE }).body);
  });

  it('refuses to export without a usable base URL', () => {
    expect(() => renderCmi5(seedPath(), { baseUrl: '' })).toThrow(ExportOptionsError);
    expect(() => renderCmi5(seedPath(), { baseUrl: 'ftp://example.com' })).toThrow(ExportOptionsError);
    expect(() => renderCmi5(seedPath(), { baseUrl: 'not a url' })).toThrow(/absolute http/);
  });

  it('leaves out empty phases and gives a path without resources one AU', () => {
    const path = seedPath();
    path.phases[1]!.resources = [];
    expect(elements(parseXml(renderCmi5(path, { baseUrl: BASE })), CMI5_NAMESPACE, 'block')).toHaveLength(2);
    const empty = { ...seedPath(), phases: [] };
    const aus = elements(parseXml(renderCmi5(empty, { baseUrl: BASE })), CMI5_NAMESPACE, 'au');
    expect(aus.map((au) => childText(au, 'url'))).toEqual([`${BASE}/learn/batch-vs-stream-processing`]);
  });

  it('reads XML-special and non-ASCII titles back unchanged', () => {
    const path = trickyPath();
    const doc = parseXml(renderCmi5(path, { baseUrl: BASE }));
    expect(langText(elements(doc, CMI5_NAMESPACE, 'course')[0]!, 'title')).toBe(path.title);
    expect(elements(doc, CMI5_NAMESPACE, 'au').map((au) => langText(au, 'title'))).toEqual(path.phases.flatMap((p) => p.resources.map((r) => r.title)));
    expect(childText(elements(doc, CMI5_NAMESPACE, 'au')[0]!, 'url')).toBe(`${BASE}/learn/${path.slug}/${path.phases[0]!.resources[0]!.id}`);
  });
});
