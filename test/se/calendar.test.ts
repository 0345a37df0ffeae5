import { describe, expect, it } from 'vitest';
import { dayNumber, fromDayNumber } from '../../src/se/calendar.js';

/** What JavaScript's Date says, which the integer arithmetic must agree with everywhere. */
function dateDayNumber(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / 86_400_000);
}
function dateOf(n: number): { year: number; month: number; day: number } {
  const d = new Date(n * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

describe('calendar day numbers', () => {
  it('agree with Date on every day from 1600 to 2400 and back', () => {
    for (let n = dayNumber(1600, 1, 1); n <= dayNumber(2400, 12, 31); n++) {
      const date = fromDayNumber(n);
      expect(date).toEqual(dateOf(n));
      expect(dayNumber(date.year, date.month, date.day)).toBe(n);
    }
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(fromDayNumber(-1)).toEqual({ year: 1969, month: 12, day: 31 });
  });

  it('agree with Date on negative years, days past a month, months out of range and the ends of what Date holds', () => {
    for (const year of [-271_821, -4713, -401, -400, -1, 0, 1, 4, 100, 1900, 2000, 2100, 275_759, 275_760, 300_000])
      for (let month = -1; month <= 14; month++)
        for (const day of [-31, 0, 1, 28, 29, 30, 31, 32, 60, 366]) expect(Object.is(dayNumber(year, month, day), dateDayNumber(year, month, day))).toBe(true);
    for (const n of [-100_000_001, -100_000_000, 99_999_999, 100_000_000, 100_000_001, 0.5, Number.NaN]) expect(fromDayNumber(n)).toEqual(dateOf(n));
    expect(dayNumber(2000, 1.5, 1)).toBe(dateDayNumber(2000, 1.5, 1));
  });
});
