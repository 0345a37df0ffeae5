import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../src/se/luhn.js';
import { build, session } from './support.js';

const MILLION = 1_000_000;

/** Counts distinct outputs of `mask` over `count` distinct inputs. */
function distinctOutputs(mask: (v: string) => string | null, input: (i: number) => string, count: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) seen.add(mask(input(i))!);
  return seen.size;
}

describe('no collisions among 1,000,000 distinct inputs', () => {
  it('email', () => {
    const mask = build(session(), 'email');
    expect(distinctOutputs(mask, (i) => `person${i}@gmail.com`, MILLION)).toBe(MILLION);
  });

  it('hash (default 32 hex characters, and 16 — 64 bits)', () => {
    const s = session();
    expect(distinctOutputs(build(s, 'hash'), (i) => `customer-${i}`, MILLION)).toBe(MILLION);
    expect(distinctOutputs(build(s, { transform: 'hash', options: { length: 16 } }), (i) => String(i), MILLION)).toBe(MILLION);
  });

  it('se.personnummer with pool: synthetic (by construction)', () => {
    const mask = build(session(), { transform: 'se.personnummer', options: { pool: 'synthetic' } });
    // One million distinct, well-formed personnummer: 1,000 birth dates × 1,000 birth numbers … minus 000.
    const input = (i: number): string => {
      const day = Math.floor(i / 999);
      const date = new Date(Date.UTC(1960, 0, 1) + day * 86_400_000);
      const nine = `${String(date.getUTCFullYear() % 100).padStart(2, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}${String((i % 999) + 1).padStart(3, '0')}`;
      return `19${nine}${luhnCheckDigit(nine)}`;
    };
    expect(new Set(Array.from({ length: 5000 }, (_, i) => input(i * 199))).size).toBe(5000);
    expect(distinctOutputs(mask, input, MILLION)).toBe(MILLION);
  });
});
