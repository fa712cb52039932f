import { Parser, type Node } from 'commonmark';
import {
  SlugSchema,
  slugify,
  type ChecklistTarget,
  type LearningPath,
  type PathPointer,
  type Prerequisite,
  type Reference,
  type ResourceKind,
} from '@learnpath/schema';
import { parseDuration } from '../duration.js';
import type { ParseOptions, ParseResult, SourcePosition } from '../types.js';
import { isValidUrl, kindLabel, plainValue, readKeyValue, readKind, readTitle, type KeyValue } from './fields.js';
import { readFrontMatter, type FrontMatter } from './front-matter.js';
import { isPlaceholder, piecesOf, plainOf, plainText, splitSegments } from './inline.js';
import { ReferenceIndex, resolveReference, slugOfDocumentLink, tokenizeReference, type RefToken } from './references.js';
import { inferChecklistTarget } from './checklist.js';
import { Report } from './report.js';
import { describeBlock, forEachLink, isComment } from './blocks.js';
import { compileDocument } from './compile-document.js';
import { SourceLines, startOf } from './source.js';

// The Markdown parser is commonmark.js: it keeps source positions on every block and was the
// fastest tree parser measured on the seed document (warm, per parse, on the 2-core build
// machine: commonmark 0.06 ms, markdown-it 0.07 ms; mdast-util-from-markdown with GFM ~7 ms
// cold). Task-list boxes ("[ ]", "[x]") are read off an item's text, so no GFM extension is needed.

/** The `##` sections of a learning path document, by normalized heading. */
const SECTIONS = {
  overview: 'Overview',
  prerequisites: 'Prerequisites',
  'learning path': 'Learning Path',
  'additional resources': 'Additional Resources',
  'supplementary videos': 'Supplementary Videos',
  'completion checklist': 'Completion Checklist',
  notes: 'Notes',
} as const;
type SectionKey = keyof typeof SECTIONS;
const SECTION_LIST = Object.values(SECTIONS).join(', ');

const RESOURCE_KEYS = 'Duration, Focus, Next step, Dependencies, URL or Id';
const RESOURCE_FIELDS: Record<string, 'duration' | 'focus' | 'next' | 'dependencies' | 'url' | 'id'> = {
  duration: 'duration',
  length: 'duration',
  time: 'duration',
  focus: 'focus',
  'next step': 'next',
  next: 'next',
  dependencies: 'dependencies',
  dependency: 'dependencies',
  'depends on': 'dependencies',
  url: 'url',
  link: 'url',
  id: 'id',
};
const DURATION_EXAMPLES = 'expected e.g. "35 minutes", "45 min", "1.5 hours", "1 hour 15 minutes", "1h 30m", "10:42" (mm:ss) or "1:02:03"';

type Doc = {
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
};
type PhaseDoc = { id: string; title: string; sequential: boolean; resources: ResourceDoc[]; dependsOn: Reference[] };
type ResourceDoc = {
  id: string;
  title: string;
  kind: ResourceKind;
  url: string | null;
  durationMinutes: number | null;
  focus: string | null;
  dependsOn: Reference[];
  next: Reference | null;
};

/** A reference phrase waiting for every phase to be known. */
interface PendingReference {
  tokens: RefToken[];
  at: SourcePosition;
  phaseIndex: number;
  mode: 'next' | 'dependency';
  apply: (refs: Reference[]) => void;
}

/** A checklist target waiting for every phase to be known. */
interface PendingTarget {
  index: number;
  label: string;
  explicit: KeyValue | null;
  at: SourcePosition;
}

/**
 * Parses a learning path document in the Markdown format (see docs/document-format.md). It never
 * throws: everything it cannot understand becomes a diagnostic, and `path` is compiled whenever
 * the document has a title.
 */
export function parseMarkdownPath(text: string, options: ParseOptions): ParseResult {
  const report = new Report(options.file);
  let path: LearningPath | null = null;
  try {
    path = new MarkdownPathParser(String(text), options, report).parse();
  } catch (error) {
    report.error({ line: 1, column: 1 }, 'LP002', `the document could not be read: ${error instanceof Error ? error.message : String(error)}`);
    path = null;
  }
  const { positions } = report;
  return { path, diagnostics: report.diagnostics, locate: (at: PathPointer) => positions.locate(at) };
}

class MarkdownPathParser {
  private readonly source: SourceLines;
  private readonly frontMatter: FrontMatter;
  private readonly doc: Doc;
  private readonly pending: PendingReference[] = [];
  private readonly targets: PendingTarget[] = [];
  private titleFound = false;

  constructor(
    text: string,
    private readonly options: ParseOptions,
    private readonly report: Report,
  ) {
    this.source = new SourceLines(text);
    this.frontMatter = readFrontMatter(this.source.lines, report);
    this.doc = {
      title: '',
      overview: '',
      prerequisites: [],
      level: this.frontMatter.level ?? null,
      tags: this.frontMatter.tags ?? [],
      phases: [],
      additionalResources: [],
      supplementaryVideos: [],
      checklist: [],
      notes: null,
    };
    if (this.frontMatter.slug !== undefined) this.doc.slug = this.frontMatter.slug;
  }

  parse(): LearningPath | null {
    const root = new Parser().parse(this.source.lines.join('\n'));
    this.readBlocks(root);
    this.resolvePending();
    if (!this.titleFound) return null;
    return this.compile();
  }

  // ---- document structure -------------------------------------------------------------------

  private readBlocks(root: Node): void {
    const seen = new Set<SectionKey>();
    let section: { key: SectionKey | null; heading: Node; blocks: Node[] } | null = null;
    const close = (next: Node | null): void => {
      if (!section) return;
      const lastLine = next ? startOf(next).line - 1 : this.source.lines.length;
      if (section.key !== null) this.readSection(section.key, section.heading, section.blocks, lastLine);
      section = null;
    };
    for (let block = root.firstChild; block !== null; block = block.next) {
      if (block.type === 'heading' && block.level === 1) {
        if (!this.titleFound && section === null) {
          this.readTitle(block);
          continue;
        }
        close(block);
        this.report.error(startOf(block), 'LP203', `a document has one "# Title"; this one is a second: use "##" for a section or "###" for a phase`);
        continue;
      }
      if (block.type === 'heading' && block.level === 2) {
        close(block);
        const name = plainText(block).trim();
        const key = name.toLowerCase().replace(/\s+/g, ' ') as SectionKey;
        if (!(key in SECTIONS)) {
          this.report.error(startOf(block), 'LP202', `unknown section "## ${name}": expected one of ${SECTION_LIST}`);
          section = { key: null, heading: block, blocks: [] };
        } else if (seen.has(key)) {
          this.report.error(startOf(block), 'LP211', `the section "## ${SECTIONS[key]}" appears twice: merge the two into one`);
          section = { key: null, heading: block, blocks: [] };
        } else {
          seen.add(key);
          section = { key, heading: block, blocks: [] };
        }
        if (!this.titleFound) this.missingTitle(block);
        continue;
      }
      if (section) {
        (section as { blocks: Node[] }).blocks.push(block);
        continue;
      }
      if (isComment(block)) continue;
      this.report.error(startOf(block), 'LP203', this.titleFound ? 'unexpected content before the first section: expected a "## Section" heading such as "## Overview"' : 'unexpected content before the title: expected the document to start with "# Title"');
    }
    close(null);
    if (!this.titleFound) this.missingTitle(null);
    if (this.titleFound && !seen.has('learning path')) {
      this.report.warning({ line: 1, column: 1 }, 'LP209', 'the document has no "## Learning Path" section, so the path has no phases');
    }
    for (const number of this.frontMatter.phaseIds.keys()) {
      if (number > this.doc.phases.length) {
        this.report.error(this.report.positions.locate(['phases', number - 1, 'id']), 'LP004', `front matter gives an id for phase ${number}, but the document has ${this.doc.phases.length} phases`);
      }
    }
  }

  private missingReported = false;
  private missingTitle(at: Node | null): void {
    if (this.missingReported) return;
    this.missingReported = true;
    this.report.error(at ? startOf(at) : { line: 1, column: 1 }, 'LP201', 'the document has no title: expected a first heading "# Title"');
  }

  private readTitle(block: Node): void {
    const title = plainText(block).trim();
    if (title === '') {
      this.missingTitle(block);
      return;
    }
    this.titleFound = true;
    this.doc.title = title;
    this.report.position([], startOf(block));
    this.report.position(['title'], startOf(block));
  }

  private readSection(key: SectionKey, heading: Node, blocks: Node[], lastLine: number): void {
    const firstLine = heading.sourcepos[1][0] + 1;
    switch (key) {
      case 'overview':
        this.doc.overview = this.source.range(firstLine, lastLine);
        this.report.position(['overview'], startOf(blocks[0] ?? heading));
        return;
      case 'notes':
        this.doc.notes = this.source.range(firstLine, lastLine);
        this.report.position(['notes'], startOf(blocks[0] ?? heading));
        return;
      case 'prerequisites':
        this.report.position(['prerequisites'], startOf(heading));
        return this.readPrerequisites(blocks);
      case 'learning path':
        this.report.position(['phases'], startOf(heading));
        return this.readLearningPath(blocks);
      case 'additional resources':
        this.report.position(['additionalResources'], startOf(heading));
        return this.readItems(blocks, 'Additional Resources', '"- Title — description" or "- [Title](url) — description"', (item) => this.readLink(item));
      case 'supplementary videos':
        this.report.position(['supplementaryVideos'], startOf(heading));
        return this.readItems(blocks, 'Supplementary Videos', '"- Title — duration — channel"', (item) => this.readVideo(item));
      case 'completion checklist':
        this.report.position(['checklist'], startOf(heading));
        return this.readItems(blocks, 'Completion Checklist', 'a task list: "- [ ] Phase 1 completed"', (item) => this.readChecklistItem(item));
    }
  }

  /** Reads every item of the lists of a section; anything else is stray content. */
  private readItems(blocks: Node[], name: string, expected: string, read: (item: Node) => void): void {
    for (const block of blocks) {
      if (block.type === 'list') {
        for (let item = block.firstChild; item !== null; item = item.next) read(item);
      } else if (!isComment(block)) {
        this.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in "## ${name}": expected a list of ${expected}`);
      }
    }
  }

  /** Reports the blocks of an item after its first paragraph that no field takes. */
  private strayInItem(item: Node, from: Node | null, expected: string): void {
    for (let block = from; block !== null; block = block.next) {
      if (!isComment(block)) this.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in a list item: ${expected}`);
    }
    void item;
  }

  // ---- prerequisites --------------------------------------------------------------------------

  private readPrerequisites(blocks: Node[]): void {
    for (const block of blocks) {
      if (block.type === 'paragraph') this.addPrerequisite(block, block, null);
      else if (block.type === 'list') {
        for (let item = block.firstChild; item !== null; item = item.next) {
          const first = item.firstChild;
          if (!first || first.type !== 'paragraph') {
            this.report.error(startOf(item), 'LP203', 'expected a prerequisite as a line of text');
            continue;
          }
          let explicit: KeyValue | null = null;
          let next = first.next;
          if (next && next.type === 'list') {
            explicit = this.readPathBullets(next);
            next = next.next;
          }
          this.strayInItem(item, next, 'a prerequisite is one line of text, optionally with a nested "- Path: `slug`" bullet');
          this.addPrerequisite(first, item, explicit);
        }
      } else if (!isComment(block)) {
        this.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in "## Prerequisites": expected a paragraph or a list`);
      }
    }
  }

  private readPathBullets(list: Node): KeyValue | null {
    let found: KeyValue | null = null;
    for (let bullet = list.firstChild; bullet !== null; bullet = bullet.next) {
      const paragraph = bullet.firstChild;
      const value = paragraph?.type === 'paragraph' ? readKeyValue(paragraph, this.source) : null;
      if (!value) {
        this.report.error(startOf(bullet), 'LP203', 'expected "Path: `slug`" naming the learning path this prerequisite refers to');
      } else if (value.key !== 'path') {
        this.report.error(startOf(bullet), 'LP207', `unknown field "${value.label}" on a prerequisite: expected Path`);
      } else if (found) {
        this.report.error(startOf(bullet), 'LP211', 'the prerequisite gives Path twice');
      } else found = value;
      if (paragraph) this.strayInItem(bullet, paragraph.next, 'expected one "Key: Value" line');
    }
    return found;
  }

  private addPrerequisite(paragraph: Node, at: Node, explicit: KeyValue | null): void {
    const text = this.source.blocks(paragraph);
    if (isPlaceholder(text)) {
      this.report.warning(startOf(at), 'LP210', `the prerequisite "${text}" is a template placeholder: replace it with a prerequisite or remove it`);
      return;
    }
    const index = this.doc.prerequisites.length;
    let path: string | null = null;
    const slugs = new Set<string>();
    forEachLink(paragraph, (destination) => {
      const slug = slugOfDocumentLink(destination);
      if (slug !== null) slugs.add(slug);
    });
    if (explicit) {
      const value = plainValue(explicit).replace(/^`|`$/g, '');
      if (isPlaceholder(explicit.raw)) this.report.warning(explicit.at, 'LP210', 'Path is a template placeholder: name a learning path or remove the bullet');
      else if (/^(none|nothing|n\/a)$/i.test(value)) path = null;
      else if (SlugSchema.safeParse(value).success) path = value;
      else {
        const linked = explicit.pieces.find((p) => p.kind === 'node' && p.node.type === 'link');
        const slug = linked?.kind === 'node' ? slugOfDocumentLink(linked.node.destination ?? '') : null;
        if (slug !== null) path = slug;
        else this.report.error(explicit.at, 'LP206', `cannot read Path "${value}": expected the slug of a learning path, e.g. \`batch-vs-stream-processing\`, or none`);
      }
    } else if (slugs.size > 1) {
      this.report.error(startOf(at), 'LP206', `the prerequisite links to several learning paths (${[...slugs].join(', ')}): write one prerequisite per path`);
      path = [...slugs][0] ?? null;
    } else path = [...slugs][0] ?? null;
    this.doc.prerequisites.push({ text, path });
    this.report.position(['prerequisites', index], startOf(at));
    if (explicit) this.report.position(['prerequisites', index, 'path'], explicit.at);
  }

  // ---- learning path --------------------------------------------------------------------------

  private readLearningPath(blocks: Node[]): void {
    let phase: { doc: PhaseDoc; index: number; orderSeen: boolean; dependenciesSeen: boolean } | null = null;
    for (const block of blocks) {
      if (block.type === 'heading' && block.level === 3) {
        const index = this.doc.phases.length;
        phase = { doc: this.readPhaseHeading(block, index), index, orderSeen: false, dependenciesSeen: false };
        this.doc.phases.push(phase.doc);
        continue;
      }
      if (isComment(block)) continue;
      if (!phase) {
        this.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in "## Learning Path" before the first phase: expected "### Phase 1: Name"`);
        continue;
      }
      if (block.type === 'list') {
        const previous = phase.doc.resources[phase.doc.resources.length - 1];
        if (previous && this.isStrayFieldList(block)) {
          this.report.error(startOf(block), 'LP203', `these "Key: Value" bullets are not nested under the resource "${previous.title}": indent them to line up with the resource's title (as many spaces as "N. " takes)`);
          continue;
        }
        for (let item = block.firstChild; item !== null; item = item.next) this.readResource(item, phase.doc, phase.index);
        continue;
      }
      if (block.type === 'paragraph') {
        const text = plainText(block).trim();
        if (/^resources to consume in order\s*:?$/i.test(text)) {
          if (phase.orderSeen) this.report.error(startOf(block), 'LP211', 'the phase says "Resources to consume in order" twice');
          phase.orderSeen = true;
          phase.doc.sequential = true;
          this.report.position(['phases', phase.index, 'sequential'], startOf(block));
          continue;
        }
        const value = readKeyValue(block, this.source);
        if (value && RESOURCE_FIELDS[value.key] === 'dependencies') {
          if (phase.dependenciesSeen) {
            this.report.error(startOf(block), 'LP211', 'the phase gives Dependencies twice: list them all in one line');
            continue;
          }
          phase.dependenciesSeen = true;
          const owner = phase.doc;
          this.readReferences(value, phase.index, 'dependency', ['phases', phase.index, 'dependsOn'], (refs) => {
            owner.dependsOn = refs;
          });
          continue;
        }
        if (value) {
          this.report.error(startOf(block), 'LP207', `unknown phase field "${value.label}": a phase takes "Dependencies: …" and "**Resources to consume in order:**"`);
          continue;
        }
      }
      this.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in a phase: expected "**Resources to consume in order:**", "Dependencies: …" or a numbered list of resources`);
    }
  }

  /** A bullet list whose first item reads as a resource field: fields that lost their indentation. */
  private isStrayFieldList(list: Node): boolean {
    const paragraph = list.listType === 'bullet' ? list.firstChild?.firstChild : null;
    const value = paragraph?.type === 'paragraph' ? readKeyValue(paragraph, this.source) : null;
    return value !== null && RESOURCE_FIELDS[value.key] !== undefined;
  }

  private readPhaseHeading(block: Node, index: number): PhaseDoc {
    const text = plainText(block).trim();
    const at = startOf(block);
    const match = /^phase\s+(\d{1,6})\s*(?:[:.—–-]\s*|$)/i.exec(text);
    let title = text;
    if (!match) {
      this.report.error(at, 'LP212', `cannot read the phase heading "${text}": expected "### Phase ${index + 1}: Name"`);
    } else {
      title = text.slice(match[0].length).trim();
      const number = Number(match[1]);
      if (title === '') {
        this.report.error(at, 'LP212', `the phase heading "${text}" has no name: expected "### Phase ${index + 1}: Name"`);
        title = `Phase ${index + 1}`;
      }
      if (number !== index + 1) {
        this.report.error(at, 'LP212', `this is phase ${index + 1} of the path but its heading says Phase ${number}: number phases 1, 2, 3… in order`);
      }
    }
    if (title === '') title = `Phase ${index + 1}`;
    const explicit = this.frontMatter.phaseIds.get(index + 1);
    this.report.position(['phases', index], at);
    this.report.position(['phases', index, 'title'], at);
    this.report.position(['phases', index, 'id'], at);
    this.report.position(['phases', index, 'dependsOn'], at);
    return { id: explicit ?? slugify(title), title, sequential: false, resources: [], dependsOn: [] };
  }

  private readResource(item: Node, phase: PhaseDoc, phaseIndex: number): void {
    const head = item.firstChild;
    if (!head || head.type !== 'paragraph') {
      this.report.error(startOf(item), 'LP203', 'expected a resource: "**Title** — [Kind]"');
      return;
    }
    const index = phase.resources.length;
    const pointer: PathPointer = ['phases', phaseIndex, 'resources', index];
    const at = startOf(head);
    const [titleSegment, kindSegment] = splitSegments(piecesOf(head), this.source.blocks(head), 2);
    const { title, url: titleUrl } = readTitle(titleSegment!.pieces);
    if (title === '') {
      this.report.error(at, 'LP203', 'the resource has no title: expected "**Title** — [Kind]"');
      return;
    }
    let kind: ResourceKind = 'other';
    if (!kindSegment) {
      this.report.error(at, 'LP205', `the resource "${title}" has no kind: expected "**${title}** — [Article]" with one of ${kindNames()}`);
    } else {
      const kindText = plainOf(kindSegment.pieces).trim();
      const read = readKind(kindText);
      if (read) kind = read;
      else this.report.error(this.within(head, kindSegment.raw), 'LP205', `unknown resource kind "${kindText}": expected one of ${kindNames()}, e.g. "[Article]"`);
    }
    const resource: ResourceDoc = { id: slugify(title), title, kind, url: null, durationMinutes: null, focus: null, dependsOn: [], next: null };
    if (titleUrl !== null) resource.url = this.checkUrl(titleUrl, at);
    phase.resources.push(resource);
    this.report.position(pointer, startOf(item));
    for (const field of ['title', 'kind', 'url', 'id', 'durationMinutes', 'focus', 'dependsOn', 'next']) {
      this.report.position([...pointer, field], at);
    }

    const seen = new Set<string>();
    if (titleUrl !== null) seen.add('url');
    let block = head.next;
    for (; block !== null && block.type === 'list'; block = block.next) {
      for (let bullet = block.firstChild; bullet !== null; bullet = bullet.next) {
        this.readResourceField(bullet, resource, phaseIndex, pointer, seen);
      }
    }
    this.strayInItem(item, block, `expected nested "Key: Value" bullets (${RESOURCE_KEYS})`);
  }

  private readResourceField(bullet: Node, resource: ResourceDoc, phaseIndex: number, pointer: PathPointer, seen: Set<string>): void {
    const paragraph = bullet.firstChild;
    const value = paragraph?.type === 'paragraph' ? readKeyValue(paragraph, this.source) : null;
    if (!value) {
      this.report.error(startOf(bullet), 'LP203', `expected a "Key: Value" bullet with one of ${RESOURCE_KEYS}`);
      return;
    }
    this.strayInItem(bullet, paragraph!.next, 'expected one "Key: Value" line');
    const field = RESOURCE_FIELDS[value.key];
    if (!field) {
      this.report.error(startOf(bullet), 'LP207', `unknown field "${value.label}": expected one of ${RESOURCE_KEYS}`);
      return;
    }
    if (seen.has(field)) {
      this.report.error(startOf(bullet), 'LP211', field === 'url' ? `the URL of "${resource.title}" is given twice (a linked title and a URL bullet): keep one` : `"${value.label}" is given twice for "${resource.title}": keep one`);
      return;
    }
    seen.add(field);
    const target = field === 'duration' ? 'durationMinutes' : field === 'dependencies' ? 'dependsOn' : field;
    // The resource's line was recorded for every field; the bullet is more precise.
    this.overridePosition([...pointer, target], value.at);
    if (isPlaceholder(value.raw) || value.raw === '') {
      this.report.warning(value.at, 'LP210', value.raw === '' ? `"${value.label}" has no value: fill it in or remove the bullet` : `"${value.label}" is a template placeholder (${value.raw}): fill it in; until then it is not set`);
      return;
    }
    switch (field) {
      case 'duration': {
        const minutes = parseDuration(plainValue(value));
        if (minutes === null) this.report.error(value.at, 'LP204', `cannot read the duration "${plainValue(value)}": ${DURATION_EXAMPLES}`);
        resource.durationMinutes = minutes;
        return;
      }
      case 'focus':
        resource.focus = value.raw;
        return;
      case 'url': {
        const link = value.pieces.find((p) => p.kind === 'node' && p.node.type === 'link');
        const url = link?.kind === 'node' && plainOf(value.pieces.filter((p) => p !== link)).trim() === '' ? (link.node.destination ?? '') : plainValue(value);
        resource.url = this.checkUrl(url, value.at);
        return;
      }
      case 'id': {
        const id = plainValue(value);
        if (SlugSchema.safeParse(id).success) resource.id = id;
        else this.report.error(value.at, 'LP004', `the id "${id}" is not a slug: expected lowercase letters, digits and single hyphens, e.g. "${slugify(id)}"`);
        return;
      }
      case 'next':
        this.readReferences(value, phaseIndex, 'next', [...pointer, 'next'], (refs) => {
          resource.next = refs[0] ?? null;
        });
        return;
      case 'dependencies':
        this.readReferences(value, phaseIndex, 'dependency', [...pointer, 'dependsOn'], (refs) => {
          resource.dependsOn = refs;
        });
        return;
    }
  }

  private overridePosition(at: PathPointer, position: SourcePosition): void {
    this.report.positions.replace(at, position);
  }

  private readReferences(value: KeyValue, phaseIndex: number, mode: 'next' | 'dependency', pointer: PathPointer, apply: (refs: Reference[]) => void): void {
    this.overridePosition(pointer, value.at);
    this.pending.push({
      tokens: tokenizeReference(value.pieces),
      at: value.at,
      phaseIndex,
      mode,
      apply: (refs) => {
        apply(refs);
        refs.forEach((_, i) => this.report.position([...pointer, i], value.at));
      },
    });
  }

  /** Where a part of a one-line item was written: its column when it can be found on the line. */
  private within(head: Node, raw: string): SourcePosition {
    const at = startOf(head);
    const column = raw === '' ? -1 : this.source.line(at.line).indexOf(raw, at.column - 1);
    return column < 0 ? at : { line: at.line, column: column + 1 };
  }

  private checkUrl(url: string, at: SourcePosition): string | null {
    if (isValidUrl(url)) return url;
    this.report.error(at, 'LP208', `invalid URL "${url}": expected an absolute http:// or https:// URL`);
    return null;
  }

  // ---- links, videos, checklist ---------------------------------------------------------------

  private readLink(item: Node): void {
    const head = item.firstChild;
    if (!head || head.type !== 'paragraph') {
      this.report.error(startOf(item), 'LP203', 'expected a link: "Title — description" or "[Title](url) — description"');
      return;
    }
    const at = startOf(head);
    const [titleSegment, descriptionSegment] = splitSegments(piecesOf(head), this.source.blocks(head), 2);
    const { title, url } = readTitle(titleSegment!.pieces);
    if (title === '') {
      this.report.error(at, 'LP203', 'the link has no title: expected "Title — description" or "[Title](url) — description"');
      return;
    }
    let description: string | null = null;
    if (descriptionSegment) {
      if (isPlaceholder(descriptionSegment.raw)) {
        this.report.warning(this.within(head, descriptionSegment.raw), 'LP210', `the description of "${title}" is a template placeholder (${descriptionSegment.raw}): add a link and a description`);
      } else if (descriptionSegment.raw !== '') description = descriptionSegment.raw;
    }
    const index = this.doc.additionalResources.length;
    this.doc.additionalResources.push({ title, url: url === null ? null : this.checkUrl(url, at), description });
    this.report.position(['additionalResources', index], at);
    this.strayInItem(item, head.next, 'a link is one line: "Title — description"');
  }

  private readVideo(item: Node): void {
    const head = item.firstChild;
    if (!head || head.type !== 'paragraph') {
      this.report.error(startOf(item), 'LP203', 'expected a video: "Title — duration — channel"');
      return;
    }
    const at = startOf(head);
    const segments = splitSegments(piecesOf(head), this.source.blocks(head), 3);
    const { title, url } = readTitle(segments[0]!.pieces);
    if (title === '') {
      this.report.error(at, 'LP203', 'the video has no title: expected "Title — duration — channel"');
      return;
    }
    let durationMinutes: number | null = null;
    let channel: string | null = null;
    const readDuration = (raw: string, plain: string): void => {
      if (isPlaceholder(raw)) {
        this.report.warning(this.within(head, raw), 'LP210', `the length of "${title}" is a template placeholder (${raw}): give it, e.g. "12:30" or "45 minutes"`);
        return;
      }
      durationMinutes = parseDuration(plain);
      if (durationMinutes === null) this.report.error(this.within(head, raw), 'LP204', `cannot read the length "${plain}" of "${title}": ${DURATION_EXAMPLES}`);
    };
    const readChannel = (raw: string, plain: string): void => {
      if (isPlaceholder(raw)) {
        this.report.warning(this.within(head, raw), 'LP210', `the channel of "${title}" is a template placeholder (${raw}): name the channel or source`);
        return;
      }
      channel = plain === '' ? null : plain;
    };
    const [, second, third] = segments;
    if (second && third) {
      readDuration(second.raw, plainOf(second.pieces).trim());
      readChannel(third.raw, plainOf(third.pieces).trim());
    } else if (second) {
      const plain = plainOf(second.pieces).trim();
      const placeholderOfLength = isPlaceholder(second.raw) && /duration|length|time|min/i.test(second.raw);
      if (placeholderOfLength || (!isPlaceholder(second.raw) && parseDuration(plain) !== null)) readDuration(second.raw, plain);
      else readChannel(second.raw, plain);
    }
    const index = this.doc.supplementaryVideos.length;
    this.doc.supplementaryVideos.push({ title, url: url === null ? null : this.checkUrl(url, at), durationMinutes, channel });
    this.report.position(['supplementaryVideos', index], at);
    this.strayInItem(item, head.next, 'a video is one line: "Title — duration — channel"');
  }

  private readChecklistItem(item: Node): void {
    const head = item.firstChild;
    const at = startOf(item);
    const pieces = head?.type === 'paragraph' ? piecesOf(head) : [];
    const first = pieces[0];
    const box = first?.kind === 'text' ? /^\[([ xX])\](?:\s+|$)/.exec(first.text) : null;
    if (!head || !box || !first || first.kind !== 'text') {
      this.report.error(at, 'LP203', 'expected a task: "- [ ] label" (or "- [x] label" when done)');
      return;
    }
    const label = plainOf([{ kind: 'text', text: first.text.slice(box[0].length) }, ...pieces.slice(1)]).trim();
    if (label === '') {
      this.report.error(at, 'LP203', 'the task has no label: expected "- [ ] label"');
      return;
    }
    let explicit: KeyValue | null = null;
    let block = head.next;
    if (block && block.type === 'list') {
      for (let bullet = block.firstChild; bullet !== null; bullet = bullet.next) {
        const paragraph = bullet.firstChild;
        const value = paragraph?.type === 'paragraph' ? readKeyValue(paragraph, this.source) : null;
        if (!value) this.report.error(startOf(bullet), 'LP203', 'expected "Target: Phase N", "Target: supplementary" or "Target: none"');
        else if (value.key !== 'target') this.report.error(startOf(bullet), 'LP207', `unknown field "${value.label}" on a checklist item: expected Target`);
        else if (explicit) this.report.error(startOf(bullet), 'LP211', 'the checklist item gives Target twice');
        else explicit = value;
        if (paragraph) this.strayInItem(bullet, paragraph.next, 'expected one "Key: Value" line');
      }
      block = block.next;
    }
    this.strayInItem(item, block, 'a task is one line, optionally with a nested "- Target: …" bullet');
    const index = this.doc.checklist.length;
    this.doc.checklist.push({ label, target: null, checked: box[1] !== ' ' });
    this.report.position(['checklist', index], at);
    this.report.position(['checklist', index, 'target'], explicit ? explicit.at : at);
    this.targets.push({ index, label, explicit, at });
  }

  // ---- second pass ----------------------------------------------------------------------------

  private resolvePending(): void {
    const index = new ReferenceIndex({ phases: this.doc.phases });
    for (const pending of this.pending) {
      const { refs, problems } = resolveReference(pending.tokens, { phaseIndex: pending.phaseIndex, mode: pending.mode }, index);
      for (const problem of problems) this.report.error(pending.at, problem.code, problem.message);
      pending.apply(refs);
    }
    for (const target of this.targets) {
      this.doc.checklist[target.index]!.target = target.explicit ? this.explicitTarget(target.explicit) : this.inferTarget(target);
    }
  }

  private explicitTarget(value: KeyValue): ChecklistTarget {
    if (isPlaceholder(value.raw)) {
      this.report.warning(value.at, 'LP210', 'Target is a template placeholder: name a phase ("Phase 2"), "supplementary" or "none"');
      return null;
    }
    const text = plainValue(value);
    const lower = text.toLowerCase();
    if (/^(none|nothing|n\/a)$/.test(lower)) return null;
    if (/^supplementary(?: materials?)?$/.test(lower)) return 'supplementary';
    const number = /^phase\s+(\d{1,6})$/.exec(lower);
    if (number) {
      const phase = this.doc.phases[Number(number[1]) - 1];
      if (phase) return { phase: phase.id };
      this.report.error(value.at, 'LP107', `Target names Phase ${number[1]}, but the path has ${this.doc.phases.length} phases`);
      return null;
    }
    const id = /^phase\s+(\S+)$/.exec(text)?.[1] ?? text;
    if (SlugSchema.safeParse(id).success && value.pieces.some((p) => p.kind === 'node' && p.node.type === 'code')) return { phase: id };
    this.report.error(value.at, 'LP206', `cannot read Target "${text}": expected "Phase N", "phase \`id\`", "supplementary" or "none"`);
    return null;
  }

  private inferTarget(target: PendingTarget): ChecklistTarget {
    return inferChecklistTarget(target.label, this.doc.phases, (n) => {
      this.report.error(target.at, 'LP107', `the checklist item "${target.label}" names Phase ${n}, but the path has ${this.doc.phases.length} phases`);
    });
  }

  // ---- compile --------------------------------------------------------------------------------

  private compile(): LearningPath | null {
    return compileDocument(this.doc, this.options.fallbackSlug, this.report);
  }

}

function kindNames(): string {
  return ['article', 'video', 'course', 'book', 'podcast', 'documentation', 'tutorial', 'exercise', 'project', 'interactive', 'other'].map((k) => `[${kindLabel(k as ResourceKind)}]`).join(', ');
}

