import type { Node } from 'commonmark';
import type { PathPointer } from '@learnpath/schema';
import type { SourcePosition } from '../types.js';

/** The lines of a document, for slicing the author's own Markdown by source position. */
export class SourceLines {
  readonly lines: string[];

  constructor(text: string) {
    // Line ends as CommonMark counts them: \r\n, \n or a lone \r.
    this.lines = text.split(/\r\n|\r|\n/);
  }

  /** The text of a 1-based line ('' past the end). */
  line(n: number): string {
    return this.lines[n - 1] ?? '';
  }

  /**
   * The raw Markdown of the blocks from `first` to `last` (siblings in one container): the
   * first line from the block's column, later lines without the container's indentation.
   */
  blocks(first: Node, last: Node = first): string {
    const [[startLine, startColumn]] = first.sourcepos;
    const [, [endLine]] = last.sourcepos;
    const indent = startColumn - 1;
    const out: string[] = [this.line(startLine).slice(indent)];
    for (let n = startLine + 1; n <= endLine; n++) out.push(stripIndent(this.line(n), indent));
    return out.join('\n').trim();
  }

  /** Whole lines `from`..`to` (1-based, inclusive) without blank lines at either end. */
  range(from: number, to: number): string {
    let a = from;
    let b = Math.min(to, this.lines.length);
    while (a <= b && this.line(a).trim() === '') a++;
    while (b >= a && this.line(b).trim() === '') b--;
    return a > b ? '' : this.lines.slice(a - 1, b).join('\n');
  }
}

function stripIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(i);
}

/** The start of a block node. */
export function startOf(node: Node): SourcePosition {
  const [[line, column]] = node.sourcepos;
  return { line: Math.max(1, line), column: Math.max(1, column) };
}

/** Where each part of a parsed path was written, by pointer. */
export class PositionMap {
  private readonly positions = new Map<string, SourcePosition>();
  // Where the members of a thing were written when they have no record of their own.
  private readonly members = new Map<string, SourcePosition>();

  /** Records where the thing at `at` was written (the first record wins). */
  set(at: PathPointer, position: SourcePosition): void {
    const key = keyOf(at);
    if (!this.positions.has(key)) this.positions.set(key, position);
  }

  /** Records where the thing at `at` was written, replacing an earlier, less precise record. */
  replace(at: PathPointer, position: SourcePosition): void {
    this.positions.set(keyOf(at), position);
  }

  /**
   * Records where the members of the thing at `at` were written (a resource's fields are on its
   * first line, which is not where its list item starts): a member with no record of its own,
   * and anything inside one, is located there.
   */
  setMembers(at: PathPointer, position: SourcePosition): void {
    const key = keyOf(at);
    if (!this.members.has(key)) this.members.set(key, position);
  }

  /** Where `at` was written, or where the nearest enclosing thing was; line 1 at worst. */
  locate(at: PathPointer): SourcePosition {
    for (let n = at.length; n >= 0; n--) {
      const key = keyOf(at.slice(0, n));
      const found = (n < at.length ? this.members.get(key) : undefined) ?? this.positions.get(key);
      if (found) return found;
    }
    return { line: 1, column: 1 };
  }
}

function keyOf(at: PathPointer): string {
  return at.join('\u0000');
}
