import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32 } from '../../src/random/base32.js';
import { BASE32_ALPHABET } from '../../src/random/prf.js';

/** The digit-at-a-time definition: least significant first, each prepended. */
function reference(value: number, chars: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < chars; i++) {
    out = BASE32_ALPHABET[v % 32]! + out;
    v = Math.floor(v / 32);
  }
  return out;
}

describe('base32', () => {
  it('writes digits most significant first, padded and truncated to the length', () => {
    expect(base32(33, 3)).toBe('abb');
    expect(base32(0, 4)).toBe('aaaa');
    expect(base32(32 ** 3 + 5, 3)).toBe('aaf');
    expect(base32(31, 1)).toBe('7');
    expect(base32(123, 0)).toBe('');
  });

  it('agrees with the digit-at-a-time definition on any integer and length', () => {
    const above53 = fc.double({ min: 2 ** 53, max: 2 ** 66, noNaN: true }).map(Math.floor);
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeNat(), fc.nat(), fc.integer({ min: 0, max: 2 ** 32 - 1 }), above53), fc.integer({ min: 0, max: 16 }), (value, chars) => {
        expect(base32(value, chars)).toBe(reference(value, chars));
      }),
      { numRuns: 50_000 },
    );
  });
});
