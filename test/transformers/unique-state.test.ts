import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedPrf } from '../../src/random/prf.js';
import { claimUnique, fingerprintPair, UniqueState } from '../../src/transformers/helpers/unique.js';
import type { TransformerContext } from '../../src/transformers/transformer.js';
import { build, row, session, testKey } from './support.js';

const context = { column: { table: 'public.t', column: 'c' } } as unknown as TransformerContext;
const state = (injective = false): UniqueState => new UniqueState(new KeyedPrf(testKey(5).subkey('unique-test')), injective);

/** The state's fingerprint, one seeded hash at a time (MurmurHash3's mixing over pairs of UTF-16 code units). */
function fingerprint(s: string, seed: number, tweak: number): number {
  let h = seed ^ s.length;
  let i = 0;
  for (; i + 1 < s.length; i += 2) {
    let k = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)) ^ tweak;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < s.length) {
    let k = s.charCodeAt(i) ^ tweak;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

describe('fingerprintPair', () => {
  it('gives the two seeded fingerprints of a string, each as computed alone', () => {
    const out = new Uint32Array(2);
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 }), fc.integer(), fc.integer(), (s, a, b) => {
        fingerprintPair(s, a, b, out);
        expect([out[0], out[1]]).toEqual([fingerprint(s, a, b), fingerprint(s, b, a)]);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('UniqueState', () => {
  it('gives distinct outputs when candidates collide, and an input its first output again', () => {
    const s = state();
    // Ten inputs share each first choice: nine of them must walk on.
    const candidate = (input: number) => (attempt: number) => `o${input % 10}${attempt === 0 ? '' : `-${input}-${attempt}`}`;
    const first = new Map<number, string>();
    for (let i = 0; i < 5000; i++) first.set(i, claimUnique(s, `in${i}`, candidate(i), context, 'none left'));
    expect(new Set(first.values()).size).toBe(5000);
    expect(s.size).toBe(5000);
    // Repeats, in another order, give the same outputs and claim nothing new.
    for (let i = 4999; i >= 0; i--) expect(claimUnique(s, `in${i}`, candidate(i), context, 'none left')).toBe(first.get(i));
    expect(s.size).toBe(5000);
  });

  it('grows far past its first capacity without losing an output', () => {
    const s = state();
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(claimUnique(s, `v${i}`, (a) => `w${i >> 1}.${a}`, context, 'none left'));
    expect(seen.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(claimUnique(s, `v${i}`, (a) => `w${i >> 1}.${a}`, context, 'none left')).toBe(`w${i >> 1}.${i & 1}`);
  });

  it('injective: gives 200,000 inputs their own outputs, again on repeats, and walks on when a candidate is taken', () => {
    const s = state(true);
    for (let i = 0; i < 200_000; i++) expect(claimUnique(s, `v${i}`, (a) => `w${i}.${a}`, context, 'none left')).toBe(`w${i}.0`);
    for (let i = 0; i < 200_000; i += 997) expect(claimUnique(s, `v${i}`, (a) => `w${i}.${a}`, context, 'none left')).toBe(`w${i}.0`);
    // Another input whose first candidate is an output already given.
    expect(claimUnique(s, 'newcomer', (a) => `w7.${a}`, context, 'none left')).toBe('w7.1');
    expect(claimUnique(s, 'v7', (a) => `w7.${a}`, context, 'none left')).toBe('w7.0');
    expect(s.size).toBe(200_001);
  });

  it('takes slots of 8 bytes when injective and of 12 otherwise, 68–85 % of them used', () => {
    for (const [injective, slot] of [
      [true, 8],
      [false, 12],
    ] as const) {
      const s = state(injective);
      for (let i = 0; i < 1_000_000; i++) s.claim(`out${i}`, `in${i}`);
      expect(s.size).toBe(1_000_000);
      const perValue = s.bytes / s.size;
      expect(perValue).toBeGreaterThanOrEqual(slot / 0.85);
      expect(perValue).toBeLessThanOrEqual(slot / 0.68);
    }
  });

  it.each([false, true])('tells inputs apart in any order, the empty one first too (injective: %s)', (injective) => {
    const s = state(injective);
    const candidate = (attempt: number): string => `shared-${attempt}`;
    expect(claimUnique(s, '', candidate, context, 'none left')).toBe('shared-0');
    expect(claimUnique(s, 'a', candidate, context, 'none left')).toBe('shared-1');
    expect(claimUnique(s, '', candidate, context, 'none left')).toBe('shared-0');
    expect(claimUnique(s, 'b', candidate, context, 'none left')).toBe('shared-2');
    expect(claimUnique(s, 'a', candidate, context, 'none left')).toBe('shared-1');
    expect(claimUnique(s, 'a', candidate, context, 'none left')).toBe('shared-1');
    expect(claimUnique(s, String.fromCharCode(98), candidate, context, 'none left')).toBe('shared-2');
  });

  it('throws the given message when the candidates run out', () => {
    const s = state();
    claimUnique(s, 'a', () => 'same', context, 'none left');
    expect(() => claimUnique(s, 'b', (attempt) => (attempt < 3 ? 'same' : undefined), context, 'none left')).toThrow('none left');
  });

  it('keeps the first output of an input whose candidates depend on the row', () => {
    const s = state();
    expect(claimUnique(s, 'x', () => 'from-row-1', context, 'none left', true)).toBe('from-row-1');
    expect(claimUnique(s, 'x', () => 'from-row-2', context, 'none left', true)).toBe('from-row-1');
  });

  it('claims by a fingerprint given: free, held by the same input, held by another', () => {
    for (const injective of [false, true]) {
      const s = state(injective);
      expect(s.claimFingerprint(0x12345678, 0x9abcdef0, 'x')).toBe(true);
      expect(s.claimFingerprint(0x12345678, 0x9abcdef0, 'x')).toBe(true);
      expect(s.claimFingerprint(0x12345678, 0x9abcdef0, 'y')).toBe(false);
      // Another output (the injective layout keeps 56 of the 64 bits: these differ in bit 8).
      expect(s.claimFingerprint(0x12345678, 0x9abcdff0, 'y')).toBe(true);
      expect(s.size).toBe(2);
    }
  });

  it("email with unique: true keeps addresses with and without the row's names apart in one state, each input its own", () => {
    const s = session();
    const plain = build(s, { transform: 'email', unique: true });
    const named = build(s, { transform: 'email', unique: true, options: { first_name: 'first' } });
    const names = row({ first: 'Anna' }, { first: 'Karin' });
    const out = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      out.add(plain(`person${i}@gmail.com`)!);
      out.add(named(`person${i}@gmail.com`, names)!);
    }
    expect(out.size).toBe(40_000);
    expect(plain('person7@gmail.com')).toBe(build(session(), 'email')('person7@gmail.com'));
    expect(named('person7@gmail.com', names)).toMatch(/^karin\.[a-z2-7]{14}@example\.com$/);
  });

  it('email with unique: true gives 300,000 distinct inputs 300,000 distinct addresses, the same ones as without', () => {
    const s = session();
    const unique = build(s, { transform: 'email', unique: true });
    const plain = build(session(), 'email');
    const out = new Set<string>();
    for (let i = 0; i < 300_000; i++) {
      const value = unique(`person${i}@gmail.com`)!;
      out.add(value);
      if (i % 1000 === 0) expect(value).toBe(plain(`person${i}@gmail.com`));
    }
    expect(out.size).toBe(300_000);
  });
});
