import type { ChecklistTarget } from '@learnpath/schema';

/** The target a checklist label implies: "Phase N" names a phase, "supplementary" the extras. */
export function inferChecklistTarget(label: string, phases: readonly { id: string }[], unknownPhase?: (n: number) => void): ChecklistTarget {
  const number = /\bphase\s+(\d{1,6})\b/i.exec(label);
  if (number) {
    const phase = phases[Number(number[1]) - 1];
    if (phase) return { phase: phase.id };
    unknownPhase?.(Number(number[1]));
    return null;
  }
  return /supplementary/i.test(label) ? 'supplementary' : null;
}
