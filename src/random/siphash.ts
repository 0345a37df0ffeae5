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
 * SipHash-2-4 of `len` bytes of `m` under `key`, as two unsigned 32-bit halves [hi, lo].
 * @example sipHash24(sipKey(key16), new TextEncoder().encode('abc'), 3)
 */
export function sipHash24(key: SipKey, m: Uint8Array, len: number): [number, number] {
  return sip(key, m, '', len)!;
}

/**
 * SipHash-2-4 of a string's code units taken as bytes, which are its UTF-8 bytes when every
 * one is ASCII; undefined (as soon as one is seen) when a code unit is 0x80 or above.
 * @example sipHash24Ascii(key, 'abc') // === sipHash24(key, new TextEncoder().encode('abc'), 3)
 */
export function sipHash24Ascii(key: SipKey, s: string): [number, number] | undefined {
  return sip(key, undefined, s, s.length);
}

/**
 * The hash of `len` bytes read from `bytes`, or else from the code units of `text` (then
 * undefined when one is not ASCII). All arithmetic stays in 32-bit integers: a 64-bit add is
 * two 32-bit adds and the carry out of the low words, (a & b | (a | b) & ~sum) >>> 31.
 */
function sip(key: SipKey, bytes: Uint8Array | undefined, text: string, len: number): [number, number] | undefined {
  // v0..v3 as (hi, lo) pairs of int32.
  let v0h = key.k0hi ^ 0x736f6d65;
  let v0l = key.k0lo ^ 0x70736575;
  let v1h = key.k1hi ^ 0x646f7261;
  let v1l = key.k1lo ^ 0x6e646f6d;
  let v2h = key.k0hi ^ 0x6c796765;
  let v2l = key.k0lo ^ 0x6e657261;
  let v3h = key.k1hi ^ 0x74656462;
  let v3l = key.k1lo ^ 0x79746573;
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
      if (bytes !== undefined) {
        ml = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
        mh = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
      } else {
        const c0 = text.charCodeAt(i);
        const c1 = text.charCodeAt(i + 1);
        const c2 = text.charCodeAt(i + 2);
        const c3 = text.charCodeAt(i + 3);
        const c4 = text.charCodeAt(i + 4);
        const c5 = text.charCodeAt(i + 5);
        const c6 = text.charCodeAt(i + 6);
        const c7 = text.charCodeAt(i + 7);
        if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) >= 0x80) return undefined;
        ml = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
        mh = c4 | (c5 << 8) | (c6 << 16) | (c7 << 24);
      }
      compress = 2;
    } else if (rounds === 0) {
      // The last block: the remaining bytes, and the length in the top byte.
      ml = 0;
      mh = (len & 0xff) << 24;
      for (let j = end; j < len; j++) {
        const b = bytes !== undefined ? bytes[j]! : text.charCodeAt(j);
        if (bytes === undefined && b >= 0x80) return undefined;
        if (j - end < 4) ml |= b << ((j - end) * 8);
        else mh |= b << ((j - end - 4) * 8);
      }
      compress = 2;
      rounds = 1;
    } else {
      // Finalisation: v2 ^= 0xff, then four rounds.
      v2l ^= 0xff;
      compress = 4;
      rounds = 2;
    }
    if (rounds !== 2) {
      v3h ^= mh;
      v3l ^= ml;
    }
    for (let r = 0; r < compress; r++) {
      // v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
      s = (v0l + v1l) | 0;
      v0h = (v0h + v1h + (((v0l & v1l) | ((v0l | v1l) & ~s)) >>> 31)) | 0;
      v0l = s;
      th = (v1h << 13) | (v1l >>> 19);
      tl = (v1l << 13) | (v1h >>> 19);
      v1h = th ^ v0h;
      v1l = tl ^ v0l;
      th = v0h;
      v0h = v0l;
      v0l = th;
      // v2 += v3; v3 <<<= 16; v3 ^= v2
      s = (v2l + v3l) | 0;
      v2h = (v2h + v3h + (((v2l & v3l) | ((v2l | v3l) & ~s)) >>> 31)) | 0;
      v2l = s;
      th = (v3h << 16) | (v3l >>> 16);
      tl = (v3l << 16) | (v3h >>> 16);
      v3h = th ^ v2h;
      v3l = tl ^ v2l;
      // v0 += v3; v3 <<<= 21; v3 ^= v0
      s = (v0l + v3l) | 0;
      v0h = (v0h + v3h + (((v0l & v3l) | ((v0l | v3l) & ~s)) >>> 31)) | 0;
      v0l = s;
      th = (v3h << 21) | (v3l >>> 11);
      tl = (v3l << 21) | (v3h >>> 11);
      v3h = th ^ v0h;
      v3l = tl ^ v0l;
      // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
      s = (v2l + v1l) | 0;
      v2h = (v2h + v1h + (((v2l & v1l) | ((v2l | v1l) & ~s)) >>> 31)) | 0;
      v2l = s;
      th = (v1h << 17) | (v1l >>> 15);
      tl = (v1l << 17) | (v1h >>> 15);
      v1h = th ^ v2h;
      v1l = tl ^ v2l;
      th = v2h;
      v2h = v2l;
      v2l = th;
    }
    if (rounds === 2) break;
    v0h ^= mh;
    v0l ^= ml;
  }
  return [(v0h ^ v1h ^ v2h ^ v3h) >>> 0, (v0l ^ v1l ^ v2l ^ v3l) >>> 0];
}

/**
 * SipHash-2-4 of three unsigned 32-bit integers as 12 little-endian bytes (what
 * `KeyedPrf.hashInts` hashes), without writing them to a buffer: the same value as
 * `sipHash24` of those bytes. Eight rounds: two after the first block (a, b), two after the last
 * (c and the length), four to finish.
 */
export function sipHash24Ints(key: SipKey, a: number, b: number, c: number): [number, number] {
  let v0h = key.k0hi ^ 0x736f6d65;
  let v0l = key.k0lo ^ 0x70736575;
  let v1h = key.k1hi ^ 0x646f7261;
  let v1l = key.k1lo ^ 0x6e646f6d;
  let v2h = key.k0hi ^ 0x6c796765;
  let v2l = key.k0lo ^ 0x6e657261;
  let v3h = key.k1hi ^ 0x74656462 ^ b;
  let v3l = key.k1lo ^ 0x79746573 ^ a;
  let s = 0;
  let th = 0;
  let tl = 0;
  for (let r = 0; r < 8; r++) {
    // The same round as in `sip`.
    s = (v0l + v1l) | 0;
    v0h = (v0h + v1h + (((v0l & v1l) | ((v0l | v1l) & ~s)) >>> 31)) | 0;
    v0l = s;
    th = (v1h << 13) | (v1l >>> 19);
    tl = (v1l << 13) | (v1h >>> 19);
    v1h = th ^ v0h;
    v1l = tl ^ v0l;
    th = v0h;
    v0h = v0l;
    v0l = th;
    s = (v2l + v3l) | 0;
    v2h = (v2h + v3h + (((v2l & v3l) | ((v2l | v3l) & ~s)) >>> 31)) | 0;
    v2l = s;
    th = (v3h << 16) | (v3l >>> 16);
    tl = (v3l << 16) | (v3h >>> 16);
    v3h = th ^ v2h;
    v3l = tl ^ v2l;
    s = (v0l + v3l) | 0;
    v0h = (v0h + v3h + (((v0l & v3l) | ((v0l | v3l) & ~s)) >>> 31)) | 0;
    v0l = s;
    th = (v3h << 21) | (v3l >>> 11);
    tl = (v3l << 21) | (v3h >>> 11);
    v3h = th ^ v0h;
    v3l = tl ^ v0l;
    s = (v2l + v1l) | 0;
    v2h = (v2h + v1h + (((v2l & v1l) | ((v2l | v1l) & ~s)) >>> 31)) | 0;
    v2l = s;
    th = (v1h << 17) | (v1l >>> 15);
    tl = (v1l << 17) | (v1h >>> 15);
    v1h = th ^ v2h;
    v1l = tl ^ v2l;
    th = v2h;
    v2h = v2l;
    v2l = th;
    if (r === 1) {
      // The first block (a, b) is in; the last: c, then the length (12) in the top byte.
      v0h ^= b;
      v0l ^= a;
      v3h ^= 12 << 24;
      v3l ^= c;
    } else if (r === 3) {
      v0h ^= 12 << 24;
      v0l ^= c;
      v2l ^= 0xff;
    }
  }
  return [(v0h ^ v1h ^ v2h ^ v3h) >>> 0, (v0l ^ v1l ^ v2l ^ v3l) >>> 0];
}
