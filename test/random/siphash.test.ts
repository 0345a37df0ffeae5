import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedPrf, pickFrom } from '../../src/random/prf.js';
import { sipHash24, sipHash24Ascii, sipHash24Ints, sipKey } from '../../src/random/siphash.js';

// The reference vectors of SipHash-2-4 (Aumasson and Bernstein): key 00..0f, message 00..(i-1).
const VECTORS = [
  0x726fdb47dd0e0e31n,
  0x74f839c593dc67fdn,
  0x0d6c8009d9a94f5an,
  0x85676696d7fb7e2dn,
  0xcf2794e0277187b7n,
  0x18765564cd99a68dn,
  0xcbc9466e58fee3cen,
  0xab0200f58b01d137n,
  0x93f5f5799a932462n,
  0x9e0082df0ba9e4b0n,
  0x7a5dbbc594ddb9f3n,
  0xf4b32f46226bada7n,
  0x751e8fbc860ee5fbn,
  0x14ea5627c0843d90n,
  0xf723ca908e7af2een,
  0xa129ca6149be45e5n,
  0x3f2acc7f57c29bdbn,
  0x699ae9f52cbe4794n,
  0x4bc1b3f0968dd39cn,
  0xbb6dc91da77961bdn,
  0xbed65cf21aa2ee98n,
  0xd0f2cbb02e3b67c7n,
  0x93536795e3a33e88n,
  0xa80c038ccd5ccec8n,
  0xb8ad50c6f649af94n,
  0xbce192de8a85b8ean,
  0x17d835b85bbb15f3n,
  0x2f2e6163076bcfadn,
  0xde4daaaca71dc9a5n,
  0xa6a2506687956571n,
  0xad87a3535c49ef28n,
  0x32d892fad841c342n,
  0x7127512f72f27ccen,
  0xa7f32346f95978e3n,
  0x12e0b01abb051238n,
  0x15e034d40fa197aen,
  0x314dffbe0815a3b4n,
  0x027990f029623981n,
  0xcadcd4e59ef40c4dn,
  0x9abfd8766a33735cn,
  0x0e3ea96b5304a7d0n,
  0xad0c42d6fc585992n,
  0x187306c89bc215a9n,
  0xd4a60abcf3792b95n,
  0xf935451de4f21df2n,
  0xa9538f0419755787n,
  0xdb9acddff56ca510n,
  0xd06c98cd5c0975ebn,
  0xe612a3cb9ecba951n,
  0xc766e62cfcadaf96n,
  0xee64435a9752fe72n,
  0xa192d576b245165an,
  0x0a8787bf8ecb74b2n,
  0x81b3e73d20b49b6fn,
  0x7fa8220ba3b2ecean,
  0x245731c13ca42499n,
  0xb78dbfaf3a8d83bdn,
  0xea1ad565322a1a0bn,
  0x60e61c23a3795013n,
  0x6606d7e446282b93n,
  0x6ca4ecb15c5f91e1n,
  0x9f626da15c9625f3n,
  0xe51b38608ef25f57n,
  0x958a324ceb064572n,
];

const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => i));
const message = Uint8Array.from({ length: 64 }, (_, i) => i);

/** SipHash-2-4 on 64-bit BigInts, straight from the paper: the reference the 32-bit code is checked against. */
function referenceSipHash(k: Uint8Array, m: Uint8Array): [number, number] {
  const M = (1n << 64n) - 1n;
  const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M;
  const word = (bytes: Uint8Array, at: number): bigint => {
    let w = 0n;
    for (let i = 7; i >= 0; i--) w = (w << 8n) | BigInt(bytes[at + i] ?? 0);
    return w;
  };
  const k0 = word(k, 0);
  const k1 = word(k, 8);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & M;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & M;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & M;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const padded = new Uint8Array(m.length - (m.length % 8) + 8);
  padded.set(m);
  padded[padded.length - 1] = m.length & 0xff;
  for (let at = 0; at < padded.length; at += 8) {
    const w = word(padded, at);
    v3 ^= w;
    round();
    round();
    v0 ^= w;
  }
  v2 ^= 0xffn;
  for (let r = 0; r < 4; r++) round();
  const h = v0 ^ v1 ^ v2 ^ v3;
  return [Number(h >> 32n), Number(h & 0xffffffffn)];
}

/** Strings of any UTF-16 code units: ASCII, Latin-1, the rest of the BMP, surrogate pairs and lone surrogates. */
const anyText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('a', 'Z', '0', '\0', '\x7f', '\x80', 'é', 'ÿ', 'Ā', '߿', 'ࠀ', '€', '\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000', '\uffff', '😀'),
    maxLength: 40,
  }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 70 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

describe('SipHash-2-4', () => {
  it.each(VECTORS.map((v, i) => [i, v] as const))('matches the reference vector for %i bytes', (length, expected) => {
    const [hi, lo] = sipHash24(key, message, length);
    expect((BigInt(hi) << 32n) | BigInt(lo)).toBe(expected);
  });

  it('agrees with a 64-bit reference on any key and message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 80 }), (k, m) => {
        expect(sipHash24(sipKey(k), m, m.length)).toEqual(referenceSipHash(k, m));
      }),
      { numRuns: 3000 },
    );
  });

  it('hashes an ASCII string as its bytes, and declines any other string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), anyText, (k, s) => {
        const bytes = new TextEncoder().encode(s);
        const ascii = [...s].every((c) => c.charCodeAt(0) < 0x80);
        expect(sipHash24Ascii(sipKey(k), s)).toEqual(ascii ? referenceSipHash(k, bytes) : undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('hashes any string by its UTF-8 bytes (as TextEncoder writes them), hashWith with the tweak after them', () => {
    const prf = new KeyedPrf(key);
    const long = fc.tuple(anyText, fc.integer({ min: 300, max: 3000 })).map(([s, n]) => s.repeat(Math.ceil(n / Math.max(1, s.length))));
    fc.assert(
      fc.property(fc.oneof(anyText, long), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (s, tweak) => {
        const bytes = new TextEncoder().encode(s);
        expect(prf.hash(s)).toEqual(sipHash24(key, bytes, bytes.length));
        const tweaked = Uint8Array.from([...bytes, 0, tweak & 0xff, (tweak >>> 8) & 0xff, (tweak >>> 16) & 0xff, tweak >>> 24]);
        expect(prf.hashWith(s, tweak)).toEqual(sipHash24(key, tweaked, tweaked.length));
      }),
      { numRuns: 5000 },
    );
  });

  it('hashes strings by their UTF-8 bytes, ASCII fast path and non-ASCII alike', () => {
    const prf = new KeyedPrf(key);
    for (const s of ['', 'a', 'abcdefgh', 'Åsa Öberg', '😀 emoji', 'x'.repeat(1000), '\ud800', 'a\udc00b', 'é'.repeat(2000)]) {
      const bytes = new TextEncoder().encode(s);
      expect(prf.hash(s)).toEqual(sipHash24(key, bytes, bytes.length));
    }
  });

  it('hashInts is SipHash of the three integers as 12 little-endian bytes', () => {
    const prf = new KeyedPrf(key);
    const bytesOf = (a: number, b: number, c: number): Uint8Array => {
      const view = new DataView(new ArrayBuffer(12));
      view.setUint32(0, a >>> 0, true);
      view.setUint32(4, b >>> 0, true);
      view.setUint32(8, c >>> 0, true);
      return new Uint8Array(view.buffer);
    };
    const check = (a: number, b: number, c: number): void => {
      expect(prf.hashInts(a, b, c)).toEqual(sipHash24(key, bytesOf(a, b, c), 12));
      expect(sipHash24Ints(key, a, b, c)).toEqual(sipHash24(key, bytesOf(a, b, c), 12));
    };
    check(0, 0, 0);
    check(0xffffffff, 0x80000000, 1);
    check(-1, -2, 0x7fffffff);
    fc.assert(fc.property(fc.integer({ min: -0x80000000, max: 0xffffffff }), fc.nat(), fc.integer({ min: -0x80000000, max: 0xffffffff }), (a, b, c) => check(a, b, c)));
  });

  it('hashWith and hashInts differ from hash and from each other', () => {
    const prf = new KeyedPrf(key);
    const outputs = [prf.hash('x'), prf.hashWith('x', 0), prf.hashWith('x', 1), prf.hashInts(1, 2, 3), prf.hashInts(1, 2, 4)].map(String);
    expect(new Set(outputs).size).toBe(outputs.length);
  });

  it('pickFrom stays in [0, n) and spreads evenly', () => {
    const prf = new KeyedPrf(key);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const k = pickFrom(prf.hash(String(i)), 10);
      expect(k >= 0 && k < 10).toBe(true);
      counts[k]!++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(pickFrom([0xffffffff, 0xffffffff], 7)).toBe(6);
    expect(pickFrom([0, 0], 7)).toBe(0);
  });
});
