import { isAscii } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { LearningPathSchema, SlugSchema, pathReferences, validatePath, type Diagnostic, type LearningPath, type PathPointer } from '@learnpath/schema';
import { createCatalog, createLazyCatalog, deepFreeze, type Catalog } from './catalog.js';
import { catalogSchemaVersion, readSeal, sealHash } from './catalog-seal.js';
import { checkAcrossPaths, type CompiledFile } from './cross-path.js';
import { countDiagnostics, sortDiagnostics } from './diagnostics.js';
import { createLineIndex } from './line-index.js';
import { LazyPathMap, readSealedLayout, sealedTexts } from './sealed-paths.js';
import { describeFsError } from './list-files.js';
import { withPaths, type CatalogLoad } from './load-catalog.js';
import type { SourcePosition } from './types.js';
import { describeIssues } from './zod-issues.js';

/** A compiled catalog as `learnpath build` writes it. */
export const CompiledCatalogSchema = z
  .strictObject({
    schemaVersion: z
      .string()
      .regex(/^[\w.-]{1,200}$/)
      .optional()
      .describe('The version of the schema and checks the paths were validated with (with `contentHash`, the seal that spares checking them again).'),
    contentHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional()
      .describe('SHA-256 (hex) of the bytes of the file after this member: a file changed since it was built is refused.'),
    hashes: z.record(SlugSchema, z.string().regex(/^[0-9a-f]{32}$/)).optional().describe('The content hash of each path (its ETag), by slug.'),
    paths: z.array(LearningPathSchema).describe('Every path of the catalog, with derived fields.'),
  })
  .describe('A compiled catalog, as written by `learnpath build`.');
export type CompiledCatalog = z.output<typeof CompiledCatalogSchema>;

const START: SourcePosition = { line: 1, column: 1 };

/**
 * Loads a catalog from the JSON file `learnpath build` wrote. A sealed file (the seal
 * `learnpath build` writes) is checked by its content hash and schema version alone: its paths
 * were validated when it was built, so a file changed since or built with another schema is
 * refused (LP006). A file without a seal is validated with `LearningPathSchema`, `validatePath`
 * and the cross-path checks; positions in it are only worked out when something is wrong.
 * Never throws for a bad file: it becomes diagnostics.
 */
export async function loadCatalogFile(file: string): Promise<CatalogLoad> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return failed([{ file, ...START, severity: 'error', code: 'LP001', message: `cannot read catalog file: ${describeFsError(error)}` }]);
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const seal = readSeal(bytes.toString('latin1', bom, bom + 512));
  if (seal !== null) {
    const refused = checkSchemaVersion(seal.schemaVersion, file) ?? checkContentHash(seal.contentHash, bytes.subarray(bom + seal.end), file);
    if (refused) return failed([refused]);
    const lazy = loadSealedLazily(bytes.subarray(bom + seal.end));
    if (lazy !== null) return lazy;
  }
  const text = decodeText(bytes, bom);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return failed(jsonSyntaxErrors(text, file));
  }
  if (seal !== null) return loadSealed(value, file);
  if (value !== null && typeof value === 'object' && 'contentHash' in value) {
    return failed([{ file, ...START, severity: 'error', code: 'LP006', message: `${STALE_PREFIX}its "schemaVersion" and "contentHash" no longer open the file as \`learnpath build\` wrote them; ${REBUILD}` }]);
  }
  const parsed = CompiledCatalogSchema.safeParse(value);
  if (!parsed.success) {
    const locate = locator(text);
    return failed(describeIssues(parsed.error.issues, value).map((issue) => ({ file, ...locate(issue.at), severity: 'error' as const, code: issue.code, message: issue.message })));
  }
  const paths = parsed.data.paths;
  let diagnostics = checkCatalogPaths(paths, file, () => START);
  // Positions cost a second parse of the file: only pay for them when there is something to show.
  if (diagnostics.length > 0) diagnostics = checkCatalogPaths(paths, file, locator(text));
  sortDiagnostics(diagnostics);
  const ok = countDiagnostics(diagnostics).errors === 0;
  return { catalog: ok ? createCatalog(paths) : null, diagnostics, paths, fileCount: 1 };
}

const STALE_PREFIX = 'this built catalog cannot be trusted: ';
const REBUILD = 'rebuild it with `learnpath build` (or remove "schemaVersion" and "contentHash" to have every path checked)';

/** LP006 when a sealed file was validated with another schema. */
function checkSchemaVersion(schemaVersion: string, file: string): Diagnostic | null {
  const expected = catalogSchemaVersion();
  if (schemaVersion === expected) return null;
  return { file, ...START, severity: 'error', code: 'LP006', message: `${STALE_PREFIX}it was validated with schema version "${schemaVersion}", and this version of learnpath validates with "${expected}"; ${REBUILD}` };
}

// One hash of the raw bytes: about a tenth of the time JSON.parse takes over them.
function checkContentHash(contentHash: string, sealed: Uint8Array, file: string): Diagnostic | null {
  if (sealHash(sealed) === contentHash) return null;
  return { file, ...START, severity: 'error', code: 'LP006', message: `${STALE_PREFIX}its content does not match its "contentHash", so it changed after \`learnpath build\` wrote it; ${REBUILD}` };
}

// A file of ASCII (what `learnpath build` writes unless the content has other characters)
// decodes as Latin-1, a plain copy, several times faster than UTF-8 decoding.
function decodeText(bytes: Buffer, bom: number): string {
  const body = bom === 0 ? bytes : bytes.subarray(bom);
  const text = isAscii(body) ? body.toString('latin1') : body.toString('utf8');
  // A byte order mark is not JSON; a space keeps every offset in place.
  return bom === 0 ? text : ` ${text}`;
}

// A sealed file is what `learnpath build` wrote, byte for byte, after it validated every path:
// only its shape is looked at here.
function loadSealed(value: unknown, file: string): CatalogLoad {
  const { paths, hashes } = (value ?? {}) as { paths?: unknown; hashes?: unknown };
  if (!Array.isArray(paths) || hashes === null || typeof hashes !== 'object') {
    return failed([{ file, ...START, severity: 'error', code: 'LP006', message: `${STALE_PREFIX}it is sealed but has no "paths" list or "hashes"; ${REBUILD}` }]);
  }
  const byslug = new Map(Object.entries(hashes as Record<string, unknown>));
  const known = new Map<string, string>();
  for (const path of paths as LearningPath[]) {
    const hash = byslug.get(path.slug);
    if (typeof hash !== 'string') return failed([{ file, ...START, severity: 'error', code: 'LP006', message: `${STALE_PREFIX}it has no content hash for the path "${path.slug}"; ${REBUILD}` }]);
    known.set(path.slug, hash);
  }
  return { catalog: createCatalog(paths as LearningPath[], new Map(), known), diagnostics: [], paths: paths as LearningPath[], fileCount: 1 };
}

// A compact sealed file (what `learnpath build` writes by default) is not parsed up front: each
// path is parsed when first read, so that a large catalog serves its first request in a fraction
// of the time a whole parse takes. Null when the file is laid out otherwise (pretty-printed).
function loadSealedLazily(sealed: Buffer): CatalogLoad | null {
  const layout = readSealedLayout(sealed);
  if (layout === null) return null;
  const paths = new LazyPathMap(layout.slugs, sealedTexts(sealed, layout, !isAscii(sealed)), deepFreeze);
  const catalog = createLazyCatalog(paths, new Map(layout.slugs.map((slug, i) => [slug, layout.hashes[i]!])));
  return withPaths({ catalog, diagnostics: [], fileCount: 1 }, () => [...paths.values()]);
}

function failed(diagnostics: Diagnostic[]): CatalogLoad {
  return { catalog: null, diagnostics: sortDiagnostics(diagnostics), paths: [], fileCount: 1 };
}

function checkCatalogPaths(paths: readonly LearningPath[], file: string, locate: (at: PathPointer) => SourcePosition): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const compiled: CompiledFile[] = paths.map((path, i) => {
    for (const issue of validatePath(path)) {
      diagnostics.push({ file, ...locate(['paths', i, ...issue.at]), severity: issue.severity, code: issue.code, message: `path "${path.slug}": ${issue.message}` });
    }
    const references = pathReferences(path).map((ref) => ({ ...ref, position: locate(['paths', i, ...ref.at]) }));
    return { file, slug: path.slug, slugAt: locate(['paths', i, 'slug']), references };
  });
  diagnostics.push(...checkAcrossPaths(compiled));
  return diagnostics;
}

function locator(text: string): (at: PathPointer) => SourcePosition {
  const position = createLineIndex(text);
  const root = parseTree(text);
  return (at) => position(offsetIn(root, at));
}

function offsetIn(root: Node | undefined, at: PathPointer): number {
  let node = root;
  let best = root?.offset ?? 0;
  for (const key of at) {
    if (!node) break;
    let child: Node | undefined;
    if (node.type === 'object') child = node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
    else if (node.type === 'array' && typeof key === 'number') child = node.children?.[key];
    if (!child) break;
    best = child.offset;
    node = child;
  }
  return best;
}

function jsonSyntaxErrors(text: string, file: string): Diagnostic[] {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const position = createLineIndex(text);
  const at = errors[0] ? position(errors[0].offset) : START;
  return [{ file, ...at, severity: 'error', code: 'LP002', message: 'invalid JSON: expected the { "paths": [...] } document that `learnpath build` writes' }];
}
