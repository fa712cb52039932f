import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, roundMinutes } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['35 minutes', 35],
    ['1 minute', 1],
    ['45 min', 45],
    ['45 mins', 45],
    ['1 hour', 60],
    ['2 hours', 120],
    ['1.5 hours', 90],
    ['1 hour 15 minutes', 75],
    ['1 hour and 15 minutes', 75],
    ['1 hour, 15 minutes', 75],
    ['1h 30m', 90],
    ['1h30m', 90],
    ['2 hrs', 120],
    ['90 seconds', 1.5],
    ['90s', 1.5],
    ['10:42', 10.7],
    ['1:02:03', 62.05],
    ['0:30', 0.5],
    ['~30 minutes', 30],
    ['about 20 min', 20],
    ['  35 Minutes. ', 35],
    ['12.345 minutes', 12.345],
  ])('reads %j as %d minutes', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });

  it.each(['', 'forever', '35', 'thirty minutes', '30-40 minutes', '1 hour 2 hours', '10:61', '[Duration]', '5 days', 'minutes'])('cannot read %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('rounds to a thousandth of a minute', () => {
    expect(parseDuration('10:41')).toBe(10.683);
  });
});

describe('formatDuration', () => {
  it.each([
    [35, '35 minutes'],
    [1, '1 minute'],
    [60, '1 hour'],
    [75, '1 hour 15 minutes'],
    [120, '2 hours'],
    [10.7, '10:42'],
    [62.05, '1:02:03'],
    [12.345, '12.345 minutes'],
  ])('writes %d as %j', (minutes, text) => {
    expect(formatDuration(minutes)).toBe(text);
  });

  it('writes what parseDuration reads back', () => {
    const minutes = fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 0, max: 100_000 }).map((s) => roundMinutes(s / 60)),
      fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 1000),
    );
    fc.assert(
      fc.property(minutes, (m) => {
        expect(parseDuration(formatDuration(m))).toBe(m);
      }),
      { numRuns: 500 },
    );
  });
});
