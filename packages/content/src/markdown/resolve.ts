import { SlugSchema, type ChecklistTarget } from '@learnpath/schema';
import { plainValue, type KeyValue } from './fields.js';
import { isPlaceholder } from './inline.js';
import { ReferenceIndex, resolveReference } from './references.js';
import { inferChecklistTarget } from './checklist.js';
import type { ParseContext, PendingTarget } from './context.js';

/** Resolves every reference phrase and checklist target once all phases are known. */
export function resolvePending(ctx: ParseContext): void {
  const index = new ReferenceIndex({ phases: ctx.doc.phases });
  for (const pending of ctx.pending) {
    const { refs, problems } = resolveReference(pending.tokens, { phaseIndex: pending.phaseIndex, mode: pending.mode }, index);
    for (const problem of problems) ctx.report.error(pending.at, problem.code, problem.message);
    pending.apply(refs);
    for (let i = 0; i < refs.length; i++) ctx.report.position(pending.pointer, pending.at, i);
  }
  for (const target of ctx.targets) {
    ctx.doc.checklist[target.index]!.target = target.explicit ? explicitTarget(ctx, target.explicit) : inferTarget(ctx, target);
  }
}

function explicitTarget(ctx: ParseContext, value: KeyValue): ChecklistTarget {
  if (isPlaceholder(value.raw)) {
    ctx.report.warning(value.at, 'LP210', 'Target is a template placeholder: name a phase ("Phase 2"), "supplementary" or "none"');
    return null;
  }
  const text = plainValue(value);
  const lower = text.toLowerCase();
  if (/^(none|nothing|n\/a)$/.test(lower)) return null;
  if (/^supplementary(?: materials?)?$/.test(lower)) return 'supplementary';
  const number = /^phase\s+(\d{1,6})$/.exec(lower);
  if (number) {
    const phase = ctx.doc.phases[Number(number[1]) - 1];
    if (phase) return { phase: phase.id };
    ctx.report.error(value.at, 'LP107', `Target names Phase ${number[1]}, but the path has ${ctx.doc.phases.length} phases`);
    return null;
  }
  const id = /^phase\s+(\S+)$/.exec(text)?.[1] ?? text;
  if (SlugSchema.safeParse(id).success && value.pieces.some((p) => p.kind === 'node' && p.node.type === 'code')) return { phase: id };
  ctx.report.error(value.at, 'LP206', `cannot read Target "${text}": expected "Phase N", "phase \`id\`", "supplementary" or "none"`);
  return null;
}

function inferTarget(ctx: ParseContext, target: PendingTarget): ChecklistTarget {
  return inferChecklistTarget(target.label, ctx.doc.phases, (n) => {
    ctx.report.error(target.at, 'LP107', `the checklist item "${target.label}" names Phase ${n}, but the path has ${ctx.doc.phases.length} phases`);
  });
}
