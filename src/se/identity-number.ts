import { isRealDate, pad2, pad4, type Today, today } from './calendar.js';
import { luhnCheckDigit } from './luhn.js';

/** How a personnummer or samordningsnummer was written: 10 or 12 digits, with `-`, `+` or no separator. */
export interface IdentityForm {
  readonly digits: 10 | 12;
  readonly separator: '' | '-' | '+';
}

/** A personnummer or samordningsnummer taken apart. Fields hold what was written, valid or not. */
export interface IdentityNumber {
  /** Full birth year (inferred from the separator and today's date for 10-digit forms). */
  readonly year: number;
  readonly month: number;
  /** The day as written: 61–91 (or 60) for a samordningsnummer. */
  readonly day: number;
  /** The three-digit birth number, 0–999; its last digit is odd for men. */
  readonly serial: number;
  readonly check: number;
  readonly form: IdentityForm;
  /** A day above 60 marks a samordningsnummer. */
  readonly kind: 'personnummer' | 'samordningsnummer';
  /** The Luhn digit is right. */
  readonly luhnValid: boolean;
  /** The date exists (for a samordningsnummer, month 00 and day 60 mean "unknown" and count as valid). */
  readonly dateValid: boolean;
}

function dateOk(kind: IdentityNumber['kind'], year: number, month: number, day: number): boolean {
  if (kind === 'samordningsnummer') {
    const d = day - 60;
    if (month === 0) return d >= 0 && d <= 31;
    if (d === 0) return month >= 1 && month <= 12;
    return isRealDate(year, month, d);
  }
  return isRealDate(year, month, day);
}

/** Whether a date part is a real date for its kind (samordningsnummer: day + 60, month 00 and day 60 allowed). */
export function identityDateValid(kind: IdentityNumber['kind'], year: number, month: number, day: number): boolean {
  return dateOk(kind, year, month, day);
}

/** The digit (0–9) at `i`, or -1 for any other character. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** A digit's share of a Luhn sum where it is doubled: twice the digit, less 9 when above 9. */
const luhnDoubled = (d: number): number => (d > 4 ? d * 2 - 9 : d * 2);

/**
 * Parses a personnummer or samordningsnummer in any common form (`YYYYMMDDNNNC`,
 * `YYYYMMDD-NNNC`, `YYMMDDNNNC`, `YYMMDD-NNNC`, `YYMMDD+NNNC`). Returns undefined when the
 * shape is wrong; a wrong check digit or date is reported in the result, not rejected.
 * `now` (default: today) places a 10-digit number in its century.
 * @example parseIdentityNumber('811218-9876')?.year // 1981
 */
export function parseIdentityNumber(text: string, now?: Today): IdentityNumber | undefined {
  // The length decides where the parts are: 10 or 12 digits, a separator before the last four or not.
  const n = text.length;
  if (n < 10 || n > 13) return undefined;
  const withCentury = n >= 12;
  let sep: IdentityForm['separator'] = '';
  if (n === 11 || n === 13) {
    const c = text.charCodeAt(n - 5);
    if (c === 45) sep = '-';
    else if (c === 43) sep = '+';
    else return undefined;
  }
  // YYMMDD from `at`, NNN and the check digit from `nnn`; every one of them must be a digit.
  const at = withCentury ? 2 : 0;
  const nnn = n - 4;
  const c0 = withCentury ? digitAt(text, 0) : 0;
  const c1 = withCentury ? digitAt(text, 1) : 0;
  const y0 = digitAt(text, at);
  const y1 = digitAt(text, at + 1);
  const m0 = digitAt(text, at + 2);
  const m1 = digitAt(text, at + 3);
  const d0 = digitAt(text, at + 4);
  const d1 = digitAt(text, at + 5);
  const n0 = digitAt(text, nnn);
  const n1 = digitAt(text, nnn + 1);
  const n2 = digitAt(text, nnn + 2);
  const check = digitAt(text, nnn + 3);
  if ((c0 | c1 | y0 | y1 | m0 | m1 | d0 | d1 | n0 | n1 | n2 | check) < 0) return undefined;
  const twoDigit = y0 * 10 + y1;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  let year: number;
  if (withCentury) {
    if (sep === '+') return undefined;
    year = (c0 * 10 + c1) * 100 + twoDigit;
  } else {
    const t = now ?? today();
    year = t.year - ((((t.year - twoDigit) % 100) + 100) % 100);
    const realDay = day > 60 ? day - 60 : day;
    if (month > t.month || (month === t.month && realDay > t.day)) {
      if (year === t.year) year -= 100;
    }
    if (sep === '+') year -= 100;
  }
  const kind = day >= 60 ? 'samordningsnummer' : 'personnummer';
  // Luhn over YYMMDDNNN: every other digit doubled (less 9 above 9), starting with the first.
  const sum = luhnDoubled(y0) + y1 + luhnDoubled(m0) + m1 + luhnDoubled(d0) + d1 + luhnDoubled(n0) + n1 + luhnDoubled(n2);
  return {
    year,
    month,
    day,
    serial: n0 * 100 + n1 * 10 + n2,
    check,
    form: { digits: withCentury ? 12 : 10, separator: sep },
    kind,
    luhnValid: (10 - (sum % 10)) % 10 === check,
    dateValid: dateOk(kind, year, month, day),
  };
}

/** 00–99 and 000–999, as pad2 and a 3-digit padStart write them. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => pad2(i));
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** The 12-digit form without separator, as the test lists hold it (check digit recomputed when `fixCheck`). */
export function twelveDigits(n: Pick<IdentityNumber, 'year' | 'month' | 'day' | 'serial' | 'check'>, fixCheck = false): string {
  // Fields in their usual ranges come from the tables; anything else is written as pad2 / padStart / pad4 write it.
  const yy = n.year % 100;
  const nine = `${TWO_DIGITS[yy] ?? pad2(yy)}${TWO_DIGITS[n.month] ?? pad2(n.month)}${TWO_DIGITS[n.day] ?? pad2(n.day)}${THREE_DIGITS[n.serial] ?? String(n.serial).padStart(3, '0')}`;
  const check = fixCheck ? luhnCheckDigit(nine) : n.check;
  const century = Number.isInteger(n.year) && n.year >= 0 && n.year <= 9999 ? TWO_DIGITS[Math.floor(n.year / 100)]! : pad4(n.year).slice(0, 2);
  return `${century}${nine}${check}`;
}

/** Whether someone born in `year-month-day` is at least 100 years old on `now` (the `+` separator). */
function centenarian(year: number, month: number, day: number, now: Today): boolean {
  const realDay = day > 60 ? day - 60 : day;
  const age = now.year - year - (month > now.month || (month === now.month && realDay > now.day) ? 1 : 0);
  return age >= 100;
}

/**
 * Writes a 12-digit number (`YYYYMMDDNNNC`) in a form. In the 10-digit form with a separator,
 * the separator is `+` when the person is 100 or older, as Skatteverket writes it.
 * @example formatIdentityNumber('198112189876', { digits: 10, separator: '-' }) // '811218-9876'
 */
export function formatIdentityNumber(twelve: string, form: IdentityForm, now: Today = today()): string {
  if (form.digits === 12) return form.separator === '' ? twelve : `${twelve.slice(0, 8)}-${twelve.slice(8)}`;
  const ten = twelve.slice(2);
  if (form.separator === '') return ten;
  const year = Number(twelve.slice(0, 4));
  const month = Number(twelve.slice(4, 6));
  const day = Number(twelve.slice(6, 8));
  return `${ten.slice(0, 6)}${centenarian(year, month, day, now) ? '+' : '-'}${ten.slice(6)}`;
}
