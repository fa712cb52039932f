import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';
import type { Diagnostic, PathPointer } from '@learnpath/schema';
import { compileStructuredDocument } from './structured-document.js';
import type { ParseOptions, ParseResult, SourcePosition } from './types.js';

// Aliases expand on conversion; a small cap stops "billion laughs" documents from exhausting memory.
const MAX_ALIAS_COUNT = 100;

/**
 * Parses a YAML learning path document. Every syntax error (LP002), duplicate key (LP002) and
 * schema violation (LP004, LP201) carries the line and column it was found at, and `locate`
 * maps pointers into the compiled path back to the YAML source.
 */
export function parseYamlPath(text: string, options: ParseOptions): ParseResult {
  const { file } = options;
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, keepSourceTokens: false });
  const locate = (pointer: PathPointer): SourcePosition => at(offsetOf(doc.contents, pointer));

  for (const error of doc.errors) {
    diagnostics.push({ file, ...at(error.pos[0]), severity: 'error', code: 'LP002', message: describeYamlError(error.code, error.message, error.code === 'DUPLICATE_KEY' ? keyAt(doc, error.pos[0]) : '') });
  }
  for (const warning of doc.warnings) {
    diagnostics.push({ file, ...at(warning.pos[0]), severity: 'warning', code: 'LP002', message: warning.message.split('\n')[0] ?? warning.message });
  }
  if (doc.errors.length > 0) return { path: null, diagnostics, locate };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'LP002', message: `cannot read the YAML document: ${(error as Error).message}` });
    return { path: null, diagnostics, locate };
  }
  return compileStructuredDocument(value, locate, file, options.fallbackSlug, diagnostics);
}

function describeYamlError(code: string, message: string, source: string): string {
  const first = message.split('\n')[0] ?? message;
  if (code === 'DUPLICATE_KEY') return `duplicate key${source === '' ? '' : ` "${source.slice(0, 80)}"`}: each field may appear once`;
  if (code === 'MULTIPLE_DOCS') return 'expected one YAML document per file, found several (remove the extra "---")';
  return `invalid YAML: ${first}`;
}

/** The text of the mapping key that starts at an offset, for naming a duplicate key. */
function keyAt(doc: Document, offset: number): string {
  let found = '';
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * The source offset of the node a pointer names. A missing field points at its parent, except a
 * missing `id`, which points at the `title` it is derived from.
 */
function offsetOf(root: unknown, pointer: PathPointer): number {
  let node: unknown = root;
  let best = isNode(root) ? (root.range?.[0] ?? 0) : 0;
  for (let i = 0; i < pointer.length; i++) {
    const key = pointer[i]!;
    if (isMap(node)) {
      let pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair && key === 'id' && i === pointer.length - 1) pair = node.items.find((p) => isScalar(p.key) && p.key.value === 'title');
      if (!pair) return best;
      // A collection value starts on the line below its key, so the key is the better place to show.
      const target = isScalar(pair.value) ? pair.value : pair.key;
      if (isNode(target) && target.range) best = target.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!isNode(item)) return best;
      if (item.range) best = item.range[0];
      node = item;
    } else {
      return best;
    }
  }
  return best;
}
