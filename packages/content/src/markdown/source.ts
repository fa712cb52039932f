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
    if (endLine <= startLine) return this.line(startLine).slice(indent).trim();
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
  // A tree along the pointers, so that recording and locating walk a few small maps instead of
  // building a string key for every pointer.
  private readonly root: PositionNode = {};

  /** Records where the thing at `at` (or its `member`) was written; the first record wins. */
  set(at: PathPointer, position: SourcePosition, member?: string | number): void {
    const node = this.node(at, member);
    node.position ??= position;
  }

  /** Records where the thing at `at` (or its `member`) was written, replacing an earlier, less precise record. */
  replace(at: PathPointer, position: SourcePosition, member?: string | number): void {
    this.node(at, member).position = position;
  }

  /**
   * Records where the members of the thing at `at` were written (a resource's fields are on its
   * first line, which is not where its list item starts): a member with no record of its own,
   * and anything inside one, is located there.
   */
  setMembers(at: PathPointer, position: SourcePosition): void {
    const node = this.node(at);
    node.members ??= position;
  }

  /** Where `at` was written, or where the nearest enclosing thing was; line 1 at worst. */
  locate(at: PathPointer): SourcePosition {
    let node: PositionNode | undefined = this.root;
    let found = this.root.position;
    for (let i = 0; i < at.length && node !== undefined; i++) {
      if (node.members) found = node.members;
      node = node.children?.get(indexOf(at[i]!));
      if (node?.position) found = node.position;
    }
    return found ?? { line: 1, column: 1 };
  }

  private node(at: PathPointer, member?: string | number): PositionNode {
    let node = this.root;
    for (const key of at) node = child(node, key);
    return member === undefined ? node : child(node, member);
  }
}

interface PositionNode {
  position?: SourcePosition;
  members?: SourcePosition;
  children?: Map<string | number, PositionNode>;
}

function child(node: PositionNode, member: string | number): PositionNode {
  const key = indexOf(member);
  const children = (node.children ??= new Map());
  let next = children.get(key);
  if (next === undefined) {
    next = {};
    children.set(key, next);
  }
  return next;
}

// An index written as a string ("2") is the same member as the number.
function indexOf(member: string | number): string | number {
  if (typeof member === 'number' || member === '') return member;
  const first = member.charCodeAt(0);
  return first >= 48 && first <= 57 && String(Number(member)) === member ? Number(member) : member;
}
