/**
 * Swedish phone numbers and the ranges PTS (the Swedish Post and Telecom Authority) reserves
 * for use in fiction, films and examples.
 */

/** A reserved range: area code (without the trunk 0), the subscriber numbers from..to, and their grouping. */
export interface ReservedRange {
  readonly area: string;
  readonly from: number;
  readonly to: number;
  readonly digits: number;
  /** Group sizes of the subscriber number as Swedes write it, e.g. [3, 2, 2] for 174 06 05. */
  readonly groups: readonly number[];
}

/** Mobile: 070-174 06 05 to 070-174 06 99. */
export const PTS_MOBILE: readonly ReservedRange[] = [{ area: '70', from: 1740605, to: 1740699, digits: 7, groups: [3, 2, 2] }];

/** Fixed: 031-390 06 00–99, 040-628 04 00–99, 08-465 004 00–99, 0980-319 200–299. */
export const PTS_FIXED: readonly ReservedRange[] = [
  { area: '31', from: 3900600, to: 3900699, digits: 7, groups: [3, 2, 2] },
  { area: '40', from: 6280400, to: 6280499, digits: 7, groups: [3, 2, 2] },
  { area: '8', from: 46500400, to: 46500499, digits: 8, groups: [3, 3, 2] },
  { area: '980', from: 319200, to: 319299, digits: 6, groups: [3, 3] },
];

/** The national significant numbers (no trunk 0) of a set of ranges, in order. */
export function reservedNumbers(ranges: readonly ReservedRange[]): readonly { area: string; subscriber: string; groups: readonly number[] }[] {
  const out: { area: string; subscriber: string; groups: readonly number[] }[] = [];
  for (const r of ranges) {
    for (let n = r.from; n <= r.to; n++) out.push({ area: r.area, subscriber: String(n).padStart(r.digits, '0'), groups: r.groups });
  }
  return out;
}

/** How a Swedish number was written, to write another the same way. */
export interface PhoneStyle {
  /** `0` (national), `+46` or `0046`. */
  readonly prefix: '0' | '+46' | '0046';
  /** What follows an international prefix: a space, a dash or nothing. */
  readonly afterPrefix: string;
  /** `(0)` written after +46. */
  readonly trunkInParens: boolean;
  /** Between area code and subscriber number: `-`, a space or nothing. */
  readonly areaSeparator: string;
  /** Between groups of the subscriber number: a space, a dash or nothing. */
  readonly groupSeparator: string;
}

/** A Swedish number: its national significant number and its style. */
export interface SwedishPhone {
  /** Digits after the trunk 0 or +46. */
  readonly nsn: string;
  readonly mobile: boolean;
  readonly style: PhoneStyle;
}

const SPACE = /\s/;
const DASH = 0x2d;

/** Whether a UTF-16 code unit is one `\s` matches (and `trim` removes). */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return SPACE.test(String.fromCharCode(c));
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Parses a Swedish number (`070-123 45 67`, `+46 70 123 45 67`, `0046701234567`, `08-123 456 78`…).
 * Undefined for anything else (a foreign number, text).
 *
 * The trimmed text must be a prefix (`+46`, `0046` or `0`), a space or dash, `(0)` and a space
 * (each optional), then digits, spaces and dashes starting and ending with a digit; the digits
 * after the prefix (6 to 10, not starting with 0) are the national significant number.
 */
export function parseSwedishPhone(text: string): SwedishPhone | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  let prefix: PhoneStyle['prefix'];
  let at: number;
  if (text.startsWith('+46', start)) {
    prefix = '+46';
    at = start + 3;
  } else if (text.startsWith('0046', start)) {
    // Not read as the trunk 0 when the rest fails: its national part would start with 0.
    prefix = '0046';
    at = start + 4;
  } else if (text.startsWith('0', start)) {
    prefix = '0';
    at = start + 1;
  } else return undefined;
  let afterPrefix = '';
  if (at < end && (text.charCodeAt(at) === DASH || isSpace(text.charCodeAt(at)))) afterPrefix = text[at++]!;
  let trunkInParens = false;
  if (text.startsWith('(0)', at)) {
    trunkInParens = true;
    at += 3;
    if (at < end && isSpace(text.charCodeAt(at))) at++;
  }
  // The body: digits, spaces and dashes from `at` to `end`, a digit at both ends. Its first
  // separator is the area separator; of the later ones a space wins over a dash.
  if (end - at < 2 || !isDigit(text.charCodeAt(at)) || !isDigit(text.charCodeAt(end - 1))) return undefined;
  let nsn = '';
  let digits = 0;
  let run = at;
  let areaSeparator = '';
  let groupSeparator = '';
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      digits++;
      continue;
    }
    if (c !== DASH && !isSpace(c)) return undefined;
    nsn += text.slice(run, i);
    run = i + 1;
    if (areaSeparator === '') areaSeparator = text[i]!;
    else if (c === 0x20) groupSeparator = ' ';
    else if (c === DASH && groupSeparator === '') groupSeparator = '-';
  }
  nsn += text.slice(run, end);
  if (digits < 6 || digits > 10 || nsn.charCodeAt(0) === 0x30) return undefined;
  return {
    nsn,
    mobile: nsn.charCodeAt(0) === 0x37,
    style: { prefix, afterPrefix: prefix === '0' ? '' : afterPrefix, trunkInParens, areaSeparator, groupSeparator },
  };
}

/** Writes a number (area code and subscriber number) in a style. */
export function formatSwedishPhone(area: string, subscriber: string, groups: readonly number[], style: PhoneStyle): string {
  let out = style.prefix === '0' ? `0${area}` : `${style.prefix}${style.afterPrefix}${style.trunkInParens ? '(0)' : ''}${area}`;
  out += style.areaSeparator;
  let at = 0;
  for (let i = 0; i < groups.length; i++) {
    if (i > 0) out += style.groupSeparator;
    out += subscriber.slice(at, at + groups[i]!);
    at += groups[i]!;
  }
  if (at < subscriber.length) out += (groups.length > 0 ? style.groupSeparator : '') + subscriber.slice(at);
  return out;
}
