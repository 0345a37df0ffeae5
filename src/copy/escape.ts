/**
 * PostgreSQL COPY text format, one field at a time: `\N` is NULL, a backslash escapes the next
 * character. Bytes in, strings out (unescape) and strings in, escaped text out (escape).
 */
import { isUtf8 } from 'node:buffer';
import { CopyFormatError, type CopyPosition } from '../errors.js';

const BACKSLASH = 0x5c;
const UPPER_N = 0x4e;

/** The escaped bytes of one field as a Buffer: subarray, plus Node's fast slice methods. */
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** Whether bytes `[start, end)` are exactly `\N`, the NULL marker. */
export function isNullField(buf: Uint8Array, start: number, end: number): boolean {
  return end - start === 2 && buf[start] === BACKSLASH && buf[start + 1] === UPPER_N;
}

/**
 * Decodes one field of COPY text: bytes `[start, end)` of `buf`, without the delimiters.
 *
 * `\N` alone is NULL. `\b \f \n \r \t \v` and `\\` are the usual control characters and
 * backslash; `\ooo` (1 to 3 octal digits) and `\xhh` (1 or 2 hex digits) are bytes; a
 * backslash before any other character stands for that character (so `\N` inside a longer
 * field is `N`, and `\x` with no hex digit is `x`), as PostgreSQL's COPY FROM reads it. The
 * bytes are then decoded as UTF-8.
 *
 * @param positionAt - maps a byte position in `buf` to where it sits in the COPY data, for the
 *   error; by default the table is unknown, the line 0 and the offset the position in `buf`.
 * @throws CopyFormatError when the field ends in a lone backslash, or when octal/hex escapes
 *   make a NUL byte or invalid UTF-8 (PostgreSQL rejects both).
 * @example
 * ```ts
 * unescapeField(Buffer.from('a\\tb'), 0, 4); // 'a\tb'
 * unescapeField(Buffer.from('\\N'), 0, 2);   // null
 * ```
 */
export function unescapeField(buf: Buffer, start: number, end: number, positionAt?: (at: number) => CopyPosition): string | null {
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === BACKSLASH) {
      if (i === start && end - start === 2 && buf[i + 1] === UPPER_N) return null;
      return unescapeSlow(buf, start, end, i, positionAt);
    }
    if (c > 0x7f) ascii = false;
  }
  return ascii ? (buf as FastBuffer).latin1Slice(start, end) : (buf as FastBuffer).utf8Slice(start, end);
}

function isOctal(c: number | undefined): c is number {
  return c !== undefined && c >= 0x30 && c <= 0x37;
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

function formatError(reason: string, at: number, positionAt: ((at: number) => CopyPosition) | undefined): CopyFormatError {
  return new CopyFormatError(reason, positionAt ? positionAt(at) : { table: undefined, line: 0, offset: at });
}

/** Scratch space for unescaped bytes, reused from field to field; grown up to SCRATCH_MAX, bigger fields get their own. */
let scratch = Buffer.allocUnsafe(4096);
const SCRATCH_MAX = 1024 * 1024;

function unescapeSlow(buf: Buffer, start: number, end: number, firstBackslash: number, positionAt: ((at: number) => CopyPosition) | undefined): string {
  const size = end - start;
  if (size > scratch.length && size <= SCRATCH_MAX) scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, Math.max(size, scratch.length * 2)));
  const out = size <= scratch.length ? scratch : Buffer.allocUnsafe(size);
  let o = 0;
  for (let i = start; i < firstBackslash; i++) out[o++] = buf[i]!;
  let byteEscape = false; // an octal or hex escape made a NUL or a high byte: check the result
  let i = firstBackslash;
  while (i < end) {
    const c = buf[i++]!;
    if (c !== BACKSLASH) {
      out[o++] = c;
      continue;
    }
    if (i >= end) throw formatError('a field ends in a lone backslash', i - 1, positionAt);
    const e = buf[i++]!;
    switch (e) {
      case 0x62: // b
        out[o++] = 0x08;
        break;
      case 0x66: // f
        out[o++] = 0x0c;
        break;
      case 0x6e: // n
        out[o++] = 0x0a;
        break;
      case 0x72: // r
        out[o++] = 0x0d;
        break;
      case 0x74: // t
        out[o++] = 0x09;
        break;
      case 0x76: // v
        out[o++] = 0x0b;
        break;
      case 0x78: {
        // x: one or two hex digits, else a plain 'x'
        let h = hexValue(i < end ? buf[i] : undefined);
        if (h < 0) {
          out[o++] = e;
          break;
        }
        let value = h;
        i++;
        h = hexValue(i < end ? buf[i] : undefined);
        if (h >= 0) {
          value = (value << 4) | h;
          i++;
        }
        if (value === 0 || value > 0x7f) byteEscape = true;
        out[o++] = value;
        break;
      }
      default:
        if (isOctal(e)) {
          let value = e - 0x30;
          if (i < end && isOctal(buf[i])) {
            value = (value << 3) | (buf[i++]! - 0x30);
            if (i < end && isOctal(buf[i])) value = (value << 3) | (buf[i++]! - 0x30);
          }
          value &= 0xff;
          if (value === 0 || value > 0x7f) byteEscape = true;
          out[o++] = value;
        } else {
          out[o++] = e; // \\ and any other character stand for themselves
        }
    }
  }
  if (byteEscape) {
    if (out.subarray(0, o).includes(0)) throw formatError('an escape makes a NUL byte, which text cannot hold', start, positionAt);
    if (!isUtf8(out.subarray(0, o))) throw formatError('escaped bytes are not valid UTF-8', start, positionAt);
  }
  return (out as FastBuffer).utf8Slice(0, o);
}

/** Whether a string holds a character COPY text must escape (backslash or a control character). */
export function needsEscape(value: string): boolean {
  // A regular expression scans in native code: about three times the speed of a charCodeAt loop.
  return NEEDS_ESCAPE.test(value);
}

const NEEDS_ESCAPE = /[\\\x08-\x0d]/;

/**
 * Encodes one value as a COPY text field, as PostgreSQL's COPY TO writes it: NULL is `\N`;
 * backslash, backspace, form feed, newline, carriage return, tab and vertical tab are escaped
 * (so a value that is literally `\N` becomes `\\N`). A string with nothing to escape is
 * returned as it is. Other control characters go out raw, as COPY TO writes them; a NUL
 * character has no COPY text form and PostgreSQL will refuse it.
 *
 * @example
 * ```ts
 * escapeField('a\tb'); // 'a\\tb'
 * escapeField(null);   // '\\N'
 * ```
 */
export function escapeField(value: string | null): string {
  if (value === null) return '\\N';
  if (!needsEscape(value)) return value;
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let escaped: string;
    switch (c) {
      case BACKSLASH:
        escaped = '\\\\';
        break;
      case 0x08:
        escaped = '\\b';
        break;
      case 0x09:
        escaped = '\\t';
        break;
      case 0x0a:
        escaped = '\\n';
        break;
      case 0x0b:
        escaped = '\\v';
        break;
      case 0x0c:
        escaped = '\\f';
        break;
      case 0x0d:
        escaped = '\\r';
        break;
      default:
        continue;
    }
    out += value.slice(from, i) + escaped;
    from = i + 1;
  }
  return out + value.slice(from);
}
