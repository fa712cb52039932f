import type { Node } from 'commonmark';
import { isMissingTitle, readTitle } from './fields.js';
import { isPlaceholder, piecesOf, splitLine } from './inline.js';
import { startOf } from './source.js';
import { checkUrl, readItems, strayInItem, within, warnAmbiguous, type ParseContext } from './context.js';

/** Reads `## Additional Resources`: one link per item, "Title — description". */
export function readLinks(ctx: ParseContext, blocks: Node[]): void {
  readItems(ctx, blocks, 'Additional Resources', '"- Title — description" or "- [Title](url) — description"', (item) => readLink(ctx, item));
}

function readLink(ctx: ParseContext, item: Node): void {
  const head = item.firstChild;
  if (!head || head.type !== 'paragraph') {
    ctx.report.error(startOf(item), 'LP203', 'expected a link: "Title — description" or "[Title](url) — description"');
    return;
  }
  const at = startOf(head);
  const pieces = piecesOf(head);
  const { segments, alternative } = splitLine(pieces, ctx.source.blocks(head), 2);
  const [titleSegment, descriptionSegment] = segments;
  const { title, url } = readTitle(titleSegment!.pieces);
  if (isMissingTitle(titleSegment!.raw)) {
    ctx.report.error(at, 'LP213', 'the title of the link is missing: write it before the description, e.g. "[Title](url) — description"');
    return;
  }
  if (alternative) warnAmbiguous(ctx, at, segments, alternative, '"**Title** — description" or "[Title](url) — description"');
  let description: string | null = null;
  if (descriptionSegment) {
    if (isPlaceholder(descriptionSegment.raw)) {
      ctx.report.warning(within(ctx, head, descriptionSegment.raw), 'LP210', `the description of "${title}" is a template placeholder (${descriptionSegment.raw}): add a link and a description`);
    } else if (descriptionSegment.raw !== '') description = descriptionSegment.raw;
  }
  const index = ctx.doc.additionalResources.length;
  ctx.doc.additionalResources.push({ title, url: url === null ? null : checkUrl(ctx, url, at), description });
  ctx.report.position(['additionalResources', index], at);
  strayInItem(ctx, head.next, 'a link is one line: "Title — description"');
}
