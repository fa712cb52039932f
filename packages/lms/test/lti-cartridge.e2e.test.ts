import { describe, expect, it } from 'vitest';
import { exportPath } from '../src/export.js';
import { ExportOptionsError } from '../src/options.js';
import { buildLtiCartridgeEntries, LTI_CC_NAMESPACE } from '../src/lti-cartridge.js';
import { elements, parseXml, seedPath, trickyPath, unzipText } from './support/fixtures.js';
import { requireXmllint, validateXml } from './support/xmllint.js';

const skip = requireXmllint();

const CP13 = 'http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1';
const BLTI = 'http://www.imsglobal.org/xsd/imsbasiclti_v1p0';
const LTICM = 'http://www.imsglobal.org/xsd/imslticm_v1p0';
const BASE = 'https://learn.example.org';

function linkOf(xml: string) {
  const doc = parseXml(xml);
  const text = (name: string) => elements(doc, BLTI, name)[0]?.textContent ?? null;
  const custom = Object.fromEntries(elements(elements(doc, BLTI, 'custom')[0]!, LTICM, 'property').map((p) => [p.getAttribute('name'), p.textContent]));
  return { root: doc.documentElement!.namespaceURI, title: text('title'), launchUrl: text('launch_url'), secureLaunchUrl: text('secure_launch_url'), custom };
}

describe('thin cartridge (imscc-lti)', () => {
  it('holds one LTI link per path that launches the path through the tool', () => {
    const file = exportPath(seedPath(), 'imscc-lti', { baseUrl: `${BASE}/` });
    expect(file.filename).toBe('batch-vs-stream-processing.lti.imscc');
    expect(file.contentType).toBe('application/vnd.ims.imsccv1p3');
    const entries = unzipText(file.body as Uint8Array);
    expect([...entries.keys()]).toEqual(['imsmanifest.xml', 'lti/batch-vs-stream-processing.xml']);
    const manifest = parseXml(entries.get('imsmanifest.xml')!);
    const resources = elements(manifest, CP13, 'resource');
    expect(resources.map((r) => [r.getAttribute('type'), r.getAttribute('identifier')])).toEqual([['imsbasiclti_xmlv1p0', 'lp.batch-vs-stream-processing.lti-res.batch-vs-stream-processing']]);
    const items = elements(manifest, CP13, 'item').filter((i) => i.hasAttribute('identifierref'));
    expect(items.map((i) => i.getAttribute('identifierref'))).toEqual([resources[0]!.getAttribute('identifier')]);
    expect(linkOf(entries.get('lti/batch-vs-stream-processing.xml')!)).toEqual({
      root: LTI_CC_NAMESPACE,
      title: 'Batch vs Stream Processing',
      launchUrl: `${BASE}/learn/batch-vs-stream-processing`,
      secureLaunchUrl: `${BASE}/learn/batch-vs-stream-processing`,
      custom: { path: 'batch-vs-stream-processing' },
    });
  });

  it('holds one link per phase with perPhase, in phase order', () => {
    const entries = buildLtiCartridgeEntries(seedPath(), { baseUrl: 'http://127.0.0.1:3000', perPhase: true });
    const links = entries.slice(1).map((e) => linkOf(e.data));
    expect(links.map((l) => [l.title, l.launchUrl, l.secureLaunchUrl, l.custom])).toEqual([
      ['Batch vs Stream Processing: Phase 1: Foundations', 'http://127.0.0.1:3000/learn/batch-vs-stream-processing?phase=foundations', null, { path: 'batch-vs-stream-processing', phase: 'foundations' }],
      ['Batch vs Stream Processing: Phase 2: Core Concepts', 'http://127.0.0.1:3000/learn/batch-vs-stream-processing?phase=core-concepts', null, { path: 'batch-vs-stream-processing', phase: 'core-concepts' }],
      ['Batch vs Stream Processing: Phase 3: Advanced Topics', 'http://127.0.0.1:3000/learn/batch-vs-stream-processing?phase=advanced-topics', null, { path: 'batch-vs-stream-processing', phase: 'advanced-topics' }],
    ]);
  });

  it('is byte-identical for the same path and refuses to export without a base URL', () => {
    const a = exportPath(seedPath(), 'imscc-lti', { baseUrl: BASE });
    const b = exportPath(seedPath(), 'imscc-lti', { baseUrl: BASE });
    expect(Buffer.from(a.body as Uint8Array).equals(Buffer.from(b.body as Uint8Array))).toBe(true);
    expect(() => exportPath(seedPath(), 'imscc-lti')).toThrow(ExportOptionsError);
    expect(() => exportPath(seedPath(), 'imscc-lti', { baseUrl: 'ftp://x' })).toThrow(ExportOptionsError);
  });
});

describe.skipIf(skip)('thin cartridge against the official XSDs (xmllint)', () => {
  it.each([
    ['the seed', seedPath(), false],
    ['the seed per phase', seedPath(), true],
    ['a path with hostile text', trickyPath(), true],
  ])('%s validates', async (_name, path, perPhase) => {
    const entries = buildLtiCartridgeEntries(path, { baseUrl: BASE, perPhase });
    expect((await validateXml(entries.slice(0, 1), 'cc13-manifest')).failures).toEqual([]);
    expect((await validateXml(entries.slice(1), 'cc-lti-link')).failures).toEqual([]);
  });

  it('fails a link without its vendor', async () => {
    const [, link] = buildLtiCartridgeEntries(seedPath(), { baseUrl: BASE });
    const broken = { path: 'broken.xml', data: link!.data.replace(/<blti:vendor>[\s\S]*<\/blti:vendor>/, '') };
    expect((await validateXml([broken], 'cc-lti-link')).failures).toHaveLength(1);
  });
});
