import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../src/se/luhn.js';
import type { ColumnTarget, RuleSpec } from '../../src/transformers/transformer.js';
import { build, row, session } from './support.js';

const pnr = (i: number): string => {
  const nine = `${String(40 + (i % 60)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(1 + ((i * 31) % 998)).padStart(3, '0')}`;
  return `${nine.slice(0, 6)}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
};

interface Case {
  readonly spec: RuleSpec;
  readonly input: (i: number) => string;
  readonly column?: Partial<ColumnTarget>;
  /** Outputs drawn from a small set (names, PTS numbers, a test list): another key may repeat some by chance. */
  readonly smallPool?: boolean;
}

const CASES: Case[] = [
  { spec: { transform: 'hash' }, input: (i) => `v${i}` },
  { spec: { transform: 'person.first_name' }, input: (i) => `Name${i}`, smallPool: true },
  { spec: { transform: 'person.last_name' }, input: (i) => `Last${i}`, smallPool: true },
  { spec: { transform: 'person.full_name' }, input: (i) => `First${i} Last${i}` },
  { spec: { transform: 'email' }, input: (i) => `u${i}@gmail.com` },
  { spec: { transform: 'phone' }, input: (i) => `+1 555 ${String(i).padStart(7, '0')}` },
  { spec: { transform: 'se.phone' }, input: (i) => `070-${String(1000000 + i * 7)}`, smallPool: true },
  { spec: { transform: 'address.street' }, input: (i) => `Gata ${i}`, smallPool: true },
  { spec: { transform: 'address.city' }, input: (i) => `Stad ${i}`, smallPool: true },
  { spec: { transform: 'se.postal_code' }, input: (i) => `${100 + i} 00` },
  { spec: { transform: 'se.personnummer' }, input: pnr, smallPool: true },
  { spec: { transform: 'se.personnummer', options: { pool: 'synthetic' } }, input: pnr },
  { spec: { transform: 'se.samordningsnummer' }, input: pnr, smallPool: true },
  { spec: { transform: 'se.organisationsnummer' }, input: (i) => `55${2 + (i % 8)}${String(100000 + i)}-0` },
  {
    spec: { transform: 'date.shift', options: { max_days: 365 } },
    input: (i) => `2001-01-${String(1 + (i % 28)).padStart(2, '0')} 10:00:${String(i % 60).padStart(2, '0')}`,
    smallPool: true,
  },
  { spec: { transform: 'number.noise' }, input: (i) => `${100000 + i}.00` },
  { spec: { transform: 'text.lorem' }, input: (i) => `Anteckning nummer ${i} om kunden.` },
  { spec: { transform: 'text.scrub' }, input: (i) => `Kund ${pnr(i)} skrev från u${i}@gmail.com` },
  { spec: { transform: 'json', options: { paths: { '$.e': 'email' } } }, input: (i) => `{"e": "u${i}@x.se"}`, column: { family: 'json' } },
  { spec: { transform: 'array', options: { element: 'email' } }, input: (i) => `{u${i}@x.se,v${i}@y.se}`, column: { family: 'array', elementFamily: 'text' } },
  { spec: { transform: 'uuid' }, input: (i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, column: { family: 'uuid' } },
  { spec: { transform: 'ip' }, input: (i) => `10.1.${i >> 8}.${i & 255}`, column: { family: 'network', type: 'inet' }, smallPool: true },
  { spec: { transform: 'ip' }, input: (i) => `2001:67c:2e8::${i.toString(16)}`, column: { family: 'network', type: 'inet' } },
  { spec: { transform: 'ip', options: { keep_prefix: { v4: 16, v6: 48 } } }, input: (i) => `10.1.${i >> 8}.${i & 255}/24`, column: { family: 'network', type: 'inet' } },
];

const N = 300;
const outputs = (seed: number, c: Case, column: Partial<ColumnTarget> = {}, spec: RuleSpec = c.spec): (string | null)[] => {
  const fn = build(session(seed), spec, { ...c.column, ...column });
  return Array.from({ length: N }, (_, i) => fn(c.input(i), row()));
};

describe('determinism', () => {
  for (const c of CASES) {
    const label = `${c.spec.transform}${c.spec.options ? ` ${JSON.stringify(c.spec.options)}` : ''}`;
    describe(label, () => {
      const first = outputs(1, c, { table: 'public.customers', column: 'a' });

      it('the same key gives the same output in another run and another table or column', () => {
        expect(outputs(1, c, { table: 'public.customers', column: 'a' })).toEqual(first);
        expect(outputs(1, c, { table: 'public.newsletter', column: 'b', maxLength: 500 })).toEqual(first);
      });

      it('another key changes every output (all but chance repeats for small pools)', () => {
        const other = outputs(2, c, { table: 'public.customers', column: 'a' });
        const same = other.filter((o, i) => o === first[i]).length;
        if (c.smallPool) expect(same).toBeLessThan(N * 0.25);
        else expect(same).toBe(0);
      });

      it('a scope separates the pseudonyms', () => {
        const scoped = outputs(1, c, {}, { ...c.spec, scope: 'other-system' });
        const same = scoped.filter((o, i) => o === first[i]).length;
        expect(same).toBeLessThan(c.smallPool ? N * 0.25 : 1);
      });
    });
  }
});
