/**
 * PostgreSQL's text forms of bytea: hex (`\x0a1b…`, the default output since 9.0) and escape
 * (`abc\000\\`, with `bytea_output = escape`). Values are read in either and written in hex,
 * which every server reads.
 */

const HEX_DIGITS = '0123456789abcdef';
const encoder = new TextEncoder();

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

/** The bytes of `\x…` (digits of either case; whitespace between pairs, as PostgreSQL allows). */
function parseHex(text: string): Uint8Array | undefined {
  const out = new Uint8Array((text.length - 2) >>> 1);
  let n = 0;
  for (let i = 2; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const hi = hexValue(c);
    const lo = i + 1 < text.length ? hexValue(text.charCodeAt(i + 1)) : -1;
    if (hi < 0 || lo < 0) return undefined;
    out[n++] = (hi << 4) | lo;
    i += 2;
  }
  return out.subarray(0, n);
}

/** The bytes of the escape form: `\\` is a backslash, `\ooo` an octal byte, anything else its UTF-8 bytes. */
function parseEscape(text: string): Uint8Array | undefined {
  const out: number[] = [];
  let plainFrom = 0;
  const flush = (to: number) => {
    if (to > plainFrom) for (const b of encoder.encode(text.slice(plainFrom, to))) out.push(b);
  };
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) !== 92) {
      i++;
      continue;
    }
    flush(i);
    if (text.charCodeAt(i + 1) === 92) {
      out.push(92);
      i += 2;
    } else {
      const digits = text.slice(i + 1, i + 4);
      if (!/^[0-3][0-7]{2}$/.test(digits)) return undefined;
      out.push(Number.parseInt(digits, 8));
      i += 4;
    }
    plainFrom = i;
  }
  flush(text.length);
  return Uint8Array.from(out);
}

/**
 * The bytes of a bytea value in PostgreSQL's text form (hex or escape); undefined when the text
 * is neither.
 * @example parsePgBytea('\\x00ff') // Uint8Array [0, 255]
 */
export function parsePgBytea(text: string): Uint8Array | undefined {
  return text.charCodeAt(0) === 92 && text.charCodeAt(1) === 120 ? parseHex(text) : parseEscape(text);
}

/**
 * Bytes as bytea's hex text form.
 * @example formatPgBytea(Uint8Array.of(0, 255)) // '\\x00ff'
 */
export function formatPgBytea(bytes: Uint8Array): string {
  let out = '\\x';
  for (const b of bytes) out += HEX_DIGITS[b >>> 4]! + HEX_DIGITS[b & 15]!;
  return out;
}
