import { Parser, type Node } from 'commonmark';

// Helpers over the inline children of one block (a heading, a paragraph). CommonMark splits
// text into many small nodes ("[", "Article", "]"); pieces merge them back so that small
// patterns can be matched against one inline text at a time.

/** A run of plain text, or an inline node (strong, emph, link, code…) with its plain text. */
export type Piece = { kind: 'text'; text: string } | { kind: 'node'; node: Node; text: string };

// Regular expressions used on every line are made once (a literal in a function makes a new
// object each time it runs).
const SPACED_DASH = /\s[—–]\s/;
const BRACKET_OR_ESCAPE = /[[\]\\]/;
const TASK_BOX = /^[ xX]$/;
const UP_TO_THREE_SPACES = /^ {0,3}\S/;

/** The inline pieces of a block, adjacent texts merged; soft line breaks read as spaces. */
export function piecesOf(block: Node): Piece[] {
  const pieces: Piece[] = [];
  for (let child = block.firstChild; child !== null; child = child.next) {
    const text = child.type === 'text' ? (child.literal ?? '') : child.type === 'softbreak' ? ' ' : null;
    const last = pieces[pieces.length - 1];
    if (text !== null) {
      if (last && last.kind === 'text') last.text += text;
      else pieces.push({ kind: 'text', text });
    } else {
      pieces.push({ kind: 'node', node: child, text: plainText(child) });
    }
  }
  return pieces;
}

/** The plain text of an inline node: formatting dropped, code kept, soft breaks as spaces. */
export function plainText(node: Node): string {
  switch (node.type) {
    case 'text':
    case 'code':
    case 'html_inline':
      return node.literal ?? '';
    case 'softbreak':
      return ' ';
    case 'linebreak':
      return '\n';
    default: {
      let out = '';
      for (let child = node.firstChild; child !== null; child = child.next) out += plainText(child);
      return out;
    }
  }
}

/** The plain text of pieces. */
export function plainOf(pieces: readonly Piece[]): string {
  let out = '';
  for (const piece of pieces) out += piece.text;
  return out;
}

// A field separator: an em dash, en dash or hyphen with spaces around it. When a line uses em or
// en dashes, a spaced hyphen belongs to the text: titles often contain " - ".
const ANY_SEPARATOR = /\s+[—–-]\s+/g;
const DASH_SEPARATOR = /\s+[—–]\s+/g;

/** Whether plain text would be split by a separator if written unbolded (" — ", " – ", " - "). */
export function hasSeparator(text: string): boolean {
  return /\s[—–-](?:\s|$)|^[—–-](?:\s|$)/.test(text);
}

/** A part of an inline text between separators: its pieces, and its raw Markdown when known. */
export interface Segment {
  pieces: Piece[];
  raw: string;
}

/** A line cut into segments; `alternative` is the other reading when the cut is ambiguous. */
export interface SplitLine {
  segments: Segment[];
  /** Set when the line has more spaced hyphens than parts and no dashes: the first cuts taken as separators. */
  alternative: Segment[] | null;
}

/**
 * Splits the inline pieces of a block at separators in top-level text (a dash inside a bold or
 * linked title does not split), into at most `max` segments. With dashes, the last segment takes
 * the rest; with only hyphens and more of them than parts, the title (first segment) takes the
 * extra hyphens, and the reading that cuts at the first hyphens is returned as `alternative`.
 * `raw` is the block's Markdown source: each segment's raw text is found by cutting the source
 * at the separator whose prefix reads as the same plain text as the pieces before it.
 */
export function splitLine(pieces: readonly Piece[], raw: string, max: number): SplitLine {
  const dashes = pieces.some((p) => p.kind === 'text' && SPACED_DASH.test(p.text));
  const pattern = dashes ? DASH_SEPARATOR : ANY_SEPARATOR;
  // Every candidate cut: the pieces between cuts, the separator text, the plain text before it.
  const parts: Piece[][] = [[]];
  const separators: string[] = [];
  const befores: string[] = [];
  let before = '';
  for (const piece of pieces) {
    if (piece.kind !== 'text') {
      parts[parts.length - 1]!.push(piece);
      before += piece.text;
      continue;
    }
    let rest = piece.text;
    for (;;) {
      pattern.lastIndex = 0;
      const match = pattern.exec(rest);
      if (!match) break;
      const head = rest.slice(0, match.index);
      if (head !== '') parts[parts.length - 1]!.push({ kind: 'text', text: head });
      before += head;
      befores.push(before);
      separators.push(match[0]);
      before += match[0];
      rest = rest.slice(match.index + match[0].length);
      parts.push([]);
    }
    if (rest !== '') parts[parts.length - 1]!.push({ kind: 'text', text: rest });
    before += rest;
  }
  const extra = parts.length - max;
  const cut = { parts, separators, befores, raw, pattern };
  if (extra <= 0) return { segments: buildSegments(cut, range(0, separators.length)), alternative: null };
  const first = buildSegments(cut, range(0, max - 1));
  if (dashes) return { segments: first, alternative: null };
  return { segments: buildSegments(cut, range(extra, max - 1)), alternative: first };
}

/** The candidate cuts of a line (`splitLine`): pieces between them, separator texts, plain text before each. */
interface Cuts {
  parts: Piece[][];
  separators: string[];
  befores: string[];
  raw: string;
  pattern: RegExp;
}

/** The segments of a line cut at the given candidate cuts (the others keep their separator text). */
function buildSegments({ parts, separators, befores, raw, pattern }: Cuts, cutAt: readonly number[]): Segment[] {
  const segments: Piece[][] = [[]];
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) {
      if (cutAt.includes(i - 1)) segments.push([]);
      else appendText(segments[segments.length - 1]!, separators[i - 1]!);
    }
    for (const piece of parts[i]!) {
      if (piece.kind === 'text') appendText(segments[segments.length - 1]!, piece.text);
      else segments[segments.length - 1]!.push(piece);
    }
  }
  const raws = rawSegments(raw, cutAt.map((i) => befores[i]!), pattern);
  return segments.map((p, i) => ({ pieces: p, raw: raws?.[i] ?? plainOf(p).trim() }));
}

/** `count` consecutive numbers from `from`. */
function range(from: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(from + i);
  return out;
}

/** Splits a line into at most `max` segments (see `splitLine`). */
export function splitSegments(pieces: readonly Piece[], raw: string, max: number): Segment[] {
  return splitLine(pieces, raw, max).segments;
}

function appendText(pieces: Piece[], text: string): void {
  const last = pieces[pieces.length - 1];
  if (last?.kind === 'text') last.text += text;
  else pieces.push({ kind: 'text', text });
}

const inlineParser = new Parser();

/** Cuts raw Markdown at separators so that each prefix reads as the expected plain text. */
function rawSegments(raw: string, cuts: readonly string[], pattern: RegExp): string[] | null {
  if (cuts.length === 0) return [raw.trim()];
  const out: string[] = [];
  let from = 0;
  let cut = 0;
  // The same global pattern splitLine cut with: it is done with it by now.
  const separator = pattern;
  separator.lastIndex = 0;
  let tries = 0;
  let expected = normalize(cuts[0]!);
  for (let match = separator.exec(raw); match !== null && cut < cuts.length; match = separator.exec(raw)) {
    // Bounded: a line has few separators; stop early on pathological input.
    if (++tries > 32) return null;
    if (readsAs(raw.slice(0, match.index), expected)) {
      out.push(raw.slice(from, match.index).trim());
      from = match.index + match[0].length;
      cut++;
      if (cut < cuts.length) expected = normalize(cuts[cut]!);
    }
  }
  if (cut < cuts.length) return null;
  out.push(raw.slice(from).trim());
  return out;
}

// Plain text bold as a whole (`**Title**`, the usual resource title), with nothing in it that
// Markdown could read as syntax: its plain text is what is between the asterisks.
const PLAIN_STRONG = /^\*\*([^\s*_`[\]<>\\&!|~#](?:[^*_`[\]<>\\&!|~#]*[^\s*_`[\]<>\\&!|~#])?)\*\*$/;

// A link (`[Guide](https://example.com/guide)`) whose text has nothing Markdown could read as
// syntax, and whose destination needs no brackets or escapes: its plain text is its text.
const PLAIN_LINK = /^\[([^\s*_`[\]<>\\&!|~#](?:[^*_`[\]<>\\&!|~#]*[^\s*_`[\]<>\\&!|~#])?)\]\([^\s()<>\\]*\)$/;

/**
 * Whether inline Markdown reads as `expected` (normalised plain text). A source that already
 * reads as it has no Markdown in effect (any syntax would change its text), and a plain bold
 * title or plain link reads as its words; anything else is parsed to find out.
 */
export function readsAs(markdown: string, expected: string): boolean {
  // Four spaces or a tab first would make it code: parsed below.
  if (UP_TO_THREE_SPACES.test(markdown)) {
    const source = normalize(markdown);
    if (source === expected) return true;
    const plain = PLAIN_STRONG.exec(source) ?? PLAIN_LINK.exec(source);
    if (plain !== null) return normalize(plain[1]!) === expected;
  }
  return readsAsParsed(markdown, expected);
}

/** `readsAs` without the shortcuts: the Markdown is parsed (exported for tests). */
export function readsAsParsed(markdown: string, expected: string): boolean {
  return normalize(plainOfMarkdown(markdown)) === expected;
}

// Text with no run of white space to fold, and none at either end.
const FOLDED = /^(?:\S+(?: \S+)*)?$/;

function normalize(text: string): string {
  return FOLDED.test(text) ? text : text.replace(/\s+/g, ' ').trim();
}

/** The plain text of a short piece of inline Markdown. */
function plainOfMarkdown(markdown: string): string {
  const doc = inlineParser.parse(markdown);
  let out = '';
  for (let block = doc.firstChild; block !== null; block = block.next) {
    // A prefix that opens a block of another kind cannot be the cut we look for.
    if (block.type !== 'paragraph') return '\u0000';
    out += plainText(block);
  }
  return out;
}

/** Whether raw inline text is a template placeholder such as `[Duration]` or `[URL/Link description]`. */
export function isPlaceholder(raw: string): boolean {
  const text = raw.trim();
  return text.length > 2 && text.startsWith('[') && text.endsWith(']') && !BRACKET_OR_ESCAPE.test(text.slice(1, -1)) && text.slice(1, -1).trim() !== '' && !TASK_BOX.test(text.slice(1, -1));
}

// ASCII punctuation CommonMark may read as syntax inside a line of text.
const ESCAPED = new Set(['\\', '`', '*', '_', '[', ']', '<', '>', '#', '&', '!', '|', '~']);

/**
 * Escapes plain text so that it reads back as the same plain text in an inline context
 * (a heading, bold text, link text or a list item): syntax characters get a backslash,
 * line breaks and other control characters become numeric character references.
 */
export function escapeText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (ESCAPED.has(char)) out += `\\${char}`;
    else if (code < 32 || code === 127) out += `&#${code};`;
    else out += char;
  }
  // At the start of a list item or paragraph these would open a block.
  const blockStart = /^(\d{1,9})([.)])|^([-+=])/.exec(out);
  if (blockStart) {
    out = blockStart[1] !== undefined ? `${blockStart[1]}\\${blockStart[2]}${out.slice(blockStart[0].length)}` : `\\${out}`;
  }
  return out;
}

/** A link destination as Markdown: bare when safe, in angle brackets otherwise. */
export function formatDestination(url: string): string {
  if (/^[^\s<>()\\&]*$/.test(url) && url !== '') return url;
  return `<${url.replace(/[\\<>&]/g, (c) => `\\${c}`)}>`;
}
