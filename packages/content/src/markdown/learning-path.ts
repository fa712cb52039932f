import type { Node } from 'commonmark';
import { slugify } from '@learnpath/schema';
import { readKeyValue } from './fields.js';
import { describeBlock, isComment } from './blocks.js';
import { plainText } from './inline.js';
import { startOf } from './source.js';
import { readReferences, type ParseContext, type PhaseDoc } from './context.js';
import { readResource } from './resources.js';
import { RESOURCE_FIELDS } from './vocabulary.js';

/** Reads `## Learning Path`: `### Phase N: Name` headings, each with its resources. */
export function readLearningPath(ctx: ParseContext, blocks: Node[]): void {
  let phase: { doc: PhaseDoc; index: number; orderSeen: boolean; dependenciesSeen: boolean } | null = null;
  for (const block of blocks) {
    if (block.type === 'heading' && block.level === 3) {
      const index = ctx.doc.phases.length;
      phase = { doc: readPhaseHeading(ctx, block, index), index, orderSeen: false, dependenciesSeen: false };
      ctx.doc.phases.push(phase.doc);
      continue;
    }
    if (isComment(block)) continue;
    if (!phase) {
      ctx.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in "## Learning Path" before the first phase: expected "### Phase 1: Name"`);
      continue;
    }
    if (block.type === 'list') {
      const previous = phase.doc.resources[phase.doc.resources.length - 1];
      if (previous && isStrayFieldList(ctx, block)) {
        ctx.report.error(startOf(block), 'LP203', `these "Key: Value" bullets are not nested under the resource "${previous.title}": indent them to line up with the resource's title (as many spaces as "N. " takes)`);
        continue;
      }
      for (let item = block.firstChild; item !== null; item = item.next) readResource(ctx, item, phase.doc, phase.index);
      continue;
    }
    if (block.type === 'paragraph') {
      const text = plainText(block).trim();
      if (/^resources to consume in order\s*:?$/i.test(text)) {
        if (phase.orderSeen) ctx.report.error(startOf(block), 'LP211', 'the phase says "Resources to consume in order" twice');
        phase.orderSeen = true;
        phase.doc.sequential = true;
        ctx.report.position(['phases', phase.index, 'sequential'], startOf(block));
        continue;
      }
      const value = readKeyValue(block, ctx.source);
      if (value && RESOURCE_FIELDS.get(value.key) === 'dependencies') {
        if (phase.dependenciesSeen) {
          ctx.report.error(startOf(block), 'LP211', 'the phase gives Dependencies twice: list them all in one line');
          continue;
        }
        phase.dependenciesSeen = true;
        const owner = phase.doc;
        readReferences(ctx, value, phase.index, 'dependency', ['phases', phase.index, 'dependsOn'], (refs) => {
          owner.dependsOn = refs;
        });
        continue;
      }
      if (value) {
        ctx.report.error(startOf(block), 'LP207', `unknown phase field "${value.label}": a phase takes "Dependencies: …" and "**Resources to consume in order:**"`);
        continue;
      }
    }
    ctx.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in a phase: expected "**Resources to consume in order:**", "Dependencies: …" or a numbered list of resources`);
  }
  for (const [index, phase] of ctx.doc.phases.entries()) {
    // An empty phase is usually an unfinished draft; it still compiles (to 0 minutes).
    if (phase.resources.length === 0) {
      ctx.report.warning(ctx.phaseHeadings[index] ?? { line: 1, column: 1 }, 'LP215', `Phase ${index + 1} "${phase.title}" has no resources: add a numbered list of resources under its heading, or remove the phase`);
    }
  }
}

/** A bullet list whose first item reads as a resource field: fields that lost their indentation. */
function isStrayFieldList(ctx: ParseContext, list: Node): boolean {
  const paragraph = list.listType === 'bullet' ? list.firstChild?.firstChild : null;
  const value = paragraph?.type === 'paragraph' ? readKeyValue(paragraph, ctx.source) : null;
  return value !== null && RESOURCE_FIELDS.has(value.key);
}

function readPhaseHeading(ctx: ParseContext, block: Node, index: number): PhaseDoc {
  const text = plainText(block).trim();
  const at = startOf(block);
  const match = /^phase\s+(\d{1,6})\s*(?:[:.—–-]\s*|$)/i.exec(text);
  let title = text;
  if (!match) {
    ctx.report.error(at, 'LP212', `cannot read the phase heading "${text}": expected "### Phase ${index + 1}: Name"`);
  } else {
    title = text.slice(match[0].length).trim();
    const number = Number(match[1]);
    if (title === '') {
      ctx.report.error(at, 'LP212', `the phase heading "${text}" has no name: expected "### Phase ${index + 1}: Name"`);
      title = `Phase ${index + 1}`;
    }
    if (number !== index + 1) {
      ctx.report.error(at, 'LP212', `this is phase ${index + 1} of the path but its heading says Phase ${number}: number phases 1, 2, 3… in order`);
    }
  }
  if (title === '') title = `Phase ${index + 1}`;
  const explicit = ctx.frontMatter.phaseIds.get(index + 1);
  ctx.phaseHeadings[index] = at;
  // Its title, id and dependencies are located here too, unless recorded more precisely.
  ctx.report.position(['phases', index], at);
  return { id: explicit ?? slugify(title), title, sequential: false, resources: [], dependsOn: [] };
}
