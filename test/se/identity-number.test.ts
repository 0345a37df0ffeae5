import { describe, expect, it } from 'vitest';
import { formatIdentityNumber, parseIdentityNumber, twelveDigits } from '../../src/se/identity-number.js';
import { luhnCheckDigit, luhnValid } from '../../src/se/luhn.js';
import { isLegalEntity, maskLegalEntity, parseOrganisationsnummer } from '../../src/se/organisationsnummer.js';
import { KeyedPrf } from '../../src/random/prf.js';
import { sipKey } from '../../src/random/siphash.js';
import { Personnummer } from '../transformers/support.js';

const today = { year: 2025, month: 6, day: 15 };

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
      const nine = `5${i % 10}${2 + (i % 8)}${String(i * 37).padStart(6, '0').slice(-6)}`;
      const out = maskLegalEntity(prf, `${nine}${luhnCheckDigit(nine)}`);
      expect(out[0]).toBe('5');
      expect(Number(out[2])).toBeGreaterThanOrEqual(2);
      expect(luhnValid(out)).toBe(true);
      seen.add(out);
    }
    expect(seen.size).toBe(20_000);
  });
});
