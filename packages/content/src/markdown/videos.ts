import type { Node } from 'commonmark';
import { parseDuration } from '../duration.js';
import { isMissingTitle, readTitle } from './fields.js';
import { isPlaceholder, piecesOf, plainOf, splitLine, type Segment, type SplitLine } from './inline.js';
import { startOf } from './source.js';
import { checkUrl, readItems, strayInItem, within, warnAmbiguous, type ParseContext } from './context.js';
import { DURATION_EXAMPLES } from './vocabulary.js';

/** Reads `## Supplementary Videos`: one video per item, "Title — length — channel". */
export function readVideos(ctx: ParseContext, blocks: Node[]): void {
  readItems(ctx, blocks, 'Supplementary Videos', '"- Title — duration — channel"', (item) => readVideo(ctx, item));
}

function readVideo(ctx: ParseContext, item: Node): void {
  const head = item.firstChild;
  if (!head || head.type !== 'paragraph') {
    ctx.report.error(startOf(item), 'LP203', 'expected a video: "Title — duration — channel"');
    return;
  }
  const at = startOf(head);
  const pieces = piecesOf(head);
  const split = splitLine(pieces, ctx.source.blocks(head), 3);
  const { segments, decided } = chooseReading(split);
  const { title, url } = readTitle(segments[0]!.pieces);
  if (isMissingTitle(segments[0]!.raw)) {
    ctx.report.error(at, 'LP213', 'the title of the video is missing: write it before the length, e.g. "Title — 12:40 — Channel"');
    return;
  }
  if (!decided && split.alternative) warnAmbiguous(ctx, at, split.segments, split.alternative, '"**Title** — 12:40 — Channel"');
  let durationMinutes: number | null = null;
  let channel: string | null = null;
  const readDuration = (raw: string, plain: string): void => {
    if (isPlaceholder(raw)) {
      ctx.report.warning(within(ctx, head, raw), 'LP210', `the length of "${title}" is a template placeholder (${raw}): give it, e.g. "12:30" or "45 minutes"`);
      return;
    }
    durationMinutes = parseDuration(plain);
    if (durationMinutes === null) ctx.report.error(within(ctx, head, raw), 'LP204', `cannot read the length "${plain}" of "${title}": ${DURATION_EXAMPLES}`);
  };
  const readChannel = (raw: string, plain: string): void => {
    if (isPlaceholder(raw)) {
      ctx.report.warning(within(ctx, head, raw), 'LP210', `the channel of "${title}" is a template placeholder (${raw}): name the channel or source`);
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
  const index = ctx.doc.supplementaryVideos.length;
  ctx.doc.supplementaryVideos.push({ title, url: url === null ? null : checkUrl(ctx, url, at), durationMinutes, channel });
  ctx.report.position(['supplementaryVideos', index], at);
  strayInItem(ctx, head.next, 'a video is one line: "Title — duration — channel"');
}

/** Of two readings of a line with only hyphens, the one whose second part is a length, when only one has it. */
function chooseReading({ segments, alternative }: SplitLine): { segments: Segment[]; decided: boolean } {
  if (!alternative) return { segments, decided: true };
  const isLength = (reading: Segment[]): boolean => {
    const second = reading[1];
    return second !== undefined && parseDuration(plainOf(second.pieces).trim()) !== null;
  };
  if (isLength(segments) !== isLength(alternative)) return { segments: isLength(segments) ? segments : alternative, decided: true };
  return { segments, decided: false };
}

