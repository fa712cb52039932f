import type { Node } from 'commonmark';
import { readKeyValue, type KeyValue } from './fields.js';
import { piecesOf, plainOf } from './inline.js';
import { startOf } from './source.js';
import { readItems, strayInItem, type ParseContext } from './context.js';

/** Reads `## Completion Checklist`: task items, each optionally with a `Target:` bullet; targets resolve later. */
export function readChecklist(ctx: ParseContext, blocks: Node[]): void {
  readItems(ctx, blocks, 'Completion Checklist', 'a task list: "- [ ] Phase 1 completed"', (item) => readChecklistItem(ctx, item));
}

function readChecklistItem(ctx: ParseContext, item: Node): void {
  const head = item.firstChild;
  const at = startOf(item);
  const pieces = head?.type === 'paragraph' ? piecesOf(head) : [];
  const first = pieces[0];
  const box = first?.kind === 'text' ? /^\[([ xX])\](?:\s+|$)/.exec(first.text) : null;
  if (!head || !box || !first || first.kind !== 'text') {
    ctx.report.error(at, 'LP203', 'expected a task: "- [ ] label" (or "- [x] label" when done)');
    return;
  }
  const label = plainOf([{ kind: 'text', text: first.text.slice(box[0].length) }, ...pieces.slice(1)]).trim();
  if (label === '') {
    ctx.report.error(at, 'LP203', 'the task has no label: expected "- [ ] label"');
    return;
  }
  let explicit: KeyValue | null = null;
  let block = head.next;
  if (block && block.type === 'list') {
    for (let bullet = block.firstChild; bullet !== null; bullet = bullet.next) {
      const paragraph = bullet.firstChild;
      const value = paragraph?.type === 'paragraph' ? readKeyValue(paragraph, ctx.source) : null;
      if (!value) ctx.report.error(startOf(bullet), 'LP203', 'expected "Target: Phase N", "Target: supplementary" or "Target: none"');
      else if (value.key !== 'target') ctx.report.error(startOf(bullet), 'LP207', `unknown field "${value.label}" on a checklist item: expected Target`);
      else if (explicit) ctx.report.error(startOf(bullet), 'LP211', 'the checklist item gives Target twice');
      else explicit = value;
      if (paragraph) strayInItem(ctx, paragraph.next, 'expected one "Key: Value" line');
    }
    block = block.next;
  }
  strayInItem(ctx, block, 'a task is one line, optionally with a nested "- Target: …" bullet');
  const index = ctx.doc.checklist.length;
  ctx.doc.checklist.push({ label, target: null, checked: box[1] !== ' ' });
  ctx.report.position(['checklist', index], at);
  ctx.report.position(['checklist', index, 'target'], explicit ? explicit.at : at);
  ctx.targets.push({ index, label, explicit, at });
}
