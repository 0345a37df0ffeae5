/**
 * Values of built-in types in COPY's binary format, read as the text PostgreSQL writes in COPY
 * text under pgmask's pinned session settings (DateStyle ISO), and written back from text.
 * Integers are big-endian two's complement; a date is the days since 2000-01-01 as an int32
 * (`infinity` and `-infinity` at its maximum and minimum); a timestamp the microseconds since
 * 2000-01-01 00:00 as an int64 (the same for infinity).
 */

/** The binary forms of this file: values read and written as numbers. */
export type NumericForm = 'int2' | 'int4' | 'int8' | 'date' | 'timestamp';

/** Julian day of 2000-01-01, the day COPY's dates and timestamps count from. */
const EPOCH_JDATE = 2451545;
/** The first and one past the last Julian day PostgreSQL's date accepts (4714-11-24 BC .. 5874897-12-31). */
const DATE_MIN_JULIAN = 0;
const DATE_END_JULIAN = 2147483494;
/** One past the last Julian day a timestamp accepts (294277-01-01). */
const TIMESTAMP_END_JULIAN = 109203528;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const USECS_PER_DAY = 86_400_000_000n;
/** One past the last microsecond a timestamp accepts. */
const TIMESTAMP_END = BigInt(TIMESTAMP_END_JULIAN - EPOCH_JDATE) * USECS_PER_DAY;
const TWO_32 = 0x1_0000_0000;

/** The byte length of each form's values. */
export const NUMERIC_FORM_LENGTH: Readonly<Record<NumericForm, number>> = { int2: 2, int4: 4, int8: 8, date: 4, timestamp: 8 };

/** What each form's values are, for errors: the value is never named. */
const WHAT: Readonly<Record<NumericForm, string>> = {
  int2: 'a smallint (-32768..32767)',
  int4: 'an integer (-2147483648..2147483647)',
  int8: 'a bigint (-9223372036854775808..9223372036854775807)',
  date: 'a date in ISO form (YYYY-MM-DD, with BC after it when it is one, or infinity)',
  timestamp: 'a timestamp in ISO form (YYYY-MM-DD HH:MM:SS[.ffffff], with BC after it when it is one, or infinity)',
};

/** Why a masked text is refused in a column of this form, never quoting it. */
export function numericFormReason(form: NumericForm): string {
  return `the masked value is not ${WHAT[form]}; have the rule write it so, or copy the table with --copy-format text`;
}

/** The Julian day of a (proleptic Gregorian) date; `year` astronomical (1 BC is 0). PostgreSQL's date2j. */
export function dateToJulian(year: number, month: number, day: number): number {
  let y = year;
  let m = month;
  if (m > 2) {
    m += 1;
    y += 4800;
  } else {
    m += 13;
    y += 4799;
  }
  const century = Math.floor(y / 100);
  return y * 365 - 32167 + Math.floor(y / 4) - century + Math.floor(century / 4) + Math.floor((7834 * m) / 256) + day;
}

/** The date of a Julian day ≥ 0, year astronomical. PostgreSQL's j2date. */
function julianToDate(jd: number): { year: number; month: number; day: number } {
  let julian = jd + 32044;
  let quad = Math.floor(julian / 146097);
  const extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + Math.floor(extra / 146097);
  quad = Math.floor(julian / 1461);
  julian -= quad * 1461;
  let y = Math.floor((julian * 4) / 1461);
  julian = (y !== 0 ? (julian + 305) % 365 : (julian + 306) % 366) + 123;
  y += quad * 4;
  const q = Math.floor((julian * 2141) / 65536);
  return { year: y - 4800, month: ((q + 10) % 12) + 1, day: julian - Math.floor((7834 * q) / 256) };
}

/** 00 to 99. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** A Julian day as DateStyle ISO writes it: `YYYY-MM-DD`, ` BC` appended after a time when there is one. */
function isoDate(jd: number): { date: string; bc: boolean } {
  const { year, month, day } = julianToDate(jd);
  const bc = year <= 0;
  const y = bc ? 1 - year : year;
  return { date: `${y >= 1000 ? String(y) : pad(y, 4)}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`, bc };
}

/** A date's binary value (days since 2000-01-01) as PostgreSQL writes it in text. */
export function formatDate(days: number): string {
  if (days === INT32_MAX) return 'infinity';
  if (days === INT32_MIN) return '-infinity';
  const { date, bc } = isoDate(days + EPOCH_JDATE);
  return bc ? `${date} BC` : date;
}

/** A timestamp's binary value (microseconds since 2000-01-01 00:00) as PostgreSQL writes it in text. */
export function formatTimestamp(usecs: bigint): string {
  if (usecs === INT64_MAX) return 'infinity';
  if (usecs === INT64_MIN) return '-infinity';
  let days = usecs / USECS_PER_DAY;
  let time = usecs % USECS_PER_DAY;
  if (time < 0n) {
    time += USECS_PER_DAY;
    days -= 1n;
  }
  const t = Number(time);
  const fraction = t % 1_000_000;
  const seconds = Math.floor(t / 1_000_000);
  const { date, bc } = isoDate(Number(days) + EPOCH_JDATE);
  let text = `${date} ${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  if (fraction !== 0) text += `.${pad(fraction, 6).replace(/0+$/, '')}`;
  return bc ? `${text} BC` : text;
}

/** Reads a value of `form` at `start` of `buf` (its length already checked) as PostgreSQL's text. */
export function decodeNumericForm(form: NumericForm, buf: Buffer, start: number): string {
  switch (form) {
    case 'int2':
      return String(buf.readInt16BE(start));
    case 'int4':
      return String(buf.readInt32BE(start));
    case 'int8': {
      const high = buf.readInt32BE(start);
      const low = buf.readUInt32BE(start + 4);
      // Within ±2^52 the double is exact; beyond it, a bigint.
      if (high >= -0x100000 && high < 0x100000) return String(high * TWO_32 + low);
      return String(buf.readBigInt64BE(start));
    }
    case 'date':
      return formatDate(buf.readInt32BE(start));
    case 'timestamp':
      return formatTimestamp(buf.readBigInt64BE(start));
  }
}

const INTEGER = /^\s*([+-]?)0*(\d+)\s*$/;
const DATE = /^\s*(\d{4,})-(\d{1,2})-(\d{1,2})(?:\s+(BC|AD))?\s*$/i;
const TIMESTAMP = /^\s*(\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{0,6}))?)?(?:\s*(?:Z|[+-]\d{1,2}(?::?\d{2}){0,2}))?(?:\s+(BC|AD))?\s*$/i;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The Julian day of a written date, or -1 when it is not one; `written` the year as written (BC counted down from 1). */
function julianOf(written: string, month: string, day: string, era: string | undefined): number {
  if (written.length > 7) return -1;
  const y = Number(written);
  if (y === 0) return -1;
  return validDay(era !== undefined && era.toUpperCase() === 'BC' ? 1 - y : y, Number(month), Number(day));
}

/** The Julian day of a date (year astronomical: 1 BC is 0), or -1 when there is no such day. */
function validDay(year: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1) return -1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!)) return -1;
  return dateToJulian(year, m, d);
}

/** The Julian day of a date written `YYYY-MM-DD` exactly (what transformers write), -1 when that is no date; undefined for any other text. */
function isoDay(text: string): number | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return undefined;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    year = year * 10 + d;
  }
  const m1 = text.charCodeAt(5) - 0x30;
  const m2 = text.charCodeAt(6) - 0x30;
  const d1 = text.charCodeAt(8) - 0x30;
  const d2 = text.charCodeAt(9) - 0x30;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return undefined;
  if (year === 0) return -1;
  return validDay(year, m1 * 10 + m2, d1 * 10 + d2);
}

/** The Julian day of any date text DATE matches; -1 when it is none. */
function dateDay(text: string): number {
  const m = DATE.exec(text);
  return m ? julianOf(m[1]!, m[2]!, m[3]!, m[4]) : -1;
}

/** Reads PostgreSQL's infinities as any of its text inputs write them; undefined for anything else. */
function infinity(text: string): 1 | -1 | undefined {
  const first = text.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) return undefined;
  const t = text.trim().toLowerCase();
  if (t === 'infinity') return 1;
  return t === '-infinity' ? -1 : undefined;
}

/** Writes `text` as a value of `form` into `out` at 0; false when it is not one (`out` then holds anything). */
export function encodeNumericForm(form: NumericForm, text: string, out: Buffer): boolean {
  switch (form) {
    case 'int2':
    case 'int4': {
      const m = INTEGER.exec(text);
      if (!m || m[2]!.length > 10) return false;
      const n = m[1] === '-' ? -Number(m[2]) : Number(m[2]);
      if (form === 'int2') {
        if (n < -0x8000 || n > 0x7fff) return false;
        out.writeInt16BE(n, 0);
      } else {
        if (n < INT32_MIN || n > INT32_MAX) return false;
        out.writeInt32BE(n, 0);
      }
      return true;
    }
    case 'int8': {
      const m = INTEGER.exec(text);
      if (!m || m[2]!.length > 19) return false;
      const n = BigInt(m[2]!) * (m[1] === '-' ? -1n : 1n);
      if (n < INT64_MIN || n > INT64_MAX) return false;
      out.writeBigInt64BE(n, 0);
      return true;
    }
    case 'date': {
      const inf = infinity(text);
      if (inf !== undefined) {
        out.writeInt32BE(inf === 1 ? INT32_MAX : INT32_MIN, 0);
        return true;
      }
      const jd = isoDay(text) ?? dateDay(text);
      if (jd < DATE_MIN_JULIAN || jd >= DATE_END_JULIAN) return false;
      out.writeInt32BE(jd - EPOCH_JDATE, 0);
      return true;
    }
    case 'timestamp': {
      const inf = infinity(text);
      if (inf !== undefined) {
        out.writeBigInt64BE(inf === 1 ? INT64_MAX : INT64_MIN, 0);
        return true;
      }
      // A time-zone offset is read and ignored, as timestamp's own input does.
      const m = TIMESTAMP.exec(text);
      if (!m) return false;
      const jd = julianOf(m[1]!, m[2]!, m[3]!, m[8]);
      if (jd < DATE_MIN_JULIAN || jd >= TIMESTAMP_END_JULIAN) return false;
      const hour = Number(m[4]);
      const minute = Number(m[5]);
      const second = m[6] === undefined ? 0 : Number(m[6]);
      if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute !== 0 || second !== 0 || (m[7] ?? '').replace(/0/g, '') !== ''))) return false;
      const micros = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0'));
      const usecs = BigInt(jd - EPOCH_JDATE) * USECS_PER_DAY + BigInt(((hour * 60 + minute) * 60 + second) * 1_000_000 + micros);
      if (usecs >= TIMESTAMP_END) return false;
      out.writeBigInt64BE(usecs, 0);
      return true;
    }
  }
}
