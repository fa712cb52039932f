import { memoizeText } from './text-memo.js';
// Durations as authors write them: "35 minutes", "1.5 hours", "1h 30m", "10:42", "1:02:03".
// Values are minutes, kept to a thousandth of a minute so that mm:ss lengths stay exact
// enough (10:42 → 10.7) and every value `formatDuration` writes reads back unchanged.

/** The largest duration the schema accepts, in minutes. */
const MAX_MINUTES = 1_000_000;

// A Map: a unit such as "constructor" must not reach an inherited property.
const UNIT_MINUTES: ReadonlyMap<string, { family: 'h' | 'm' | 's'; minutes: number }> = new Map([
  ['h', { family: 'h', minutes: 60 }],
  ['hr', { family: 'h', minutes: 60 }],
  ['hrs', { family: 'h', minutes: 60 }],
  ['hour', { family: 'h', minutes: 60 }],
  ['hours', { family: 'h', minutes: 60 }],
  ['m', { family: 'm', minutes: 1 }],
  ['min', { family: 'm', minutes: 1 }],
  ['mins', { family: 'm', minutes: 1 }],
  ['minute', { family: 'm', minutes: 1 }],
  ['minutes', { family: 'm', minutes: 1 }],
  ['s', { family: 's', minutes: 1 / 60 }],
  ['sec', { family: 's', minutes: 1 / 60 }],
  ['secs', { family: 's', minutes: 1 / 60 }],
  ['second', { family: 's', minutes: 1 / 60 }],
  ['seconds', { family: 's', minutes: 1 / 60 }],
]);

const APPROXIMATELY = /^(?:~|about\s|approx\.?\s|approximately\s|ca\.\s|circa\s)\s*/;
const CLOCK = /^(\d{1,6}):([0-5]\d)(?::([0-5]\d))?$/;
// One "<number> <unit>" part; parts may be joined by spaces, commas or "and".
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)/y;
const JOINER = /(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+)/y;

/** Rounds minutes to a thousandth of a minute. */
export function roundMinutes(minutes: number): number {
  return Math.round(minutes * 1000) / 1000;
}

/**
 * Reads a duration such as "35 minutes", "45 min", "1 hour", "1.5 hours", "1 hour 15 minutes",
 * "1h 30m", "90 seconds", "10:42" (mm:ss) or "1:02:03" (h:mm:ss) as minutes; null when unreadable.
 */
export const parseDuration: (text: string) => number | null = memoizeText(readDuration);

function readDuration(text: string): number | null {
  const input = text.trim().toLowerCase().replace(APPROXIMATELY, '').replace(/\.$/, '');
  if (input === '' || input.length > 100) return null;
  const clock = CLOCK.exec(input);
  if (clock) {
    const [, a, b, c] = clock;
    const minutes = c === undefined ? Number(a) + Number(b) / 60 : Number(a) * 60 + Number(b) + Number(c) / 60;
    return checked(minutes);
  }
  let total = 0;
  const seen = new Set<string>();
  let pos = 0;
  while (pos < input.length) {
    if (pos > 0) {
      JOINER.lastIndex = pos;
      const joiner = JOINER.exec(input);
      // "1h30m" needs no joiner; anything else between parts is not a duration.
      if (joiner) pos = JOINER.lastIndex;
    }
    PART.lastIndex = pos;
    const part = PART.exec(input);
    if (!part) return null;
    const unit = UNIT_MINUTES.get(part[2]!);
    if (!unit || seen.has(unit.family)) return null;
    seen.add(unit.family);
    total += Number(part[1]) * unit.minutes;
    pos = PART.lastIndex;
  }
  return seen.size === 0 ? null : checked(total);
}

function checked(minutes: number): number | null {
  return Number.isFinite(minutes) && minutes >= 0 && minutes <= MAX_MINUTES ? roundMinutes(minutes) : null;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Writes minutes the way authors do: "35 minutes", "1 hour 15 minutes", "10:42" for lengths
 * with whole seconds, "12.345 minutes" otherwise. `parseDuration` reads every result back.
 */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return `${minutes} minutes`;
  if (Number.isInteger(minutes)) {
    if (minutes < 60) return plural(minutes, 'minute');
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
  }
  // A length read from "50:13" is kept to a thousandth of a minute (50.217); writing it as the
  // whole seconds it rounds from reads back to exactly the same value.
  const seconds = Math.round(minutes * 60);
  if (roundMinutes(seconds / 60) === minutes) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  }
  return `${roundMinutes(minutes)} minutes`;
}
