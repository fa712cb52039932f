import type { Node } from 'commonmark';
import { SlugSchema, slugify, type PathPointer, type ResourceKind } from '@learnpath/schema';
import { parseDuration } from '../duration.js';
import { didYouMean } from '../suggest.js';
import { isMissingTitle, plainValue, readKeyValue, readTitle } from './fields.js';
import { isPlaceholder, piecesOf, plainOf, splitLine } from './inline.js';
import { startOf } from './source.js';
import { checkUrl, readReferences, strayInItem, within, type ParseContext, type PhaseDoc, type ResourceDoc } from './context.js';
import { DURATION_EXAMPLES, KIND_NAMES, RESOURCE_FIELDS, RESOURCE_FIELD_LABELS, RESOURCE_KEYS, kindLabel, kindNames, readKind } from './vocabulary.js';

/** Reads one numbered resource: `**Title** — [Kind]` with its nested `Key: Value` bullets. */
export function readResource(ctx: ParseContext, item: Node, phase: PhaseDoc, phaseIndex: number): void {
  const head = item.firstChild;
  if (!head || head.type !== 'paragraph') {
    ctx.report.error(startOf(item), 'LP203', 'expected a resource: "**Title** — [Kind]"');
    return;
  }
  const index = phase.resources.length;
  const pointer: PathPointer = ['phases', phaseIndex, 'resources', index];
  const at = startOf(head);
  const pieces = piecesOf(head);
  const [titleSegment, kindSegment] = splitLine(pieces, ctx.source.blocks(head), 2).segments;
  const { title, url: titleUrl } = readTitle(titleSegment!.pieces);
  if (isMissingTitle(titleSegment!.raw)) {
    ctx.report.error(at, 'LP213', 'the title of the resource is missing: write it before the kind, e.g. "**Window functions** — [Article]"');
    return;
  }
  let kind: ResourceKind = 'other';
  if (!kindSegment) {
    ctx.report.error(at, 'LP205', `the resource "${title}" has no kind: expected "**${title}** — [Article]" with one of ${kindNames()}`);
  } else {
    const kindText = plainOf(kindSegment.pieces).trim();
    const read = readKind(kindText);
    if (read) kind = read;
    else {
      const hint = didYouMean(kindText.replace(/^\[|\]$/g, ''), KIND_NAMES.keys(), (m) => `"[${kindLabel(KIND_NAMES.get(m) ?? 'other')}]"`);
      ctx.report.error(within(ctx, head, kindSegment.raw), 'LP205', `unknown resource kind "${kindText}"${hint}: expected one of ${kindNames()}, e.g. "[Article]"`);
    }
  }
  const resource: ResourceDoc = { id: slugify(title), title, kind, url: null, durationMinutes: null, focus: null, dependsOn: [], next: null };
  if (titleUrl !== null) resource.url = checkUrl(ctx, titleUrl, at);
  phase.resources.push(resource);
  ctx.report.position(pointer, startOf(item));
  ctx.report.positionMembers(pointer, at);

  const seen = new Set<string>();
  if (titleUrl !== null) seen.add('url');
  let block = head.next;
  for (; block !== null && block.type === 'list'; block = block.next) {
    for (let bullet = block.firstChild; bullet !== null; bullet = bullet.next) {
      readResourceField(ctx, bullet, resource, phaseIndex, pointer, seen);
    }
  }
  strayInItem(ctx, block, `expected nested "Key: Value" bullets (${RESOURCE_KEYS})`);
}

function readResourceField(ctx: ParseContext, bullet: Node, resource: ResourceDoc, phaseIndex: number, pointer: PathPointer, seen: Set<string>): void {
  const paragraph = bullet.firstChild;
  const value = paragraph?.type === 'paragraph' ? readKeyValue(paragraph, ctx.source) : null;
  if (!value) {
    ctx.report.error(startOf(bullet), 'LP203', `expected a "Key: Value" bullet with one of ${RESOURCE_KEYS}`);
    return;
  }
  strayInItem(ctx, paragraph!.next, 'expected one "Key: Value" line');
  const field = RESOURCE_FIELDS.get(value.key);
  if (!field) {
    const hint = didYouMean(value.key, RESOURCE_FIELD_LABELS, (m) => `"${m}:"`);
    ctx.report.error(startOf(bullet), 'LP207', `unknown field "${value.label}"${hint}: expected one of ${RESOURCE_KEYS}`);
    return;
  }
  if (seen.has(field)) {
    ctx.report.error(startOf(bullet), 'LP211', field === 'url' ? `the URL of "${resource.title}" is given twice (a linked title and a URL bullet): keep one` : `"${value.label}" is given twice for "${resource.title}": keep one`);
    return;
  }
  seen.add(field);
  const target = field === 'duration' ? 'durationMinutes' : field === 'dependencies' ? 'dependsOn' : field;
  // The resource's line was recorded for every field; the bullet is more precise.
  ctx.report.positions.replace(pointer, value.at, target);
  if (isPlaceholder(value.raw) || value.raw === '') {
    ctx.report.warning(value.at, 'LP210', value.raw === '' ? `"${value.label}" of "${resource.title}" has no value: fill it in or remove the bullet` : `"${value.label}" of "${resource.title}" is a template placeholder (${value.raw}): fill it in; until then it is not set`);
    return;
  }
  switch (field) {
    case 'duration': {
      const minutes = parseDuration(plainValue(value));
      if (minutes === null) ctx.report.error(value.at, 'LP204', `cannot read the duration "${plainValue(value)}": ${DURATION_EXAMPLES}`);
      resource.durationMinutes = minutes;
      return;
    }
    case 'focus':
      resource.focus = value.raw;
      return;
    case 'url': {
      const link = value.pieces.find((p) => p.kind === 'node' && p.node.type === 'link');
      const url = link?.kind === 'node' && plainOf(value.pieces.filter((p) => p !== link)).trim() === '' ? (link.node.destination ?? '') : plainValue(value);
      resource.url = checkUrl(ctx, url, value.at);
      return;
    }
    case 'id': {
      const id = plainValue(value);
      if (SlugSchema.safeParse(id).success) resource.id = id;
      else ctx.report.error(value.at, 'LP004', `the id "${id}" is not a slug: expected lowercase letters, digits and single hyphens, e.g. "${slugify(id)}"`);
      return;
    }
    case 'next':
      readReferences(ctx, value, phaseIndex, 'next', [...pointer, 'next'], (refs) => {
        resource.next = refs[0] ?? null;
      });
      return;
    case 'dependencies':
      readReferences(ctx, value, phaseIndex, 'dependency', [...pointer, 'dependsOn'], (refs) => {
        resource.dependsOn = refs;
      });
      return;
  }
}
