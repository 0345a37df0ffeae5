import { dayNumber, fromDayNumber, pad2, pad4 } from '../../se/calendar.js';

/** A PostgreSQL date or timestamp in ISO text form, taken apart. */
export interface PgDate {
  /** Astronomical year: 1 BC is 0. */
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** What follows the date, e.g. ` 12:34:56.789+02` (empty for a date). */
  readonly rest: string;
}

const PATTERN = /^(\d{4,})-(\d{2})-(\d{2})(.*?)( BC)?$/;

/** The number the ASCII digits `text[from, to)` write; -1 when one is no digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Parses `YYYY-MM-DD[ time[offset]][ BC]` (DateStyle ISO). Undefined for `infinity` and anything else. */
export function parsePgDate(text: string): PgDate | undefined {
  // A plain date, `YYYY-MM-DD` (what a date column holds): read by hand, as PATTERN reads it.
  if (text.length === 10 && text.charCodeAt(4) === 0x2d && text.charCodeAt(7) === 0x2d) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 7);
    const day = digits(text, 8, 10);
    if (year >= 0 && month >= 0 && day >= 0) return { year, month, day, rest: '' };
  }
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const written = Number(m[1]);
  return { year: m[5] ? 1 - written : written, month: Number(m[2]), day: Number(m[3]), rest: m[4]! };
}

/** Writes a date part back in PostgreSQL's ISO form (` BC` for years ≤ 0). */
export function formatPgDate(year: number, month: number, day: number, rest = ''): string {
  const bc = year <= 0;
  return `${pad4(bc ? 1 - year : year)}-${pad2(month)}-${pad2(day)}${rest}${bc ? ' BC' : ''}`;
}

/** The date `days` after (or before) a parsed one, the rest kept. */
export function shiftPgDate(date: PgDate, days: number): string {
  const d = fromDayNumber(dayNumber(date.year, date.month, date.day) + days);
  return formatPgDate(d.year, d.month, d.day, date.rest);
}

/** The time-zone offset at the end of a timestamptz's rest (`+02`, `-05:30`), or ''. */
export function offsetOf(rest: string): string {
  const m = /[+-]\d{2}(:\d{2}){0,2}$/.exec(rest);
  return m ? m[0] : '';
}
