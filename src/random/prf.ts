import { type SipKey, sipHash24, sipHash24Ascii, sipHash24Ints } from './siphash.js';

/** A keyed pseudorandom function bound to one domain: same input, same key, same output. */
export interface DomainPrf {
  /** 64 pseudorandom bits of the input, as two unsigned 32-bit halves [hi, lo]. */
  hash(input: string): readonly [number, number];
  /** A pseudorandom integer in [0, n) for the input (n ≤ 2^53). */
  pick(input: string, n: number): number;
  /** 64 pseudorandom bits of the input and a small integer tweak (an attempt, a block number). */
  hashWith(input: string, tweak: number): readonly [number, number];
  /** 64 pseudorandom bits of up to three unsigned 32-bit integers (no string encoding). */
  hashInts(a: number, b: number, c: number): readonly [number, number];
}

const encoder = new TextEncoder();
const TWO_POW_53 = 9007199254740992;

/** Longest input encoded to UTF-8 in JavaScript; longer ones go to TextEncoder (its call costs more than a short loop). */
const JS_ENCODE_MAX = 1024;

/**
 * A keyed PRF for one domain: SipHash-2-4 under the domain's subkey over the UTF-8 bytes of
 * the input. Reuses one scratch buffer, so an instance must not be shared across threads
 * (JavaScript has none here).
 */
export class KeyedPrf implements DomainPrf {
  private buffer = new Uint8Array(256);

  constructor(private readonly key: SipKey) {}

  /** Writes the input's UTF-8 bytes (a lone surrogate as U+FFFD, as TextEncoder does) to the buffer; returns their count. */
  private encode(input: string): number {
    const n = input.length;
    if (n * 3 > this.buffer.length) this.buffer = new Uint8Array(n * 3);
    if (n > JS_ENCODE_MAX) return encoder.encodeInto(input, this.buffer).written;
    const b = this.buffer;
    let j = 0;
    for (let i = 0; i < n; i++) {
      const c = input.charCodeAt(i);
      if (c < 0x80) {
        b[j++] = c;
      } else if (c < 0x800) {
        b[j++] = 0xc0 | (c >> 6);
        b[j++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c >= 0xe000) {
        b[j++] = 0xe0 | (c >> 12);
        b[j++] = 0x80 | ((c >> 6) & 0x3f);
        b[j++] = 0x80 | (c & 0x3f);
      } else {
        const d = c < 0xdc00 && i + 1 < n ? input.charCodeAt(i + 1) : 0;
        if (d >= 0xdc00 && d < 0xe000) {
          // A surrogate pair: one code point above U+FFFF, four bytes.
          const p = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          b[j++] = 0xf0 | (p >> 18);
          b[j++] = 0x80 | ((p >> 12) & 0x3f);
          b[j++] = 0x80 | ((p >> 6) & 0x3f);
          b[j++] = 0x80 | (p & 0x3f);
          i++;
        } else {
          b[j++] = 0xef;
          b[j++] = 0xbf;
          b[j++] = 0xbd;
        }
      }
    }
    return j;
  }

  /** 64 pseudorandom bits of the input as [hi, lo]. */
  hash(input: string): [number, number] {
    // ASCII is its own UTF-8: hashed straight from the string.
    const ascii = sipHash24Ascii(this.key, input);
    if (ascii !== undefined) return ascii;
    const len = this.encode(input);
    return sipHash24(this.key, this.buffer, len);
  }

  /** 64 pseudorandom bits of a string and a small integer tweak (a counter, a round number). */
  hashWith(input: string, tweak: number): [number, number] {
    let len = this.encode(input);
    if (len + 5 > this.buffer.length) {
      const grown = new Uint8Array(len + 64);
      grown.set(this.buffer.subarray(0, len));
      this.buffer = grown;
    }
    const b = this.buffer;
    b[len++] = 0;
    b[len++] = tweak & 0xff;
    b[len++] = (tweak >>> 8) & 0xff;
    b[len++] = (tweak >>> 16) & 0xff;
    b[len++] = (tweak >>> 24) & 0xff;
    return sipHash24(this.key, b, len);
  }

  /** 64 pseudorandom bits of up to three unsigned 32-bit integers (no string encoding): SipHash of their 12 little-endian bytes. */
  hashInts(a: number, b: number, c: number): [number, number] {
    return sipHash24Ints(this.key, a, b, c);
  }

  /** A pseudorandom integer in [0, n) for the input (n ≤ 2^53). */
  pick(input: string, n: number): number {
    return pickFrom(this.hash(input), n);
  }
}

/** Maps 64 pseudorandom bits to an integer in [0, n) using their top 53 bits (bias below 2^-53·n). */
export function pickFrom(h: readonly [number, number], n: number): number {
  return Math.floor(((h[0] * 2097152 + (h[1] >>> 11)) / TWO_POW_53) * n);
}

/** The 64 bits as a non-negative number below 2^53 (the top 53 bits). */
export function bits53(h: readonly [number, number]): number {
  return h[0] * 2097152 + (h[1] >>> 11);
}

/** RFC 4648 base32 alphabet, lower case. */
export const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** The 64 bits as 16 lower-case hex digits. */
export function hex64(h: readonly [number, number]): string {
  const a = h[0];
  const b = h[1];
  return HEX[a >>> 24]! + HEX[(a >>> 16) & 0xff]! + HEX[(a >>> 8) & 0xff]! + HEX[a & 0xff]! + HEX[b >>> 24]! + HEX[(b >>> 16) & 0xff]! + HEX[(b >>> 8) & 0xff]! + HEX[b & 0xff]!;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
