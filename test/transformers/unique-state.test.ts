import { describe, expect, it } from 'vitest';
import { KeyedPrf } from '../../src/random/prf.js';
import type { TransformerContext } from '../../src/transformers/transformer.js';
import { UniqueState, claimUnique } from '../../src/transformers/unique.js';
import { build, session, testKey } from './support.js';

const context = { column: { table: 'public.t', column: 'c' } } as unknown as TransformerContext;
const state = (): UniqueState => new UniqueState(new KeyedPrf(testKey(5).subkey('unique-test')));

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
