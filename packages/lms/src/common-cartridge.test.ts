import { describe, expect, it } from 'vitest';
import type { LearningPath } from '@learnpath/schema';
import { CANVAS_NAMESPACE } from './canvas.js';
import { buildCommonCartridgeEntries, exportCommonCartridge } from './common-cartridge.js';
import { childText, children, elements, parseXml, seedPath, shippedSeedPath, trickyPath, unzipText } from '../test/support/fixtures.js';

const CP13 = 'http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1';
const CP11 = 'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1';
const LOM13 = 'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest';
const WL13 = 'http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3';

function exportEntries(path: LearningPath, version: '1.3' | '1.1'): Map<string, string> {
  const file = exportCommonCartridge(path, { version });
  expect(file.body).toBeInstanceOf(Uint8Array);
  return unzipText(file.body as Uint8Array);
}

function withUrls(path: LearningPath): LearningPath {
  const copy = structuredClone(path);
  copy.phases[0]!.resources[0]!.url = 'https://example.com/batch?x=1&y=2';
  copy.phases[2]!.resources[1]!.url = 'https://example.com/optimise';
  return copy;
}

describe('Common Cartridge 1.3 of the seed', () => {
  const entries = exportEntries(seedPath(), '1.3');
  const manifest = parseXml(entries.get('imsmanifest.xml')!);

  it('names the file after the slug with the CC 1.3 content type', () => {
    const file = exportCommonCartridge(seedPath());
    expect(file.filename).toBe('batch-vs-stream-processing.imscc');
    expect(file.contentType).toBe('application/vnd.ims.imsccv1p3');
    expect([...entries.keys()][0]).toBe('imsmanifest.xml');
  });

  it('has one rooted-hierarchy organization: root → 3 phases → 7 resources in order', () => {
    const organizations = elements(manifest, CP13, 'organization');
    expect(organizations).toHaveLength(1);
    expect(organizations[0]!.getAttribute('structure')).toBe('rooted-hierarchy');
    const roots = children(organizations[0]!, 'item');
    expect(roots).toHaveLength(1);
    const phases = children(roots[0]!, 'item');
    expect(phases.map((p) => childText(p, 'title'))).toEqual(['Phase 1: Foundations', 'Phase 2: Core Concepts', 'Phase 3: Advanced Topics']);
    const resources = phases.map((p) => children(p, 'item').map((r) => childText(r, 'title')));
    expect(resources).toEqual([
      ['Batch Processing', 'Stream Processing'],
      ['Processing Comparison', 'Use Case Selection', 'Processing Implementation'],
      ['Hybrid Processing', 'Processing Optimization'],
    ]);
    expect(elements(manifest, CP13, 'item')).toHaveLength(1 + 3 + 7);
  });

  it('resolves every identifierref to a resource whose files are in the archive', () => {
    const resources = new Map(elements(manifest, CP13, 'resource').map((r) => [r.getAttribute('identifier'), r]));
    const refs = elements(manifest, CP13, 'item').flatMap((i) => (i.hasAttribute('identifierref') ? [i.getAttribute('identifierref')!] : []));
    expect(refs).toHaveLength(7);
    for (const ref of refs) expect(resources.has(ref), ref).toBe(true);
    const referenced = new Set<string>();
    for (const resource of resources.values()) {
      for (const file of children(resource, 'file')) {
        const href = file.getAttribute('href')!;
        expect(entries.has(href), href).toBe(true);
        referenced.add(href);
      }
    }
    expect([...entries.keys()].filter((p) => p !== 'imsmanifest.xml' && !referenced.has(p))).toEqual([]);
  });

  it('carries LOM metadata: title, language and description', () => {
    const general = elements(manifest, LOM13, 'general')[0]!;
    expect(childText(children(general, 'title')[0]!, 'string')).toBe('Batch vs Stream Processing');
    expect(childText(general, 'language')).toBe('en');
    expect(childText(children(general, 'description')[0]!, 'string')).toMatch(/^Batch and stream processing/);
  });

  it('turns resources without a URL into HTML pages with kind, duration, focus and dependencies', () => {
    const page = entries.get('wiki_content/processing-comparison.html')!;
    expect(page).toContain('<title>Processing Comparison</title>');
    expect(page).toContain('<meta name="identifier" content="lp.batch-vs-stream-processing.res.processing-comparison"/>');
    expect(page).toContain('<dd>Article</dd>');
    expect(page).toContain('<dd>30 minutes</dd>');
    expect(page).toContain('<dt>Complete first</dt><dd><ul><li>Phase 1: Foundations</li></ul></dd>');
    const withFocus = entries.get('wiki_content/batch-processing.html')!;
    expect(withFocus).toContain('<dt>Focus</dt><dd>Understanding batch processing and its characteristics</dd>');
  });

  it('writes an About page with the overview, prerequisites and checklist', () => {
    const about = entries.get('wiki_content/about-this-path.html')!;
    expect(about).toContain('<h2>Overview</h2><p>Batch and stream processing are two different approaches to data processing.</p>');
    expect(about).toContain('<li>Understanding of data processing concepts and system architecture.</li>');
    expect(about).toContain('<li>☐ Phase 1 completed</li>');
    const resource = elements(manifest, CP13, 'resource').find((r) => r.getAttribute('href') === 'wiki_content/about-this-path.html');
    expect(resource?.getAttribute('intendeduse')).toBe('syllabus');
  });

  it('marks Foundations as the prerequisite of the phases that depend on it in module_meta.xml', () => {
    const meta = parseXml(entries.get('course_settings/module_meta.xml')!);
    const modules = elements(meta, CANVAS_NAMESPACE, 'module');
    expect(modules.map((m) => [childText(m, 'title'), childText(m, 'position'), childText(m, 'require_sequential_progress')])).toEqual([
      ['Phase 1: Foundations', '1', 'true'],
      ['Phase 2: Core Concepts', '2', 'true'],
      ['Phase 3: Advanced Topics', '3', 'true'],
    ]);
    const prerequisites = modules.map((m) => elements(m, CANVAS_NAMESPACE, 'prerequisite').map((p) => [p.getAttribute('type'), childText(p, 'identifierref')]));
    expect(prerequisites).toEqual([[], [['context_module', 'lp.batch-vs-stream-processing.phase.foundations']], []]);
    // Module ids are the organization's phase item ids, so both views describe the same modules.
    const phaseItemIds = children(children(elements(manifest, CP13, 'organization')[0]!, 'item')[0]!, 'item').map((i) => i.getAttribute('identifier'));
    expect(modules.map((m) => m.getAttribute('identifier'))).toEqual(phaseItemIds);
    // Every item is a must_view requirement, so prerequisites and sequential progress can be met.
    for (const m of modules) {
      const items = elements(m, CANVAS_NAMESPACE, 'item').map((i) => i.getAttribute('identifier'));
      const required = elements(m, CANVAS_NAMESPACE, 'completionRequirement').map((c) => childText(c, 'identifierref'));
      expect(required).toEqual(items);
    }
  });

  it('flags the cartridge for Canvas with a resource pointing at canvas_export.txt', () => {
    const flag = elements(manifest, CP13, 'resource').find((r) => r.getAttribute('href') === 'course_settings/canvas_export.txt');
    expect(flag?.getAttribute('type')).toBe('associatedcontent/imscc_xmlv1p3/learning-application-resource');
    expect(children(flag!, 'file').map((f) => f.getAttribute('href'))).toContain('course_settings/module_meta.xml');
  });

  it('turns resources with a URL into web links and Canvas ExternalUrl items', () => {
    const linked = exportEntries(withUrls(seedPath()), '1.3');
    const link = parseXml(linked.get('weblinks/batch-processing.xml')!);
    expect(childText(link.documentElement, 'title')).toBe('Batch Processing');
    expect(elements(link, WL13, 'url')[0]!.getAttribute('href')).toBe('https://example.com/batch?x=1&y=2');
    expect(linked.has('wiki_content/batch-processing.html')).toBe(false);
    const resource = elements(parseXml(linked.get('imsmanifest.xml')!), CP13, 'resource').find((r) => r.getAttribute('identifier') === 'lp.batch-vs-stream-processing.res.batch-processing');
    expect(resource?.getAttribute('type')).toBe('imswl_xmlv1p3');
    const item = elements(parseXml(linked.get('course_settings/module_meta.xml')!), CANVAS_NAMESPACE, 'item')[0]!;
    expect([childText(item, 'content_type'), childText(item, 'url')]).toEqual(['ExternalUrl', 'https://example.com/batch?x=1&y=2']);
  });
});

describe('links to the learner pages', () => {
  it('links resource pages and the About page to /learn pages, never to the JSON API', () => {
    const file = exportCommonCartridge(seedPath(), { version: '1.3', baseUrl: 'https://learn.example.com' });
    const withBase = unzipText(file.body as Uint8Array);
    expect(withBase.get('wiki_content/processing-comparison.html')).toContain('href="https://learn.example.com/learn/batch-vs-stream-processing/processing-comparison"');
    expect(withBase.get('wiki_content/about-this-path.html')).toContain('href="https://learn.example.com/learn/batch-vs-stream-processing"');
    for (const [name, text] of withBase) expect(text, name).not.toContain('/v1/');
  });
});

describe('the shipped seed document (content/batch-vs-stream-processing.md)', () => {
  it('exports root → 3 phases → 7 resources, and Phase 2 requires Phase 1 in Canvas', () => {
    const entries = exportEntries(shippedSeedPath(), '1.3');
    const manifest = parseXml(entries.get('imsmanifest.xml')!);
    const phases = children(children(elements(manifest, CP13, 'organization')[0]!, 'item')[0]!, 'item');
    expect(phases.map((p) => children(p, 'item').length)).toEqual([2, 3, 2]);
    const ids = new Set(elements(manifest, CP13, 'resource').map((r) => r.getAttribute('identifier')));
    expect(elements(manifest, CP13, 'item').filter((i) => i.hasAttribute('identifierref')).every((i) => ids.has(i.getAttribute('identifierref')))).toBe(true);
    const modules = elements(parseXml(entries.get('course_settings/module_meta.xml')!), CANVAS_NAMESPACE, 'module');
    expect(modules.map((m) => elements(m, CANVAS_NAMESPACE, 'prerequisite').map((p) => childText(p, 'title')))).toEqual([[], ['Phase 1: Foundations'], []]);
  });
});

describe('Common Cartridge 1.1', () => {
  it('uses the CC 1.1 namespaces and resource types and leaves out Canvas files', () => {
    const entries = exportEntries(withUrls(seedPath()), '1.1');
    const manifest = parseXml(entries.get('imsmanifest.xml')!);
    expect(manifest.documentElement.namespaceURI).toBe(CP11);
    expect(elements(manifest, CP11, 'schemaversion')[0]!.textContent).toBe('1.1.0');
    expect(new Set(elements(manifest, CP11, 'resource').map((r) => r.getAttribute('type')))).toEqual(new Set(['imswl_xmlv1p1', 'webcontent']));
    expect(parseXml(entries.get('weblinks/batch-processing.xml')!).documentElement.namespaceURI).toBe('http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1');
    expect([...entries.keys()].some((p) => p.startsWith('course_settings/'))).toBe(false);
    expect(exportCommonCartridge(seedPath(), { version: '1.1' }).filename).toBe('batch-vs-stream-processing.cc11.imscc');
  });
});

describe('determinism', () => {
  it('gives byte-identical archives for the same content', () => {
    for (const version of ['1.3', '1.1'] as const) {
      const a = exportCommonCartridge(withUrls(seedPath()), { version }).body;
      const b = exportCommonCartridge(withUrls(seedPath()), { version }).body;
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    }
  });

  it('changes only the manifest, the page and module_meta.xml when one resource title changes', () => {
    const before = exportEntries(seedPath(), '1.3');
    const edited = seedPath();
    edited.phases[1]!.resources[1]!.title = 'Choosing a Use Case';
    const after = exportEntries(edited, '1.3');
    expect([...after.keys()]).toEqual([...before.keys()]);
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
    expect(changed.sort()).toEqual(['course_settings/module_meta.xml', 'imsmanifest.xml', 'wiki_content/use-case-selection.html']);
    // Identifiers do not follow titles: an LMS re-import updates the same items.
    const ids = (m: string): string[] => elements(parseXml(m), CP13, 'item').map((i) => i.getAttribute('identifier')!);
    expect(ids(after.get('imsmanifest.xml')!)).toEqual(ids(before.get('imsmanifest.xml')!));
  });
});

describe('escaping', () => {
  it('reads titles, URLs and text with XML-special characters and non-ASCII back unchanged', () => {
    const path = trickyPath();
    const entries = exportEntries(path, '1.3');
    const manifest = parseXml(entries.get('imsmanifest.xml')!);
    const general = elements(manifest, LOM13, 'general')[0]!;
    expect(childText(children(general, 'title')[0]!, 'string')).toBe(path.title);
    expect(childText(children(general, 'description')[0]!, 'string')).toBe(path.overview);
    const titles = elements(manifest, CP13, 'item').flatMap((i) => (children(i, 'title').length > 0 ? [childText(i, 'title')] : []));
    expect(titles).toEqual(path.phases.flatMap((p) => [`Phase ${p.number}: ${p.title}`, ...p.resources.map((r) => r.title)]));
    const link = parseXml(entries.get('weblinks/linked.xml')!);
    expect(childText(link.documentElement, 'title')).toBe(path.phases[0]!.resources[0]!.title);
    expect(elements(link, WL13, 'url')[0]!.getAttribute('href')).toBe(path.phases[0]!.resources[0]!.url);
    const third = parseXml(entries.get('weblinks/third.xml')!);
    expect(elements(third, WL13, 'url')[0]!.getAttribute('href')).toBe(path.phases[1]!.resources[0]!.url);
    const meta = parseXml(entries.get('course_settings/module_meta.xml')!);
    expect(elements(meta, CANVAS_NAMESPACE, 'item').map((i) => childText(i, 'title'))).toEqual(path.phases.flatMap((p) => p.resources.map((r) => r.title)));
    const about = entries.get('wiki_content/about-this-path.html')!;
    expect(about).not.toContain('<script>');
    expect(about).not.toContain('javascript:');
    expect(about).toContain('&lt;script&gt;');
  });

  it('replaces characters XML cannot carry instead of writing a broken file', () => {
    const path = seedPath();
    path.title = 'Control \u0001 char and lone \uD800 surrogate';
    const manifest = buildCommonCartridgeEntries(path)[0]!.data;
    expect(manifest).toContain('Control \uFFFD char and lone \uFFFD surrogate');
    expect(() => parseXml(manifest)).not.toThrow();
  });
});
