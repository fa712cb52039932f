import type { Node } from 'commonmark';
import { didYouMean } from '../suggest.js';
import type { ParseContext } from './context.js';
import { isComment } from './blocks.js';
import { plainText } from './inline.js';
import { startOf } from './source.js';
import { SECTIONS, SECTION_LIST, type SectionKey } from './vocabulary.js';
import { readPrerequisites } from './prerequisites.js';
import { readLearningPath } from './learning-path.js';
import { readLinks } from './links.js';
import { readVideos } from './videos.js';
import { readChecklist } from './checklist-items.js';
import { memoizeText } from '../text-memo.js';

/** A section by its heading's text, in any case and spacing. */
const sectionNamed = memoizeText((name: string) => SECTIONS.get(name.toLowerCase().replace(/\s+/g, ' ')));

/** Reads the top-level blocks: the title, then each `##` section by its reader. */
export function readDocument(ctx: ParseContext, root: Node): void {
  const seen = new Set<SectionKey>();
  let section: { key: SectionKey | null; heading: Node; blocks: Node[] } | null = null;
  const close = (next: Node | null): void => {
    if (!section) return;
    const lastLine = next ? startOf(next).line - 1 : ctx.source.lines.length;
    if (section.key !== null) readSection(ctx, section.key, section.heading, section.blocks, lastLine);
    section = null;
  };
  for (let block = root.firstChild; block !== null; block = block.next) {
    if (block.type === 'heading' && block.level === 1) {
      if (!ctx.titleFound && section === null) {
        readTitle(ctx, block);
        continue;
      }
      close(block);
      ctx.report.error(startOf(block), 'LP203', `a document has one "# Title"; this one is a second: use "##" for a section or "###" for a phase`);
      continue;
    }
    if (block.type === 'heading' && block.level === 2) {
      close(block);
      const name = plainText(block).trim();
      const known = sectionNamed(name);
      if (!known) {
        const hint = didYouMean(name, [...SECTIONS.values()].map((s) => s.label), (m) => `"## ${m}"`);
        ctx.report.error(startOf(block), 'LP202', `unknown section "## ${name}"${hint}: expected one of ${SECTION_LIST}; its content is not read`);
        section = { key: null, heading: block, blocks: [] };
      } else if (seen.has(known.key)) {
        ctx.report.error(startOf(block), 'LP211', `the section "## ${known.label}" appears twice: merge the two into one`);
        section = { key: null, heading: block, blocks: [] };
      } else {
        seen.add(known.key);
        section = { key: known.key, heading: block, blocks: [] };
      }
      if (!ctx.titleFound) missingTitle(ctx, block);
      continue;
    }
    if (section) {
      (section as { blocks: Node[] }).blocks.push(block);
      continue;
    }
    if (isComment(block)) continue;
    ctx.report.error(startOf(block), 'LP203', ctx.titleFound ? 'unexpected content before the first section: expected a "## Section" heading such as "## Overview"' : 'unexpected content before the title: expected the document to start with "# Title"');
  }
  close(null);
  if (!ctx.titleFound) missingTitle(ctx, null);
  if (ctx.titleFound && !seen.has('learning path')) {
    ctx.report.warning({ line: 1, column: 1 }, 'LP209', 'the document has no "## Learning Path" section, so the path has no phases');
  }
  for (const number of ctx.frontMatter.phaseIds.keys()) {
    if (number > ctx.doc.phases.length) {
      ctx.report.error(ctx.report.positions.locate(['phases', number - 1, 'id']), 'LP004', `front matter gives an id for phase ${number}, but the document has ${ctx.doc.phases.length} phases`);
    }
  }
}

function missingTitle(ctx: ParseContext, at: Node | null): void {
  if (ctx.missingTitleReported) return;
  ctx.missingTitleReported = true;
  ctx.report.error(at ? startOf(at) : { line: 1, column: 1 }, 'LP201', 'the document has no title: expected a first heading "# Title"');
}

function readTitle(ctx: ParseContext, block: Node): void {
  const title = plainText(block).trim();
  if (title === '') {
    missingTitle(ctx, block);
    return;
  }
  ctx.titleFound = true;
  ctx.doc.title = title;
  ctx.report.position([], startOf(block));
  ctx.report.position(['title'], startOf(block));
}

function readSection(ctx: ParseContext, key: SectionKey, heading: Node, blocks: Node[], lastLine: number): void {
  const firstLine = heading.sourcepos[1][0] + 1;
  switch (key) {
    case 'overview':
      ctx.doc.overview = ctx.source.range(firstLine, lastLine);
      ctx.report.position(['overview'], startOf(blocks[0] ?? heading));
      return;
    case 'notes':
      ctx.doc.notes = ctx.source.range(firstLine, lastLine);
      ctx.report.position(['notes'], startOf(blocks[0] ?? heading));
      return;
    case 'prerequisites':
      ctx.report.position(['prerequisites'], startOf(heading));
      return readPrerequisites(ctx, blocks);
    case 'learning path':
      ctx.report.position(['phases'], startOf(heading));
      return readLearningPath(ctx, blocks);
    case 'additional resources':
      ctx.report.position(['additionalResources'], startOf(heading));
      return readLinks(ctx, blocks);
    case 'supplementary videos':
      ctx.report.position(['supplementaryVideos'], startOf(heading));
      return readVideos(ctx, blocks);
    case 'completion checklist':
      ctx.report.position(['checklist'], startOf(heading));
      return readChecklist(ctx, blocks);
  }
}
