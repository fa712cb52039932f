import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutTool } from '../../../../test/support/required-tool.js';

// Validation against the official XSDs with xmllint, as xsd/README.md describes. The schemas are
// part of this package (packages/lms/xsd), so any clone validates offline.
/** The folder holding the official XSDs. */
export const XSD_DIR = fileURLToPath(new URL('../../xsd/', import.meta.url));

const SCHEMAS = {
  'cc13-manifest': 'imscc-1.3-manifest.wrapper.xsd',
  'cc13-weblink': 'imscc-1.3/ccv1p3_imswl_v1p3.xsd',
  'cc11-manifest': 'imscc-1.1/cc11libxml2validator.xsd',
  'cc11-weblink': 'imscc-1.1/ccv1p1_imswl_v1p1.xsd',
  // The cartridge LTI link (imslticc_v1p0) is the same in CC 1.1 and 1.3; only Moodle's set holds its schema.
  'cc-lti-link': 'imscc-1.1/imslticc_v1p0p1.xsd',
  cmi5: 'cmi5/CourseStructure.xsd',
} as const;
/** The schemas the exports are checked against. */
export type SchemaName = keyof typeof SCHEMAS | 'well-formed';

function findXmllint(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin')) {
    const candidate = path.join(dir, 'xmllint');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return null;
}

const XMLLINT = findXmllint();

/** Why validation cannot run here, or null when it can. */
export const xmllintMissing: string | null =
  XMLLINT === null ? 'xmllint is not installed (apt-get install libxml2-utils)' : !existsSync(XSD_DIR) ? `the XSD folder ${XSD_DIR} is missing` : null;

/** Whether the xmllint tests must be skipped (printed); in CI a missing xmllint fails instead. */
export function requireXmllint(): boolean {
  return skipWithoutTool('xmllint', xmllintMissing);
}

/** The result of one xmllint run over several files. */
export interface ValidationResult {
  /** Names of files that failed, with xmllint's messages. */
  failures: { name: string; messages: string }[];
  output: string;
}

/** Validates XML documents (path → text) against a schema in one xmllint call. */
export async function validateXml(documents: readonly { path: string; data: string }[], schema: SchemaName): Promise<ValidationResult> {
  if (XMLLINT === null) throw new Error('xmllint is not available');
  const dir = await mkdtemp(path.join(tmpdir(), 'lp-xmllint-'));
  try {
    const files: string[] = [];
    for (const [i, doc] of documents.entries()) {
      const file = path.join(dir, `${i}-${doc.path.replace(/[^a-zA-Z0-9.-]+/g, '_')}`);
      await writeFile(file, doc.data, 'utf8');
      files.push(file);
    }
    const args = ['--nonet', '--noout'];
    if (schema !== 'well-formed') args.push('--schema', path.join(XSD_DIR, SCHEMAS[schema]));
    const output = await new Promise<string>((resolve) => {
      execFile(XMLLINT, [...args, ...files], { maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`));
    });
    const failures: { name: string; messages: string }[] = [];
    files.forEach((file, i) => {
      const mine = output.split('\n').filter((line) => line.startsWith(file) && !line.includes('Skipping import'));
      const validated = schema === 'well-formed' ? mine.length === 0 : mine.some((line) => line === `${file} validates`);
      if (!validated) failures.push({ name: documents[i]!.path, messages: mine.join('\n') || output });
    });
    return { failures, output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
