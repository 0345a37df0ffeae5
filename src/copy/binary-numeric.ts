/**
 * PostgreSQL's numeric in COPY's binary format, read as the text numeric_out writes and written
 * back from text as numeric_in reads it: int16 ndigits, int16 weight, uint16 sign, int16 dscale,
 * then ndigits base-10000 digits as int16, the first one's place 10000^weight; trailing zero
 * digits are left out, and zero has none.
 */

const POSITIVE = 0x0000;
const NEGATIVE = 0x4000;
const NAN = 0xc000;
const PLUS_INFINITY = 0xd000;
const MINUS_INFINITY = 0xf000;
/** The largest display scale the format holds (NUMERIC_DSCALE_MAX). */
const MAX_DSCALE = 0x3fff;

/** Why a masked text is refused in a numeric column, never quoting it. */
export const NUMERIC_REASON =
  'the masked value is not a numeric (digits with an optional sign, decimal point and exponent, or NaN, Infinity, -Infinity); have the rule write it so, or copy the table with --copy-format text';

/** The text of a binary numeric of `length` bytes at `start`; undefined when the bytes are not one. */
export function decodeNumeric(buf: Buffer, start: number, length: number): string | undefined {
  if (length < 8) return undefined;
  const ndigits = buf.readInt16BE(start);
  const weight = buf.readInt16BE(start + 2);
  const sign = buf.readUInt16BE(start + 4);
  const dscale = buf.readInt16BE(start + 6);
  if (ndigits < 0 || length !== 8 + 2 * ndigits || dscale < 0) return undefined;
  if (sign === NAN) return 'NaN';
  if (sign === PLUS_INFINITY) return 'Infinity';
  if (sign === MINUS_INFINITY) return '-Infinity';
  if (sign !== POSITIVE && sign !== NEGATIVE) return undefined;
  const digit = (d: number): number => (d >= 0 && d < ndigits ? buf.readInt16BE(start + 8 + 2 * d) : 0);
  let text = sign === NEGATIVE ? '-' : '';
  if (weight < 0) text += '0';
  else {
    text += String(digit(0));
    for (let d = 1; d <= weight; d++) text += String(digit(d)).padStart(4, '0');
  }
  if (dscale > 0) {
    let fraction = '';
    for (let d = weight + 1; fraction.length < dscale; d++) fraction += String(digit(d)).padStart(4, '0');
    text += `.${fraction.slice(0, dscale)}`;
  }
  return text;
}

const NUMBER = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** The binary numeric of a text numeric_in reads; undefined when it reads none. */
export function encodeNumeric(text: string): Buffer | undefined {
  const special = specialOf(text);
  // PostgreSQL sends the dscale bits of the special value's short header: 32 for the infinities, 0 for NaN.
  if (special !== undefined) return header(0, 0, special, special === NAN ? 0 : 32);
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const whole = m[2]!;
  const fraction = m[3] ?? '';
  if (whole.length + fraction.length === 0) return undefined;
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  const dscale = Math.max(0, fraction.length - exponent);
  if (dscale > MAX_DSCALE) return undefined;
  // The digits, and the power of ten of the first one.
  let digits = whole + fraction;
  let power = whole.length - 1 + exponent;
  const first = digits.search(/[1-9]/);
  if (first < 0) return header(0, 0, POSITIVE, dscale);
  power -= first;
  digits = digits.slice(first).replace(/0+$/, '');
  // Group by 4 from the place of 10000^weight.
  const weight = Math.floor(power / 4);
  const lead = 3 - (power - 4 * weight);
  digits = '0'.repeat(lead) + digits;
  digits += '0'.repeat((4 - (digits.length % 4)) % 4);
  const groups: number[] = [];
  for (let i = 0; i < digits.length; i += 4) groups.push(Number(digits.slice(i, i + 4)));
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  // Beyond these the server reports an overflow (older servers also refuse exponents beyond ±1000).
  if (weight > 0x7fff || weight < -0x8000) return undefined;
  const out = header(groups.length, weight, m[1] === '-' ? NEGATIVE : POSITIVE, dscale);
  for (const [i, g] of groups.entries()) out.writeInt16BE(g, 8 + 2 * i);
  return out;
}

function header(ndigits: number, weight: number, sign: number, dscale: number): Buffer {
  const out = Buffer.alloc(8 + 2 * ndigits);
  out.writeInt16BE(ndigits, 0);
  out.writeInt16BE(weight, 2);
  out.writeUInt16BE(sign, 4);
  out.writeInt16BE(dscale, 6);
  return out;
}

/** NaN and the infinities as numeric_in reads them (case aside); undefined for anything else. */
function specialOf(text: string): number | undefined {
  const first = text.charCodeAt(0);
  if ((first >= 0x30 && first <= 0x39) || first === 0x2e) return undefined;
  const t = text.trim().toLowerCase();
  if (t === 'nan') return NAN;
  if (t === 'infinity' || t === '+infinity' || t === 'inf' || t === '+inf') return PLUS_INFINITY;
  return t === '-infinity' || t === '-inf' ? MINUS_INFINITY : undefined;
}
