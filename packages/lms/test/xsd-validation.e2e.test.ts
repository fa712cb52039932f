import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LearningPath } from '@learnpath/schema';
import { renderCmi5 } from '../src/cmi5.js';
import { buildCommonCartridgeEntries, type ArchiveEntry } from '../src/common-cartridge.js';
import { buildLtiCartridgeEntries } from '../src/lti-cartridge.js';
import { pathArbitrary } from './support/arbitrary.js';
import { seedPath, shippedSeedPath, trickyPath } from './support/fixtures.js';
import { requireXmllint, validateXml, type SchemaName } from './support/xmllint.js';

// Every export validated against the official XSDs in xsd/ with xmllint.
const BASE = 'https://learn.example.com';
const skip = requireXmllint();

function withUrls(path: LearningPath): LearningPath {
  const copy = structuredClone(path);
  copy.phases[0]!.resources[0]!.url = 'https://example.com/batch?x=1&y=2';
  copy.phases[2]!.resources[1]!.url = 'https://example.com/optimise';
  return copy;
}

describe.skipIf(skip)('cmi5 course structure', () => {
  it('validates against the cmi5 CourseStructure.xsd', async () => {
    const empty = { ...seedPath(), phases: [] };
    const documents = [seedPath(), trickyPath(), empty].map((p, i) => ({ path: `cmi5-${i}.xml`, data: renderCmi5(p, { baseUrl: BASE }) }));
    expect((await validateXml(documents, 'cmi5')).failures).toEqual([]);
    const broken = { path: 'broken.xml', data: documents[0]!.data.replace(/moveOn="Completed"/, 'moveOn="Whenever"') };
    expect((await validateXml([broken], 'cmi5')).failures).toHaveLength(1);
  });
});

describe.skipIf(skip)('validation against the official XSDs (xmllint)', () => {
  const cases = [
    { name: 'seed', path: () => seedPath() },
    { name: 'shipped seed', path: () => shippedSeedPath() },
    { name: 'seed with URLs', path: () => withUrls(seedPath()) },
    { name: 'tricky texts', path: () => trickyPath() },
  ];
  for (const { name, path } of cases) {
    it(`validates the CC 1.3 and 1.1 manifests and web links of the ${name} path`, async () => {
      for (const version of ['1.3', '1.1'] as const) {
        const entries = buildCommonCartridgeEntries(path(), { version });
        const manifest = await validateXml(entries.filter((e) => e.path === 'imsmanifest.xml'), version === '1.3' ? 'cc13-manifest' : 'cc11-manifest');
        expect(manifest.failures).toEqual([]);
        const links = entries.filter((e) => e.path.startsWith('weblinks/'));
        if (links.length > 0) expect((await validateXml(links, version === '1.3' ? 'cc13-weblink' : 'cc11-weblink')).failures).toEqual([]);
        // Canvas's own XSD does not compile with libxml2; its files and the pages must at least be well-formed.
        const others = entries.filter((e) => e.path.endsWith('.xml') && e.path !== 'imsmanifest.xml' && !e.path.startsWith('weblinks/'));
        const pages = entries.filter((e) => e.path.endsWith('.html'));
        expect((await validateXml([...others, ...pages], 'well-formed')).failures).toEqual([]);
      }
    });
  }

  it('rejects a manifest that breaks the schema (the check can fail)', async () => {
    const manifest = buildCommonCartridgeEntries(seedPath())[0]!;
    const broken = { path: manifest.path, data: manifest.data.replace('<schemaversion>1.3.0</schemaversion>', '<schemaversion>9.9.9</schemaversion>') };
    expect((await validateXml([broken], 'cc13-manifest')).failures).toHaveLength(1);
    const manifest11 = buildCommonCartridgeEntries(seedPath(), { version: '1.1' })[0]!;
    const broken11 = { path: manifest11.path, data: manifest11.data.replace('type="webcontent"', 'type="not-a-cc-type"') };
    expect((await validateXml([broken11], 'cc11-manifest')).failures).toHaveLength(1);
  });
});

describe.skipIf(skip)('exports of random valid paths', () => {
  // Validation spawns xmllint, so the paths are sampled and each schema checks all of them
  // in one call; a failure names the path (its JSON is in the message) to reproduce it.
  it('always validate against the official XSDs', async () => {
    const paths = fc.sample(pathArbitrary, { numRuns: 25 });
    const batches = new Map<SchemaName, ArchiveEntry[]>();
    const add = (schema: SchemaName, entry: ArchiveEntry): void => {
      batches.set(schema, [...(batches.get(schema) ?? []), entry]);
    };
    paths.forEach((path, n) => {
      for (const version of ['1.3', '1.1'] as const) {
        for (const entry of buildCommonCartridgeEntries(path, { version, baseUrl: 'https://learn.example.com' })) {
          const named = { path: `${n}-${version}-${entry.path}`, data: entry.data };
          if (entry.path === 'imsmanifest.xml') add(version === '1.3' ? 'cc13-manifest' : 'cc11-manifest', named);
          else if (entry.path.startsWith('weblinks/')) add(version === '1.3' ? 'cc13-weblink' : 'cc11-weblink', named);
          else if (entry.path.endsWith('.xml') || entry.path.endsWith('.html')) add('well-formed', named);
        }
      }
      add('cmi5', { path: `${n}-cmi5.xml`, data: renderCmi5(path, { baseUrl: 'https://learn.example.com' }) });
      for (const entry of buildLtiCartridgeEntries(path, { baseUrl: 'https://learn.example.com', perPhase: n % 2 === 0 })) {
        add(entry.path === 'imsmanifest.xml' ? 'cc13-manifest' : 'cc-lti-link', { path: `${n}-lti-${entry.path}`, data: entry.data });
      }
    });
    for (const [schema, entries] of batches) {
      const { failures } = await validateXml(entries, schema);
      const described = failures.map((f) => ({ ...f, path: JSON.stringify(paths[Number.parseInt(f.name, 10)]) }));
      expect(described, `${schema}`).toEqual([]);
    }
  });
});
