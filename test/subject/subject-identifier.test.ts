import { describe, expect, it } from 'vitest';
import { identifierForms } from '../../src/subject/subject-identifier.js';

const matches = (pattern: string, text: string): boolean => new RegExp(pattern.replaceAll('[:alnum:]', 'A-Za-z0-9'), 'i').test(text);

describe('identifierForms', () => {
  it('spells a personnummer with and without century and separator, and as integers', () => {
    for (const given of ['811218-9876', '198112189876', '8112189876', '19811218-9876']) {
      const forms = identifierForms({ kind: 'personnummer', value: given });
      expect(forms.exact).toEqual(['198112189876', '19811218-9876', '8112189876', '811218-9876']);
      expect(forms.integers).toEqual(['198112189876', '8112189876']);
    }
  });

  it('writes a centenarian’s 10-digit form with +', () => {
    expect(identifierForms({ kind: 'personnummer', value: '19101010-1234' }).exact).toContain('101010+1234');
  });

  it('finds a personnummer in text in any spelling, not inside a longer number', () => {
    const { inText } = identifierForms({ kind: 'personnummer', value: '811218-9876' });
    expect(matches(inText, 'pnr 19811218-9876.')).toBe(true);
    expect(matches(inText, '8112189876')).toBe(true);
    expect(matches(inText, '1981121898761')).toBe(false);
    expect(matches(inText, '811218-98765')).toBe(false);
  });

  it('gives a phone number’s digit forms and finds it in any format', () => {
    const forms = identifierForms({ kind: 'phone', value: '070-123 45 67' });
    expect(forms.digits).toEqual(['0701234567', '46701234567', '0046701234567', '460701234567']);
    for (const text of ['+46 70-123 45 67', '0046701234567', '"+46 (0)70 123 45 67"', 'ring 070 1234567!', '46701234567']) expect(matches(forms.inText, text)).toBe(true);
    for (const text of ['07012345678', '0701234566', '10701234567']) expect(matches(forms.inText, text)).toBe(false);
  });

  it('finds an e-mail address in text in any case, not inside a longer address', () => {
    const { inText } = identifierForms({ kind: 'email', value: 'Anna.S@example.se' });
    expect(matches(inText, 'skrev från ANNA.S@EXAMPLE.SE.')).toBe(true);
    expect(matches(inText, 'xanna.s@example.se')).toBe(false);
    expect(matches(inText, 'anna.s@example.serv')).toBe(false);
  });

  it('refuses what is not an identifier of its kind, without naming it', () => {
    for (const [kind, value] of [
      ['personnummer', '12345'],
      ['email', 'no-at-sign'],
      ['phone', '+1 555 0100'],
    ] as const) {
      expect(() => identifierForms({ kind, value })).toThrow(/^--/);
      expect(() => identifierForms({ kind, value })).not.toThrow(value);
    }
  });
});
