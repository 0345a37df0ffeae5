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

/**
 * Parses a Swedish number (`070-123 45 67`, `+46 70 123 45 67`, `0046701234567`, `08-123 456 78`…).
 * Undefined for anything else (a foreign number, text).
 */
export function parseSwedishPhone(text: string): SwedishPhone | undefined {
  const m = /^(\+46|0046|0)([\s-]?)(\(0\)\s?)?(\d[\d\s-]*\d)$/.exec(text.trim());
  if (!m) return undefined;
  const prefix = m[1] as PhoneStyle['prefix'];
  const body = m[4]!;
  const nsn = body.replace(/[\s-]/g, '');
  if (nsn.length < 6 || nsn.length > 10 || nsn.startsWith('0')) return undefined;
  const firstSep = /[\s-]/.exec(body);
  const areaSeparator = firstSep ? firstSep[0] : '';
  const rest = firstSep ? body.slice(firstSep.index + 1) : '';
  const groupSeparator = / /.test(rest) ? ' ' : /-/.test(rest) ? '-' : '';
  return {
    nsn,
    mobile: nsn.startsWith('7'),
    style: { prefix, afterPrefix: prefix === '0' ? '' : m[2]!, trunkInParens: m[3] !== undefined, areaSeparator, groupSeparator },
  };
}

/** Writes a number (area code and subscriber number) in a style. */
export function formatSwedishPhone(area: string, subscriber: string, groups: readonly number[], style: PhoneStyle): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    parts.push(subscriber.slice(at, at + size));
    at += size;
  }
  if (at < subscriber.length) parts.push(subscriber.slice(at));
  const head = style.prefix === '0' ? `0${area}` : `${style.prefix}${style.afterPrefix}${style.trunkInParens ? '(0)' : ''}${area}`;
  return `${head}${style.areaSeparator}${parts.join(style.groupSeparator)}`;
}
