import type { Node } from 'commonmark';
import { SlugSchema } from '@learnpath/schema';
import { plainValue, readKeyValue, type KeyValue } from './fields.js';
import { forEachLink, describeBlock, isComment } from './blocks.js';
import { isPlaceholder } from './inline.js';
import { slugOfDocumentLink } from './references.js';
import { startOf } from './source.js';
import { strayInItem, type ParseContext } from './context.js';

/** Reads `## Prerequisites`: a paragraph or a list, each item optionally with a `Path:` bullet. */
export function readPrerequisites(ctx: ParseContext, blocks: Node[]): void {
  for (const block of blocks) {
    if (block.type === 'paragraph') addPrerequisite(ctx, block, block, null);
    else if (block.type === 'list') {
      for (let item = block.firstChild; item !== null; item = item.next) {
        const first = item.firstChild;
        if (!first || first.type !== 'paragraph') {
          ctx.report.error(startOf(item), 'LP203', 'expected a prerequisite as a line of text');
          continue;
        }
        let explicit: KeyValue | null = null;
        let next = first.next;
        if (next && next.type === 'list') {
          explicit = readPathBullets(ctx, next);
          next = next.next;
        }
        strayInItem(ctx, next, 'a prerequisite is one line of text, optionally with a nested "- Path: `slug`" bullet');
        addPrerequisite(ctx, first, item, explicit);
      }
    } else if (!isComment(block)) {
      ctx.report.error(startOf(block), 'LP203', `unexpected ${describeBlock(block)} in "## Prerequisites": expected a paragraph or a list`);
    }
  }
}

function readPathBullets(ctx: ParseContext, list: Node): KeyValue | null {
  let found: KeyValue | null = null;
  for (let bullet = list.firstChild; bullet !== null; bullet = bullet.next) {
    const paragraph = bullet.firstChild;
    const value = paragraph?.type === 'paragraph' ? readKeyValue(paragraph, ctx.source) : null;
    if (!value) {
      ctx.report.error(startOf(bullet), 'LP203', 'expected "Path: `slug`" naming the learning path this prerequisite refers to');
    } else if (value.key !== 'path') {
      ctx.report.error(startOf(bullet), 'LP207', `unknown field "${value.label}" on a prerequisite: expected Path`);
    } else if (found) {
      ctx.report.error(startOf(bullet), 'LP211', 'the prerequisite gives Path twice');
    } else found = value;
    if (paragraph) strayInItem(ctx, paragraph.next, 'expected one "Key: Value" line');
  }
  return found;
}

function addPrerequisite(ctx: ParseContext, paragraph: Node, at: Node, explicit: KeyValue | null): void {
  const text = ctx.source.blocks(paragraph);
  if (isPlaceholder(text)) {
    ctx.report.warning(startOf(at), 'LP210', `the prerequisite "${text}" is a template placeholder: replace it with a prerequisite or remove it`);
    return;
  }
  const index = ctx.doc.prerequisites.length;
  let path: string | null = null;
  const slugs = new Set<string>();
  forEachLink(paragraph, (destination) => {
    const slug = slugOfDocumentLink(destination);
    if (slug !== null) slugs.add(slug);
  });
  if (explicit) {
    const value = plainValue(explicit).replace(/^`|`$/g, '');
    if (isPlaceholder(explicit.raw)) ctx.report.warning(explicit.at, 'LP210', 'Path is a template placeholder: name a learning path or remove the bullet');
    else if (/^(none|nothing|n\/a)$/i.test(value)) path = null;
    else if (SlugSchema.safeParse(value).success) path = value;
    else {
      const linked = explicit.pieces.find((p) => p.kind === 'node' && p.node.type === 'link');
      const slug = linked?.kind === 'node' ? slugOfDocumentLink(linked.node.destination ?? '') : null;
      if (slug !== null) path = slug;
      else ctx.report.error(explicit.at, 'LP206', `cannot read Path "${value}": expected the slug of a learning path, e.g. \`batch-vs-stream-processing\`, or none`);
    }
  } else if (slugs.size > 1) {
    ctx.report.error(startOf(at), 'LP206', `the prerequisite links to several learning paths (${[...slugs].join(', ')}): write one prerequisite per path`);
    path = [...slugs][0] ?? null;
  } else path = [...slugs][0] ?? null;
  ctx.doc.prerequisites.push({ text, path });
  ctx.report.position(['prerequisites', index], startOf(at));
  if (explicit) ctx.report.position(['prerequisites', index, 'path'], explicit.at);
}