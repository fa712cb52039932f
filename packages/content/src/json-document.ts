import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Diagnostic, PathPointer } from '@learnpath/schema';
import { createLineIndex } from './line-index.js';
import { compileStructuredDocument } from './structured-document.js';
import type { ParseOptions, ParseResult, SourcePosition } from './types.js';

const ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the file after the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

/**
 * Parses a JSON learning path document (strict JSON: no comments, no trailing commas, no
 * duplicate keys). Syntax errors are LP002 and schema violations LP004/LP201, each at its line
 * and column; `locate` maps pointers into the compiled path back to the JSON source.
 */
export function parseJsonPath(text: string, options: ParseOptions): ParseResult {
  const { file } = options;
  // A byte order mark is not JSON, but editors write it; a space keeps every offset in place.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const position = createLineIndex(source);
  const diagnostics: Diagnostic[] = [];
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const locate = (pointer: PathPointer): SourcePosition => position(offsetOf(root, pointer));

  // After the first syntax error the parser's recovery mostly reports echoes of it.
  const first = errors[0];
  if (first) {
    const name = printParseErrorCode(first.error);
    diagnostics.push({ file, ...position(first.offset), severity: 'error', code: 'LP002', message: `invalid JSON: ${ERROR_TEXT[name] ?? name}` });
  }
  if (root) reportDuplicateKeys(root, file, position, diagnostics);
  if (diagnostics.length > 0 || !root) {
    if (!root && diagnostics.length === 0) {
      diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'LP002', message: 'invalid JSON: the file is empty; expected an object' });
    }
    return { path: null, diagnostics, locate };
  }
  return compileStructuredDocument(getNodeValue(root), locate, file, options.fallbackSlug, diagnostics);
}

function reportDuplicateKeys(node: Node, file: string, position: (offset: number) => SourcePosition, diagnostics: Diagnostic[]): void {
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'object') {
      const seen = new Set<string>();
      for (const property of current.children ?? []) {
        const key = property.children?.[0];
        if (!key || typeof key.value !== 'string') continue;
        if (seen.has(key.value)) {
          diagnostics.push({ file, ...position(key.offset), severity: 'error', code: 'LP002', message: `duplicate key "${key.value}": each field may appear once` });
        }
        seen.add(key.value);
      }
    }
    for (const child of current.children ?? []) stack.push(child);
  }
}

/** The offset a pointer names: the value of a scalar field, the key of a collection field, else the nearest ancestor. */
function offsetOf(root: Node | undefined, pointer: PathPointer): number {
  if (!root) return 0;
  let best = root.offset;
  for (let depth = 1; depth <= pointer.length; depth++) {
    let prefix = pointer.slice(0, depth);
    let node = findNodeAtLocation(root, prefix);
    if (!node && depth === pointer.length && prefix[depth - 1] === 'id') {
      prefix = [...prefix.slice(0, -1), 'title'];
      node = findNodeAtLocation(root, prefix);
    }
    if (!node) return best;
    const isCollection = node.type === 'object' || node.type === 'array';
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    best = isCollection && key ? key.offset : node.offset;
  }
  return best;
}
