import { readFile } from 'node:fs/promises';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { LearningPathSchema, pathReferences, validatePath, type Diagnostic, type LearningPath, type PathPointer } from '@learnpath/schema';
import { createCatalog, type Catalog } from './catalog.js';
import { checkAcrossPaths, type CompiledFile } from './cross-path.js';
import { countDiagnostics, sortDiagnostics } from './diagnostics.js';
import { createLineIndex } from './line-index.js';
import { describeFsError } from './list-files.js';
import type { CatalogLoad } from './load-catalog.js';
import type { SourcePosition } from './types.js';
import { describeIssues } from './zod-issues.js';

/** A compiled catalog as `learnpath build` writes it. */
export const CompiledCatalogSchema = z
  .strictObject({ paths: z.array(LearningPathSchema).describe('Every path of the catalog, with derived fields.') })
  .describe('A compiled catalog, as written by `learnpath build`.');
export type CompiledCatalog = z.output<typeof CompiledCatalogSchema>;

/** The JSON `learnpath build` writes for a catalog: `{ "paths": [...] }` in slug order, one line unless `pretty`. */
export function serializeCatalog(catalog: Catalog, pretty = false): string {
  const document: CompiledCatalog = { paths: [...catalog.paths.values()] };
  return `${JSON.stringify(document, null, pretty ? 2 : undefined)}\n`;
}

const START: SourcePosition = { line: 1, column: 1 };

/**
 * Loads a catalog from the JSON file `learnpath build` wrote: validates it with
 * `LearningPathSchema`, `validatePath` and the cross-path checks. Fast: positions in the file
 * are only worked out when something is wrong. Never throws for a bad file: it becomes diagnostics.
 */
export async function loadCatalogFile(file: string): Promise<CatalogLoad> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
    // A byte order mark is not JSON; a space keeps every offset in place.
    if (text.charCodeAt(0) === 0xfeff) text = ` ${text.slice(1)}`;
  } catch (error) {
    return failed([{ file, ...START, severity: 'error', code: 'LP001', message: `cannot read catalog file: ${describeFsError(error)}` }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return failed(jsonSyntaxErrors(text, file));
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
    return { file, path, slugAt: locate(['paths', i, 'slug']), references };
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
