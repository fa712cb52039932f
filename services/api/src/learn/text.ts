import type { ResourceKind } from '@learnpath/schema';

/** How a resource kind reads: `article` → `Article`. */
export function kindLabel(kind: ResourceKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** How a level reads: `beginner` → `Beginner`. */
export function levelLabel(level: string): string {
  return level.charAt(0).toUpperCase() + level.slice(1);
}

/** "1 resource", "2 resources". */
export function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
