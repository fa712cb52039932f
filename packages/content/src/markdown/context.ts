import type { Node } from 'commonmark';
import type { ChecklistTarget, LearningPath, PathPointer, Prerequisite, Reference, ResourceKind } from '@learnpath/schema';
import type { ParseOptions, SourcePosition } from '../types.js';
import { isValidUrl, type KeyValue } from './fields.js';
import { opensFrontMatter, readFrontMatter, type FrontMatter } from './front-matter.js';
import { tokenizeReference, type RefToken } from './references.js';
import type { Segment } from './inline.js';
import type { Report } from './report.js';
import { describeBlock, isComment } from './blocks.js';
import { SourceLines, startOf } from './source.js';

/** What the parser has read so far, in the shape the schema's document takes. */
export interface Doc {
  slug?: string;
  title: string;
  overview: string;
  prerequisites: Prerequisite[];
  level: LearningPath['level'];
  tags: string[];
  phases: PhaseDoc[];
  additionalResources: LearningPath['additionalResources'];
  supplementaryVideos: LearningPath['supplementaryVideos'];
  checklist: { label: string; target: ChecklistTarget; checked: boolean }[];
  notes: string | null;
}
/** A phase being read. */
export interface PhaseDoc {
  id: string;
  title: string;
  sequential: boolean;
  resources: ResourceDoc[];
  dependsOn: Reference[];
}
/** A resource being read. */
export interface ResourceDoc {
  id: string;
  title: string;
  kind: ResourceKind;
  url: string | null;
  durationMinutes: number | null;
  focus: string | null;
  dependsOn: Reference[];
  next: Reference | null;
}

/** A reference phrase waiting for every phase to be known. */
export interface PendingReference {
  tokens: RefToken[];
  at: SourcePosition;
  phaseIndex: number;
  mode: 'next' | 'dependency';
  /** Where the references go in the compiled path: each is located at `at`. */
  pointer: PathPointer;
  /** Sets the resolved references. */
  apply: (refs: Reference[]) => void;
}

/** A checklist target waiting for every phase to be known. */
export interface PendingTarget {
  index: number;
  label: string;
  explicit: KeyValue | null;
  at: SourcePosition;
}

/** The state every section reader shares while one document is parsed. */
export interface ParseContext {
  readonly options: ParseOptions;
  readonly report: Report;
  readonly source: SourceLines;
  /** The Markdown the CommonMark parser reads: the document with its front matter's lines blank. */
  readonly markdown: string;
  readonly frontMatter: FrontMatter;
  readonly doc: Doc;
  readonly pending: PendingReference[];
  readonly targets: PendingTarget[];
  /** Where each phase heading is, by phase index. */
  readonly phaseHeadings: SourcePosition[];
  titleFound: boolean;
  missingTitleReported: boolean;
}

/** A fresh context for one document. */
export function createContext(text: string, options: ParseOptions, report: Report): ParseContext {
  const source = new SourceLines(text);
  const opened = opensFrontMatter(source.lines[0]);
  const frontMatter = readFrontMatter(source.lines, report);
  // Without front matter the lines are the text's own: no need to join them again.
  const markdown = opened ? source.lines.join('\n') : text;
  const doc: Doc = {
    title: '',
    overview: '',
    prerequisites: [],
    level: frontMatter.level ?? null,
    tags: frontMatter.tags ?? [],
    phases: [],
    additionalResources: [],
    supplementaryVideos: [],
    checklist: [],
    notes: null,
  };
  if (frontMatter.slug !== undefined) doc.slug = frontMatter.slug;
  return { options, report, source, markdown, frontMatter, doc, pending: [], targets: [], phaseHeadings: [], titleFound: false, missingTitleReported: false };
}

/** Reads every item of the lists of a section; anything else is stray content. */
export function readItems(ctx: ParseContext, blocks: Node[], name: string, expected: string, read: (item: Node) => void): void {
  for (const block of blocks) {
    if (block.type === 'list') {
      for (let item = block.firstChild; item !== null; item = item.next) read(item);
    } else if (!isComment(block)) {
      ctx.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in "## ${name}": expected a list of ${expected}`);
    }
  }
}

/** Reports the blocks of an item after its first paragraph that no field takes. */
export function strayInItem(ctx: ParseContext, from: Node | null, expected: string): void {
  for (let block = from; block !== null; block = block.next) {
    if (!isComment(block)) ctx.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in a list item: ${expected}`);
  }
}

/** Where a part of a one-line item was written: its column when it can be found on the line. */
export function within(ctx: ParseContext, head: Node, raw: string): SourcePosition {
  const at = startOf(head);
  const column = raw === '' ? -1 : ctx.source.line(at.line).indexOf(raw, at.column - 1);
  return column < 0 ? at : { line: at.line, column: column + 1 };
}

/** The URL when it is valid; otherwise an error (LP208) and null. */
export function checkUrl(ctx: ParseContext, url: string, at: SourcePosition): string | null {
  if (isValidUrl(url)) return url;
  ctx.report.error(at, 'LP208', `invalid URL "${url}": expected an absolute http:// or https:// URL`);
  return null;
}

/** Records a reference phrase, resolved once every phase is known. */
export function readReferences(ctx: ParseContext, value: KeyValue, phaseIndex: number, mode: 'next' | 'dependency', pointer: PathPointer, apply: (refs: Reference[]) => void): void {
  ctx.report.positions.replace(pointer, value.at);
  ctx.pending.push({ tokens: tokenizeReference(value.pieces), at: value.at, phaseIndex, mode, pointer, apply });
}

/** Warns (LP214) that a line with only spaced hyphens reads two ways; says which reading was taken. */
export function warnAmbiguous(ctx: ParseContext, at: SourcePosition, taken: readonly Segment[], other: readonly Segment[], unambiguous: string): void {
  const reading = (segments: readonly Segment[]): string => segments.map((s) => `"${s.raw}"`).join(' | ');
  ctx.report.warning(at, 'LP214', `this line reads two ways because " - " may be part of the title or a separator: read as ${reading(taken)}, not ${reading(other)}; to say which, write the title in bold or as a link, or separate the parts with " — ", e.g. ${unambiguous}`);
}
