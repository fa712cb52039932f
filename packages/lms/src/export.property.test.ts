import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePath, UrlSchema, type LearningPath, type LearningPathDocument } from '@learnpath/schema';
import { renderCmi5 } from './cmi5.js';
import { buildCommonCartridgeEntries, type ArchiveEntry } from './common-cartridge.js';
import { exportPath } from './export.js';
import { buildLtiCartridgeEntries } from './lti-cartridge.js';
import { validateXml, xmllintSkipReason, type SchemaName } from './test-support/xmllint.js';

// Any text an author might paste, including control characters and lone surrogates.
const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
const url = fc.option(fc.webUrl({ withQueryParameters: true, withFragments: true }), { nil: null }).map((u) => (u !== null && UrlSchema.safeParse(u).success ? u : null));
const resource = fc.record({
  title: text,
  kind: fc.constantFrom('article', 'video', 'course', 'book', 'exercise', 'other' as const),
  url,
  durationMinutes: fc.option(fc.integer({ min: 0, max: 6000 }).map((n) => n / 4), { nil: null }),
  focus: fc.option(text, { nil: null }),
});
const phase = fc.record({ title: text, sequential: fc.boolean(), resources: fc.array(resource, { maxLength: 4 }), dependOnEarlier: fc.boolean() });

/** Random valid paths: explicit ids, dependencies only on earlier phases. */
const pathArbitrary: fc.Arbitrary<LearningPath> = fc
  .record({
    slug: fc.stringMatching(/^[a-z0-9]{1,12}(?:-[a-z0-9]{1,12}){0,3}$/),
    title: text,
    overview: fc.string({ unit: 'binary', maxLength: 200 }),
    tags: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: 4 }),
    phases: fc.array(phase, { maxLength: 4 }),
    notes: fc.option(fc.string({ unit: 'binary', maxLength: 100 }), { nil: null }),
  })
  .map((raw): LearningPath => {
    const doc: LearningPathDocument = {
      slug: raw.slug,
      title: raw.title,
      overview: raw.overview,
      tags: raw.tags,
      notes: raw.notes,
      phases: raw.phases.map((p, n) => ({
        id: `p${n}`,
        title: p.title,
        sequential: p.sequential,
        resources: p.resources.map((r, i) => ({
          ...r,
          id: `r${n}-${i}`,
          dependsOn: i === 0 && n > 0 && p.dependOnEarlier ? [{ phase: `p${n - 1}` }] : [],
        })),
      })),
    };
    return compilePath(doc);
  });

describe('exports of random valid paths', () => {
  it('are deterministic', () => {
    fc.assert(
      fc.property(pathArbitrary, (path) => {
        for (const format of ['jsonld', 'imscc', 'imscc-1.1', 'imscc-lti', 'cmi5'] as const) {
          const a = exportPath(path, format, { baseUrl: 'https://learn.example.com' }).body;
          const b = exportPath(path, format, { baseUrl: 'https://learn.example.com' }).body;
          expect(typeof a === 'string' ? a : Buffer.from(a).toString('base64')).toBe(typeof b === 'string' ? b : Buffer.from(b).toString('base64'));
        }
      }),
      { numRuns: 25 },
    );
  });

  // Validation spawns xmllint, so the paths are sampled and each schema checks all of them
  // in one call; a failure names the path (its JSON is in the message) to reproduce it.
  it.skipIf(xmllintSkipReason !== null)('always validate against the official XSDs', async () => {
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
