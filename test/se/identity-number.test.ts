import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedPrf } from '../../src/random/prf.js';
import { sipKey } from '../../src/random/siphash.js';
import type { Today } from '../../src/se/calendar.js';
import { isRealDate, pad2, pad4 } from '../../src/se/calendar.js';
import { formatIdentityNumber, type IdentityNumber, parseIdentityNumber, twelveDigits } from '../../src/se/identity-number.js';
import { luhnCheckDigit, luhnValid } from '../../src/se/luhn.js';
import { isLegalEntity, maskLegalEntity, parseOrganisationsnummer } from '../../src/se/organisationsnummer.js';
import { Personnummer } from '../transformers/support.js';

const today = { year: 2025, month: 6, day: 15 };

/** parseIdentityNumber as a regular expression: the reference the character scan is checked against. */
function parseByPattern(text: string, now: Today): IdentityNumber | undefined {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/.exec(text);
  if (!m) return undefined;
  const [, cc, yy, mm, dd, sep, nnn, c] = m as unknown as [string, string | undefined, string, string, string, '' | '-' | '+', string, string];
  const twoDigit = Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  let year: number;
  if (cc !== undefined) {
    if (sep === '+') return undefined;
    year = Number(cc) * 100 + twoDigit;
  } else {
    year = now.year - ((((now.year - twoDigit) % 100) + 100) % 100);
    const realDay = day > 60 ? day - 60 : day;
    if (month > now.month || (month === now.month && realDay > now.day)) {
      if (year === now.year) year -= 100;
    }
    if (sep === '+') year -= 100;
  }
  const kind = day >= 60 ? 'samordningsnummer' : 'personnummer';
  let dateValid: boolean;
  if (kind === 'samordningsnummer') {
    const d = day - 60;
    dateValid = month === 0 ? d >= 0 && d <= 31 : d === 0 ? month >= 1 && month <= 12 : isRealDate(year, month, d);
  } else {
    dateValid = isRealDate(year, month, day);
  }
  return {
    year,
    month,
    day,
    serial: Number(nnn),
    check: Number(c),
    form: { digits: cc !== undefined ? 12 : 10, separator: sep },
    kind,
    luhnValid: luhnValid(`${yy}${mm}${dd}${nnn}${c}`),
    dateValid,
  };
}

describe('Luhn', () => {
  it.each([
    ['811218987', 6],
    ['556036079', 3],
    ['121212121', 2],
  ])('check digit of %s is %i', (digits, check) => {
    expect(luhnCheckDigit(digits)).toBe(check);
    expect(luhnValid(`${digits}${check}`)).toBe(true);
    expect(luhnValid(`${digits}${(check + 1) % 10}`)).toBe(false);
  });
});

describe('parseIdentityNumber', () => {
  it.each([
    ['198112189876', 1981, 12, { digits: 12, separator: '' }],
    ['19811218-9876', 1981, 12, { digits: 12, separator: '-' }],
    ['8112189876', 1981, 12, { digits: 10, separator: '' }],
    ['811218-9876', 1981, 12, { digits: 10, separator: '-' }],
    ['811218+9876', 1881, 12, { digits: 10, separator: '+' }],
    ['250101-1234', 2025, 1, { digits: 10, separator: '-' }],
    ['251201-1234', 1925, 12, { digits: 10, separator: '-' }],
  ])('reads %s', (text, year, month, form) => {
    const n = parseIdentityNumber(text, today)!;
    expect(n.year).toBe(year);
    expect(n.month).toBe(month);
    expect(n.form).toEqual(form);
  });

  it('reports checks instead of refusing', () => {
    expect(parseIdentityNumber('811218-9876', today)).toMatchObject({ luhnValid: true, dateValid: true, kind: 'personnummer', serial: 987 });
    expect(parseIdentityNumber('811218-9875', today)).toMatchObject({ luhnValid: false, dateValid: true });
    expect(parseIdentityNumber('811231-9875', today)?.dateValid).toBe(true);
    expect(parseIdentityNumber('810231-9875', today)?.dateValid).toBe(false);
    expect(parseIdentityNumber('811278-9875', today)).toMatchObject({ kind: 'samordningsnummer', dateValid: true });
    expect(parseIdentityNumber('191400602396', today)).toMatchObject({ kind: 'samordningsnummer', dateValid: true });
    for (const bad of ['', '81121-9876', '8112189876x', '19811218+9876', 'abcdefghij']) expect(parseIdentityNumber(bad, today)).toBeUndefined();
  });

  it('reads any text as the regular expression of the forms does', () => {
    const unit = fc.constantFrom('0', '1', '2', '3', '5', '6', '8', '9', '-', '+', ' ', 'x', '٣', '/', ':');
    const shaped = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.constantFrom('', '-', '+', ' '),
        fc.boolean(),
      )
      .map(([y, m, d, tail, sep, ten]) => {
        const date = `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
        return `${ten ? date.slice(2) : date}${sep}${String(tail).padStart(4, '0')}`;
      });
    const when = fc.record({ year: fc.integer({ min: 1900, max: 2200 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) });
    fc.assert(
      fc.property(
        fc.oneof(
          shaped,
          fc.array(unit, { minLength: 9, maxLength: 14 }).map((a) => a.join('')),
          fc.string(),
        ),
        when,
        (text, now) => {
          expect(parseIdentityNumber(text, now)).toEqual(parseByPattern(text, now));
        },
      ),
      { numRuns: 30_000 },
    );
  });

  it('writes twelve digits as pad2, padStart and pad4 write the parts, whatever the parts', () => {
    const written = (n: Pick<IdentityNumber, 'year' | 'month' | 'day' | 'serial' | 'check'>, fixCheck: boolean): string => {
      const nine = `${pad2(n.year % 100)}${pad2(n.month)}${pad2(n.day)}${String(n.serial).padStart(3, '0')}`;
      return `${pad4(n.year).slice(0, 2)}${nine}${fixCheck ? luhnCheckDigit(nine) : n.check}`;
    };
    const part = (max: number): fc.Arbitrary<number> => fc.oneof(fc.integer({ min: 0, max }), fc.integer({ min: -50, max: max * 20 }), fc.double({ min: -10, max, noNaN: true }));
    fc.assert(
      fc.property(fc.record({ year: part(9999), month: part(99), day: part(99), serial: part(999), check: fc.integer({ min: 0, max: 9 }) }), fc.boolean(), (n, fixCheck) => {
        expect(twelveDigits(n, fixCheck)).toBe(written(n, fixCheck));
      }),
      { numRuns: 20_000 },
    );
  });

  it("gives a 12-digit number's own digits as its twelve digits", () => {
    const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => d.join(''));
    fc.assert(
      fc.property(digits, fc.constantFrom('', '-'), (twelve, sep) => {
        const parsed = parseIdentityNumber(`${twelve.slice(0, 8)}${sep}${twelve.slice(8)}`, today)!;
        expect(twelveDigits(parsed)).toBe(twelve);
      }),
      { numRuns: 5000 },
    );
  });

  it('writes each form back, with + for people 100 or older', () => {
    expect(formatIdentityNumber('198112189876', { digits: 12, separator: '' }, today)).toBe('198112189876');
    expect(formatIdentityNumber('198112189876', { digits: 12, separator: '-' }, today)).toBe('19811218-9876');
    expect(formatIdentityNumber('198112189876', { digits: 10, separator: '' }, today)).toBe('8112189876');
    expect(formatIdentityNumber('198112189876', { digits: 10, separator: '-' }, today)).toBe('811218-9876');
    expect(formatIdentityNumber('191212121212', { digits: 10, separator: '-' }, today)).toBe('121212+1212');
    expect(twelveDigits({ year: 1981, month: 12, day: 18, serial: 987, check: 0 }, true)).toBe('198112189876');
    expect(Personnummer.valid('198112189876')).toBe(true);
  });
});

describe('organisationsnummer', () => {
  const prf = new KeyedPrf(sipKey(Buffer.alloc(16, 1)));
  it('tells legal entities from sole traders', () => {
    expect(isLegalEntity('5560360793')).toBe(true);
    expect(isLegalEntity('8112189876')).toBe(false);
    expect(parseOrganisationsnummer('16556036-0793')).toEqual({ ten: '5560360793', prefixed: true, dash: true });
  });

  it('keeps the group digit, the third digit ≥ 2 and Luhn, and is injective', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const nine = `5${i % 10}${2 + (i % 8)}${String(i * 37)
        .padStart(6, '0')
        .slice(-6)}`;
      const out = maskLegalEntity(prf, `${nine}${luhnCheckDigit(nine)}`);
      expect(out[0]).toBe('5');
      expect(Number(out[2])).toBeGreaterThanOrEqual(2);
      expect(luhnValid(out)).toBe(true);
      seen.add(out);
    }
    expect(seen.size).toBe(20_000);
  });
});
