import { type IntHasher, permute } from '../random/permutation.js';
import { dayNumber, daysInMonth, fromDayNumber, isRealDate } from './calendar.js';
import { type IdentityNumber, twelveDigits } from './identity-number.js';

/** What a synthetic number keeps besides its kind: sex (default) and the birth decade, year or date. */
export interface SyntheticOptions {
  readonly keepSex: boolean;
  readonly keepBirth: 'decade' | 'year' | 'date';
}

const MODE = { date: 0, year: 1, decade: 2 } as const;

/**
 * A keyed, format-preserving bijection on personnummer (or samordningsnummer): within the
 * input's class (birth decade, year or date; sex; kind) a Feistel permutation maps
 * (birth day, birth number) to another pair, and the check digit is recomputed. Distinct
 * well-formed inputs give distinct outputs by construction. Birth number 000 is never output.
 * An impossible date is first moved to a real day of the same year (chosen by the key), so such
 * an input may share its output with a well-formed one; `unique: true` resolves that.
 * @example syntheticIdentity(prf, parseIdentityNumber('198112189876')!, { keepSex: true, keepBirth: 'year' })
 */
export function syntheticIdentity(prf: IntHasher, n: IdentityNumber, options: SyntheticOptions): string {
  const offset = n.kind === 'samordningsnummer' ? 60 : 0;
  const parity = n.serial % 2;
  const count = options.keepSex ? (parity === 0 ? 499 : 500) : 999;
  // Index of the birth number: 000 is not a birth number, so it shares index 0 with 001/002.
  const serialIndex = Math.max(0, options.keepSex ? (parity === 0 ? n.serial / 2 - 1 : (n.serial - 1) / 2) : n.serial - 1);
  const toSerial = (i: number): number => (options.keepSex ? (parity === 0 ? 2 * (i + 1) : 2 * i + 1) : i + 1);
  const kindBit = offset === 0 ? 0 : 1;
  const sexKey = options.keepSex ? parity : 2;

  let month = n.month;
  let day = n.day - offset;
  if (offset !== 0 && (month === 0 || day === 0)) {
    // A samordningsnummer with an unknown month or day: keep the date, permute the birth number.
    const tweak = (((n.year * 10000 + month * 100 + day) * 3 + sexKey) * 2 + kindBit) * 4 + 3;
    const i = permute(prf, count, tweak >>> 0, serialIndex);
    return twelveDigits({ year: n.year, month, day: day + offset, serial: toSerial(i), check: 0 }, true);
  }
  if (!isRealDate(n.year, month, day)) {
    const h = prf.hashInts(0x66697864, n.year, (n.month << 16) | (n.day << 8) | 1)[1];
    month = (h % 12) + 1;
    day = (Math.floor(h / 12) % daysInMonth(n.year, month)) + 1;
  }
  const today = dayNumber(n.year, month, day);
  let first: number;
  let days: number;
  let classId: number;
  if (options.keepBirth === 'date') {
    first = today;
    days = 1;
    classId = n.year * 10000 + month * 100 + day;
  } else if (options.keepBirth === 'year') {
    first = dayNumber(n.year, 1, 1);
    days = dayNumber(n.year + 1, 1, 1) - first;
    classId = n.year;
  } else {
    const decade = Math.floor(n.year / 10) * 10;
    first = dayNumber(decade, 1, 1);
    days = dayNumber(decade + 10, 1, 1) - first;
    classId = decade;
  }
  const tweak = (((classId * 3 + sexKey) * 2 + kindBit) * 4 + MODE[options.keepBirth]) >>> 0;
  const y = permute(prf, days * count, tweak, (today - first) * count + serialIndex);
  const date = fromDayNumber(first + Math.floor(y / count));
  return twelveDigits({ year: date.year, month: date.month, day: date.day + offset, serial: toSerial(y % count), check: 0 }, true);
}
