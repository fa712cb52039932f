import type { Node } from 'commonmark';
import { UrlSchema } from '@learnpath/schema';
import type { SourcePosition } from '../types.js';
import { memoizeText } from '../text-memo.js';
import { piecesOf, plainOf, type Piece } from './inline.js';
import { startOf, type SourceLines } from './source.js';

/** A `Key: Value` line (a bullet, or a paragraph under a phase heading). */
export interface KeyValue {
  /** The key, lowercased, single-spaced: "next step". */
  key: string;
  /** The key as written: "Next step". */
  label: string;
  /** The inline pieces of the value. */
  pieces: Piece[];
  /** The value as Markdown source, trimmed. */
  raw: string;
  /** Where the value starts. */
  at: SourcePosition;
}

const KEY = /^\s*([A-Za-z][A-Za-z ]{0,30}?)\s*:\s*/;
const KEY_ALONE = /^\s*([A-Za-z][A-Za-z ]{0,30}?)\s*(:?)\s*$/;
const CLOSER = /\s*(?:\*\*|__|\*|_)?\s*/y;

/** Reads a paragraph as `Key: Value` (the key may be bold: `**Duration:** 35 minutes`); null otherwise. */
export function readKeyValue(paragraph: Node, source: SourceLines): KeyValue | null {
  const pieces = piecesOf(paragraph);
  const first = pieces[0];
  if (!first) return null;
  let label: string;
  let valuePieces: Piece[];
  if (first.kind === 'text') {
    const match = KEY.exec(first.text);
    if (!match) return null;
    label = match[1]!;
    const rest = first.text.slice(match[0].length);
    valuePieces = rest === '' ? pieces.slice(1) : [{ kind: 'text', text: rest }, ...pieces.slice(1)];
  } else if (first.node.type === 'strong' || first.node.type === 'emph') {
    const match = KEY_ALONE.exec(first.text);
    if (!match) return null;
    label = match[1]!;
    valuePieces = pieces.slice(1);
    if (match[2] === '') {
      const next = valuePieces[0];
      if (next?.kind !== 'text' || !next.text.trimStart().startsWith(':')) return null;
      const rest = next.text.trimStart().slice(1);
      valuePieces = rest.trim() === '' ? valuePieces.slice(1) : [{ kind: 'text', text: rest }, ...valuePieces.slice(1)];
    }
  } else return null;

  const raw = source.blocks(paragraph);
  let offset = raw.indexOf(':') + 1;
  // `**Key:** value` closes the bold after the colon.
  CLOSER.lastIndex = offset;
  if (CLOSER.exec(raw) !== null) offset = CLOSER.lastIndex;
  const start = startOf(paragraph);
  const newline = raw.indexOf('\n');
  const at = { line: start.line, column: start.column + Math.min(offset, newline < 0 ? raw.length : newline) };
  return { key: keyOf(label), label, pieces: valuePieces, raw: raw.slice(offset).trim(), at };
}

// The label is letters and single or repeated spaces, with none at either end.
const keyOf = memoizeText((label: string): string => {
  const lower = label.toLowerCase();
  return lower.includes('  ') ? lower.replace(/ +/g, ' ') : lower;
});

/** The plain text of a value, trimmed. */
export function plainValue(value: KeyValue): string {
  return plainOf(value.pieces).trim();
}

/** Pieces without blank text at either end. */
export function trimPieces(pieces: readonly Piece[]): Piece[] {
  let a = 0;
  let b = pieces.length;
  while (a < b && pieces[a]!.kind === 'text' && pieces[a]!.text.trim() === '') a++;
  while (b > a && pieces[b - 1]!.kind === 'text' && pieces[b - 1]!.text.trim() === '') b--;
  return pieces.slice(a, b);
}

/** A title as written: bold, linked (`[Title](url)`, bold inside a link or a link inside bold) or plain. */
export interface TitleText {
  title: string;
  /** The link destination, when the title is linked. */
  url: string | null;
}

/** Reads the title part of a line. */
export function readTitle(pieces: readonly Piece[]): TitleText {
  const trimmed = trimPieces(pieces);
  const only = trimmed.length === 1 ? trimmed[0] : undefined;
  if (only?.kind === 'node') {
    const { node } = only;
    if (node.type === 'link') return { title: only.text.trim(), url: node.destination ?? '' };
    if (node.type === 'strong' || node.type === 'emph') {
      const inner = innerLink(node);
      if (inner) return { title: only.text.trim(), url: inner.destination ?? '' };
      return { title: only.text.trim(), url: null };
    }
  }
  return { title: plainOf(trimmed).trim(), url: null };
}

/** The link a bold title consists of, if any. */
function innerLink(node: Node): Node | null {
  let link: Node | null = null;
  for (let child = node.firstChild; child !== null; child = child.next) {
    if (child.type === 'link' && link === null) link = child;
    else if (child.type === 'text' && (child.literal ?? '').trim() === '') continue;
    else return null;
  }
  return link;
}

/** Whether a URL is an absolute http(s) URL the schema accepts. */
export function isValidUrl(url: string): boolean {
  return UrlSchema.safeParse(url).success;
}

const LEADING_SEPARATOR = /^[—–-](?:\s|$)/;
const ONLY_MARKERS = /^[\s*_]*$/;

/**
 * Whether the title of a one-line item is missing, judged on its Markdown source: nothing before
 * the first separator ("— [Video]"), or only emphasis markers and blanks ("****", "** **").
 */
export function isMissingTitle(rawTitle: string): boolean {
  const raw = rawTitle.trim();
  return LEADING_SEPARATOR.test(raw) || ONLY_MARKERS.test(raw);
}
