import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedRandom } from '../../src/random/keyed-random.js';
import { permute } from '../../src/random/permutation.js';
import { KeyedPrf } from '../../src/random/prf.js';
import { sipKey } from '../../src/random/siphash.js';

const prf = new KeyedPrf(sipKey(Buffer.alloc(16, 9)));

describe('permute', () => {
  it.each([1, 2, 3, 10, 499, 500, 999, 1000, 4096, 36525])('is a permutation of [0, %i)', (n) => {
    const seen = new Set<number>();
    for (let x = 0; x < n; x++) {
      const y = permute(prf, n, 7, x);
      expect(y >= 0 && y < n && Number.isInteger(y)).toBe(true);
      seen.add(y);
    }
    expect(seen.size).toBe(n);
  });

  it('depends on the tweak and the key', () => {
    const other = new KeyedPrf(sipKey(Buffer.alloc(16, 10)));
    const a = Array.from({ length: 100 }, (_, x) => permute(prf, 1000, 1, x));
    const b = Array.from({ length: 100 }, (_, x) => permute(prf, 1000, 2, x));
    const c = Array.from({ length: 100 }, (_, x) => permute(other, 1000, 1, x));
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('is injective on large domains (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat(), fc.nat(), (n, tweak, a, b) => {
        const x = a % n;
        const y = b % n;
        const px = permute(prf, n, tweak, x);
        expect(px).toBeLessThan(n);
        expect(px === permute(prf, n, tweak, y)).toBe(x === y);
      }),
    );
  });

  it('refuses an input outside its domain', () => {
    expect(() => permute(prf, 10, 0, 10)).toThrow(RangeError);
  });
});

describe('KeyedRandom', () => {
  it('is a pure function of its seed and stays in range', () => {
    const a = new KeyedRandom().reseed([1, 2]);
    const b = new KeyedRandom().reseed([1, 2]);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(new KeyedRandom().reseed([1, 3]).next()).not.toBe(xs[0]);
    const r = new KeyedRandom().reseed([5, 6]);
    for (let i = 0; i < 1000; i++) expect(r.int(7)).toBeLessThan(7);
  });
});
