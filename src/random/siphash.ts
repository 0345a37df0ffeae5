/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012) on 32-bit halves, because JavaScript has no fast
 * 64-bit integers. Checked against the reference test vectors in test/random/siphash.test.ts.
 */

/** A 128-bit SipHash key as four unsigned 32-bit words: k0 = (k0hi, k0lo), k1 = (k1hi, k1lo). */
export interface SipKey {
  readonly k0hi: number;
  readonly k0lo: number;
  readonly k1hi: number;
  readonly k1lo: number;
}

/** A SipHash key from 16 bytes (read little-endian, as the reference does). */
export function sipKey(bytes: Uint8Array): SipKey {
  if (bytes.length < 16) throw new RangeError('a SipHash key needs 16 bytes');
  const word = (i: number): number => (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
  return { k0lo: word(0), k0hi: word(4), k1lo: word(8), k1hi: word(12) };
}

/**
 * The carry out of the 32-bit addition a + b = s (mod 2^32), from the top bits alone: a
 * comparison would make the CPU guess a branch on random data, and guess wrong half the time.
 */
function carry(a: number, b: number, s: number): number {
  return ((a & b) | ((a | b) & ~s)) >>> 31;
}

/**
 * SipHash-2-4 of `len` bytes of `m` under `key`, as two unsigned 32-bit halves [hi, lo].
 * @example sipHash24(sipKey(key16), new TextEncoder().encode('abc'), 3)
 */
export function sipHash24(key: SipKey, m: Uint8Array, len: number): [number, number] {
  // v0..v3 as (hi, lo) pairs.
  let v0h = (key.k0hi ^ 0x736f6d65) >>> 0;
  let v0l = (key.k0lo ^ 0x70736575) >>> 0;
  let v1h = (key.k1hi ^ 0x646f7261) >>> 0;
  let v1l = (key.k1lo ^ 0x6e646f6d) >>> 0;
  let v2h = (key.k0hi ^ 0x6c796765) >>> 0;
  let v2l = (key.k0lo ^ 0x6e657261) >>> 0;
  let v3h = (key.k1hi ^ 0x74656462) >>> 0;
  let v3l = (key.k1lo ^ 0x79746573) >>> 0;
  let s = 0;
  let th = 0;
  let tl = 0;

  const end = len - (len % 8);
  let mh = 0;
  let ml = 0;
  let rounds = 0;
  for (let i = 0; ; i += 8) {
    let compress: number;
    if (i < end) {
      ml = (m[i]! | (m[i + 1]! << 8) | (m[i + 2]! << 16) | (m[i + 3]! << 24)) >>> 0;
      mh = (m[i + 4]! | (m[i + 5]! << 8) | (m[i + 6]! << 16) | (m[i + 7]! << 24)) >>> 0;
      compress = 2;
    } else if (rounds === 0) {
      // The last block: the remaining bytes, and the length in the top byte.
      const left = len - end;
      ml = 0;
      mh = (len & 0xff) << 24;
      if (left >= 7) mh |= m[end + 6]! << 16;
      if (left >= 6) mh |= m[end + 5]! << 8;
      if (left >= 5) mh |= m[end + 4]!;
      if (left >= 4) ml |= m[end + 3]! << 24;
      if (left >= 3) ml |= m[end + 2]! << 16;
      if (left >= 2) ml |= m[end + 1]! << 8;
      if (left >= 1) ml |= m[end]!;
      ml >>>= 0;
      mh >>>= 0;
      compress = 2;
      rounds = 1;
    } else {
      // Finalisation: v2 ^= 0xff, then four rounds.
      v2l = (v2l ^ 0xff) >>> 0;
      compress = 4;
      rounds = 2;
    }
    if (rounds !== 2) {
      v3h = (v3h ^ mh) >>> 0;
      v3l = (v3l ^ ml) >>> 0;
    }
    for (let r = 0; r < compress; r++) {
      // v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
      s = (v0l + v1l) >>> 0;
      v0h = (v0h + v1h + carry(v0l, v1l, s)) >>> 0;
      v0l = s;
      th = ((v1h << 13) | (v1l >>> 19)) >>> 0;
      tl = ((v1l << 13) | (v1h >>> 19)) >>> 0;
      v1h = (th ^ v0h) >>> 0;
      v1l = (tl ^ v0l) >>> 0;
      th = v0h;
      v0h = v0l;
      v0l = th;
      // v2 += v3; v3 <<<= 16; v3 ^= v2
      s = (v2l + v3l) >>> 0;
      v2h = (v2h + v3h + carry(v2l, v3l, s)) >>> 0;
      v2l = s;
      th = ((v3h << 16) | (v3l >>> 16)) >>> 0;
      tl = ((v3l << 16) | (v3h >>> 16)) >>> 0;
      v3h = (th ^ v2h) >>> 0;
      v3l = (tl ^ v2l) >>> 0;
      // v0 += v3; v3 <<<= 21; v3 ^= v0
      s = (v0l + v3l) >>> 0;
      v0h = (v0h + v3h + carry(v0l, v3l, s)) >>> 0;
      v0l = s;
      th = ((v3h << 21) | (v3l >>> 11)) >>> 0;
      tl = ((v3l << 21) | (v3h >>> 11)) >>> 0;
      v3h = (th ^ v0h) >>> 0;
      v3l = (tl ^ v0l) >>> 0;
      // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
      s = (v2l + v1l) >>> 0;
      v2h = (v2h + v1h + carry(v2l, v1l, s)) >>> 0;
      v2l = s;
      th = ((v1h << 17) | (v1l >>> 15)) >>> 0;
      tl = ((v1l << 17) | (v1h >>> 15)) >>> 0;
      v1h = (th ^ v2h) >>> 0;
      v1l = (tl ^ v2l) >>> 0;
      th = v2h;
      v2h = v2l;
      v2l = th;
    }
    if (rounds === 2) break;
    v0h = (v0h ^ mh) >>> 0;
    v0l = (v0l ^ ml) >>> 0;
  }
  return [(v0h ^ v1h ^ v2h ^ v3h) >>> 0, (v0l ^ v1l ^ v2l ^ v3l) >>> 0];
}
