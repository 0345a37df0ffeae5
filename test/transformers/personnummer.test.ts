import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransformError } from '../../src/errors.js';
import { createMaskingSession } from '../../src/masking/masking-session.js';
import { parseIdentityNumber, twelveDigits } from '../../src/se/identity-number.js';
import { luhnCheckDigit } from '../../src/se/luhn.js';
import { build, Personnummer, session, TODAY, testdataDir, testKey } from './support.js';

const list = (file: string): Set<string> => new Set(readFileSync(join(testdataDir(), file), 'utf8').trim().split('\n'));
const official = list('testpersonnummer.txt');
const officialSamordning = list('testsamordningsnummer.txt');

/** A Luhn-valid personnummer (10 digits, dash) from parts. */
function pnr(yy: number, mm: number, dd: number, serial: number): string {
  const nine = `${String(yy).padStart(2, '0')}${String(mm).padStart(2, '0')}${String(dd).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
  return `${nine.slice(0, 6)}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
}

/** 12 digits of any written form, read against the tests' today. */
const twelve = (written: string): string => twelveDigits(parseIdentityNumber(written, TODAY)!);
const sexDigit = (written: string): number => Number(written.replace(/\D/g, '').at(-2)) % 2;

const COORDINATION = { allowCoordinationNumber: true, allowInterimNumber: false };

const inputs = Array.from({ length: 3000 }, (_, i) => pnr(30 + (i % 70), 1 + (i % 12), 1 + (i % 28), 1 + ((i * 37) % 998)));

describe('se.personnummer, official pool', () => {
  const s = session();
  const mask = build(s, 'se.personnummer');

  it("gives a number from Skatteverket's list, valid for the personnummer package, in the input's form", () => {
    for (const input of inputs) {
      for (const form of [input, input.replace('-', ''), `19${input}`, `19${input.replace('-', '')}`]) {
        const out = mask(form)!;
        expect(official.has(twelve(out))).toBe(true);
        expect(Personnummer.valid(out)).toBe(true);
        expect(out.length).toBe(form.length);
        expect(/[-+]/.test(out)).toBe(/-/.test(form));
        expect(sexDigit(out)).toBe(sexDigit(form));
      }
    }
  });

  it('masks the 10 and 12-digit spellings of one person alike', () => {
    for (const input of inputs.slice(0, 200)) {
      const ten = mask(input)!;
      expect(twelve(ten)).toBe(mask(`19${input.replace('-', '')}`));
      expect(mask(`19${input}`)).toBe(`${twelve(ten).slice(0, 8)}-${twelve(ten).slice(8)}`);
      // Without separator a 10-digit number reads as someone under 100: the output still reads back as itself.
      expect(twelve(mask(input.replace('-', ''))!)).toBe(twelve(ten));
    }
  });

  it('replaces numbers that fail the Luhn or date check too', () => {
    for (const bad of ['811218-9875', '810231-1234', '19811332-1234', '811218+9875']) {
      const out = mask(bad)!;
      expect(out).not.toBe(bad);
      expect(official.has(twelve(out))).toBe(true);
    }
    const garbage = mask('not a number 123')!;
    expect(official.has(twelve(garbage))).toBe(true);
  });

  it('keeps the birth decade or year when asked', () => {
    const decade = build(s, { transform: 'se.personnummer', options: { keep_birth: 'decade' } });
    const year = build(s, { transform: 'se.personnummer', options: { keep_birth: 'year' } });
    for (const input of inputs.slice(0, 500)) {
      const born = Number(twelve(input).slice(0, 4));
      expect(Math.floor(Number(twelve(decade(input)!).slice(0, 4)) / 10)).toBe(Math.floor(born / 10));
      expect(Number(twelve(year(input)!).slice(0, 4))).toBe(born);
    }
  });

  it('can ignore sex', () => {
    const any = build(s, { transform: 'se.personnummer', options: { keep_sex: false } });
    const flips = inputs.slice(0, 400).filter((i) => sexDigit(any(i)!) !== sexDigit(i)).length;
    expect(flips).toBeGreaterThan(100);
  });

  it('maps a samordningsnummer to the test samordningsnummer list', () => {
    for (const input of inputs.slice(0, 300)) {
      const samordning = input.replace(/^(\d{4})(\d\d)/, (_m, a: string, d: string) => `${a}${Number(d) + 60}`);
      const fixed = `${samordning.slice(0, 10)}${luhnCheckDigit(samordning.replace('-', '').slice(0, 9))}`;
      const out = mask(fixed)!;
      expect(officialSamordning.has(twelve(out))).toBe(true);
      // The personnummer package does not know the unknown birth day (day 60) or month (00) Skatteverket uses.
      const unknownDate = out.slice(4, 6) === '60' || out.slice(2, 4) === '00';
      expect(unknownDate || Personnummer.valid(out, COORDINATION)).toBe(true);
      expect(Number(out.slice(4, 6))).toBeGreaterThanOrEqual(60);
    }
  });

  it('with unique: true is injective within a run, and agrees across columns', () => {
    const s2 = session();
    const a = build(s2, { transform: 'se.personnummer', unique: true }, { table: 'public.a', column: 'pnr' });
    const b = build(s2, { transform: 'se.personnummer', unique: true }, { table: 'public.b', column: 'pnr' });
    const outputs = new Set<string>();
    // Men born 1940–1989, adults all: the list holds about 13,000 test numbers of adult men, which they fill to 90 %.
    const many = Array.from({ length: 12_000 }, (_, i) => pnr(40 + (i % 50), 1 + (i % 12), 1 + (i % 28), 1 + 2 * ((i * 7) % 499)));
    const distinct = [...new Set(many)];
    for (const input of distinct) {
      const out = a(input)!;
      expect(official.has(twelve(out))).toBe(true);
      outputs.add(twelve(out));
    }
    expect(outputs.size).toBe(distinct.length);
    for (const input of distinct.slice(0, 100)) expect(b(input)).toBe(a(input));
  });

  it('with unique: true and more inputs than the pool holds, fails pointing at pool: synthetic', () => {
    const s3 = session();
    const a = build(s3, { transform: 'se.personnummer', unique: true, options: { keep_birth: 'year' } }, { table: 'public.a', column: 'pnr' });
    let error: unknown;
    try {
      for (let i = 0; i < 5000; i++) a(pnr(99, 1 + (i % 12), 1 + (i % 28), 1 + 2 * (i % 499)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransformError);
    expect((error as Error).message).toContain('pool: synthetic');
    expect((error as Error).message).toContain('public.a');
  });
});

/** A 12-digit personnummer with a dash, Luhn-valid, from its parts. */
function pnr12(year: number, month: number, day: number, serial: number): string {
  const nine = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
  return `${year}${nine.slice(2, 6)}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
}

/** Born on (YYYYMMDD) of a 12-digit number, a samordningsnummer's day less 60. */
const bornOn = (written: string): number => {
  const t = twelve(written);
  const day = Number(t.slice(6, 8));
  return Number(t.slice(0, 6)) * 100 + (day >= 60 ? day - 60 : day);
};
/** The age class on the tests' today (2025-06-15): 0 under 18, 1 adult under 100, 2 aged 100 or more. */
const ageClass = (written: string): number => {
  const born = bornOn(written);
  return born > 20070615 ? 0 : born > 19250615 ? 1 : 2;
};
const decadeOf = (written: string): number => Math.floor(bornOn(written) / 100000);

/** 2,000 adults born 1926–2007 (ages 18 to 99 on the tests' today), both sexes; the first two turn 18 today or turned 18 yesterday. */
const adults = [
  pnr12(2007, 6, 15, 123),
  pnr12(2007, 6, 14, 124),
  ...Array.from({ length: 1998 }, (_, i) => pnr12(2006 - ((i * 37) % 80), 1 + (i % 12), 1 + ((i * 7) % 28), 1 + ((i * 13) % 998))),
];
/** Minors born 2007-06-16 to 2024, and people of 100 or more, born 1895–1925. */
const minors = [pnr12(2007, 6, 16, 125), ...Array.from({ length: 499 }, (_, i) => pnr12(2008 + (i % 17), 1 + (i % 12), 1 + (i % 28), 1 + ((i * 11) % 998)))];
const centenarians = Array.from({ length: 200 }, (_, i) => pnr12(1895 + (i % 30), 1 + (i % 12), 1 + (i % 28), 1 + ((i * 17) % 998)));

describe('se.personnummer, official pool, default keep_birth (age)', () => {
  it('keeps adults adults, minors minors and people of 100 or more so, in their birth decade, of their sex', () => {
    const mask = build(session(), 'se.personnummer');
    for (const group of [adults, minors, centenarians]) {
      for (const input of group) {
        const out = mask(input)!;
        expect(official.has(twelve(out))).toBe(true);
        expect([input, ageClass(out)]).toEqual([input, ageClass(input)]);
        expect(decadeOf(out)).toBe(decadeOf(input));
        expect(sexDigit(out)).toBe(sexDigit(input));
      }
    }
    expect(adults.filter((input) => ageClass(mask(input)!) === 0)).toEqual([]);
  });

  it('with unique: true, 2,000 adults stay adults, all distinct, nearly all in their decade', () => {
    const mask = build(session(), { transform: 'se.personnummer', unique: true });
    const outs = adults.map((input) => mask(input)!);
    expect(new Set(outs).size).toBe(adults.length);
    expect(outs.filter((out) => ageClass(out) !== 1)).toEqual([]);
    const moved = outs.filter((out, i) => decadeOf(out) !== decadeOf(adults[i]!));
    // Men born in the 1960s: 131 test numbers for about 130 inputs; some move to the nearest decade with numbers left.
    expect(moved.length).toBeLessThan(adults.length * 0.05);
    for (const [i, out] of outs.entries()) expect(Math.abs(decadeOf(out) - decadeOf(adults[i]!))).toBeLessThanOrEqual(2);
  });

  it('changes few pseudonyms when test people turn 18 or 100 between two runs a month apart', () => {
    const later = createMaskingSession({ key: testKey(), env: { PGMASK_TESTDATA_DIR: testdataDir() }, today: { year: 2025, month: 7, day: 15 } });
    const [now, then] = [build(session(), 'se.personnummer'), build(later, 'se.personnummer')];
    const inputs = [...adults.slice(2), ...minors.slice(1)].filter((input) => bornOn(input) < 20070515 || bornOn(input) > 20070715);
    const changed = inputs.filter((input) => now(input) !== then(input)).length;
    expect(changed).toBeLessThan(inputs.length * 0.02);
  });

  it('never gives a test number back as itself (a database seeded from the list)', () => {
    const mask = build(session(), 'se.personnummer');
    const kept = [...official].filter((n) => twelve(mask(`${n.slice(0, 8)}-${n.slice(8)}`)!) === n);
    expect(kept).toEqual([]);
  });

  it('with unique: true and more adults of one sex than the list holds, fails naming the age class and pool: synthetic', () => {
    const mask = build(session(), { transform: 'se.samordningsnummer', unique: true }, { table: 'public.a', column: 'snr' });
    const men = Array.from({ length: 2000 }, (_, i) => pnr12(1930 + (i % 70), 1 + (i % 12), 1 + (i % 28), 1 + 2 * ((i * 7) % 499)));
    expect(() => {
      for (const input of men) mask(input);
    }).toThrow(/public\.a.*test samordningsnummer list holds for adults under 100 of this sex \(\d+ numbers\); use pool: synthetic/);
  });

  it('samordningsnummer keep the age class too', () => {
    const mask = build(session(), 'se.samordningsnummer');
    for (const input of [...adults.slice(0, 300), ...minors.slice(0, 100)]) expect([input, ageClass(mask(input)!)]).toEqual([input, ageClass(input)]);
  });
});

describe('se.personnummer, synthetic pool', () => {
  it('needs no test list, not even for values that are no personnummer', () => {
    const s = createMaskingSession({ key: testKey(), env: { PGMASK_TESTDATA_DIR: '/nonexistent' }, today: TODAY });
    const mask = build(s, { transform: 'se.personnummer', options: { pool: 'synthetic' } });
    expect(Personnummer.valid(mask('811218-9876')!)).toBe(true);
    expect(Personnummer.valid(mask('garbage')!)).toBe(true);
    expect(() => build(s, 'se.personnummer')).toThrow(/pgmask testdata fetch/);
  });

  it('keeps sex and the birth date, year or decade; Luhn-valid; warns', () => {
    const s = session();
    for (const keep of ['date', 'year', 'decade'] as const) {
      const mask = build(s, { transform: 'se.personnummer', options: { pool: 'synthetic', keep_birth: keep } });
      for (const input of inputs.slice(0, 1000)) {
        const out = mask(input)!;
        const [i12, o12] = [twelve(input), twelve(out)];
        expect(Personnummer.valid(out)).toBe(true);
        expect(sexDigit(out)).toBe(sexDigit(input));
        expect(out.length).toBe(input.length);
        if (keep === 'date') expect(o12.slice(0, 8)).toBe(i12.slice(0, 8));
        if (keep === 'year') expect(o12.slice(0, 4)).toBe(i12.slice(0, 4));
        if (keep === 'decade') expect(o12.slice(0, 3)).toBe(i12.slice(0, 3));
      }
    }
    expect(s.warnings.map((w) => w.code)).toContain('SYNTHETIC_PERSONNUMMER');
  });

  it('is injective on every birth number of one date (a full class)', () => {
    const mask = build(session(), { transform: 'se.personnummer', options: { pool: 'synthetic', keep_birth: 'date' } });
    const outs = new Set<string>();
    for (let serial = 1; serial <= 999; serial++) outs.add(mask(pnr(81, 12, 18, serial))!);
    expect(outs.size).toBe(999);
  });

  it('masks samordningsnummer, unknown birth days included, as samordningsnummer', () => {
    const mask = build(session(), { transform: 'se.personnummer', options: { pool: 'synthetic' } });
    for (const input of [...officialSamordning].slice(0, 500)) {
      const out = mask(input)!;
      expect(Number(out.slice(6, 8))).toBeGreaterThanOrEqual(60);
      expect(Personnummer.valid(out, COORDINATION) || out.slice(4, 6) === '00' || out.slice(6, 8) === '60').toBe(true);
    }
  });
});

describe('se.samordningsnummer', () => {
  it('makes every input a test samordningsnummer, and agrees with se.personnummer on samordningsnummer', () => {
    const s = session();
    const samordning = build(s, 'se.samordningsnummer');
    const person = build(s, 'se.personnummer');
    for (const input of inputs.slice(0, 300)) expect(officialSamordning.has(twelve(samordning(input)!))).toBe(true);
    for (const input of [...officialSamordning].slice(0, 300)) expect(samordning(input)).toBe(person(input));
  });
});
