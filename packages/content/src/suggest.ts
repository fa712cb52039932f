import { distance } from 'fastest-levenshtein';

/**
 * The known word closest to what was written, when it is close enough to be a likely typo
 * (two edits, or a third of its letters for longer words); null otherwise.
 */
export function closestMatch(written: string, known: Iterable<string>): string | null {
  const input = written.trim().toLowerCase();
  if (input === '') return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(input, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // A swap of two letters costs 2, so short words allow 2 edits; longer ones a third of their letters.
  const length = Math.max(input.length, best?.length ?? 0);
  const limit = length <= 3 ? 1 : Math.max(2, Math.floor(length / 3));
  return best !== null && bestDistance > 0 && bestDistance <= limit ? best : null;
}

/** `; did you mean "x"?` for a likely typo, or an empty string. */
export function didYouMean(written: string, known: Iterable<string>, format: (match: string) => string = (m) => `"${m}"`): string {
  const match = closestMatch(written, known);
  return match === null ? '' : `; did you mean ${format(match)}?`;
}
