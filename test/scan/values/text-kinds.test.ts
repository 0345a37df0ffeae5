import { describe, expect, it } from 'vitest';
import { isTextLike } from '../../../src/scan/values/is-text-like.js';
import { textKinds } from '../../../src/scan/values/text-kinds.js';

const kinds = (text: string): string[] => [...textKinds(text)].sort();

describe('textKinds', () => {
  it('finds numbers, addresses and names inside free text', () => {
    expect(kinds('Ring Karin Svensson på 070-123 45 67 om 811218-9876, mejla anna@example.se från 10.0.0.1')).toEqual(
      ['email', 'first_name', 'full_name', 'ip', 'last_name', 'personnummer', 'phone'].sort(),
    );
    expect(kinds('Betalning till SE45 5000 0000 0583 9825 7466 är gjord')).toEqual(['iban']);
    expect(kinds('Samordningsnummer 811278-9873 registrerat')).toEqual(['samordningsnummer']);
    expect(kinds('Hej Sigrid, tack för ditt svar')).toEqual(['first_name']);
  });

  it('reads a bare mobile number as a phone number, as text.scrub does', () => {
    expect(kinds('ring mig på 0702263153 efter lunch')).toEqual(['phone']);
  });

  it.each([
    'Kunden ringde igen om leveransen, den kom aldrig fram.',
    'Order 100234 skickad 2024-01-15 10:30, belopp 1234.50 kr',
    'uppgradera till version 1.2.3.4 före fredag',
    'kontrollsumma 8112189875 stämmer inte',
    'Möte i Stockholm på måndag med Volvo',
    'commit da39a3ee5e6b4b0d3255bfef95601890afd80709 fixed the build',
  ])('%j holds no personal data', (text) => {
    expect(kinds(text)).toEqual([]);
  });

  it('looks at the first 2,000 characters only', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(80);
    expect(kinds(`${filler} anna@example.se`)).toEqual([]);
    expect(kinds(`anna@example.se ${filler}`)).toEqual(['email']);
  });
});

describe('isTextLike', () => {
  it.each(['Kunden ringde igen om leveransen.', 'Ring Karin på 070-123 45 67', 'Anna Maria Svensson'])('%j is text-like', (value) => {
    expect(isTextLike(value)).toBe(true);
  });
  it.each(['anna@example.se', 'Anna Svensson', 'Storgatan 12', '2024-01-15 10:30:00+01', '{1,2,3}', '12 34 56 78', 'a b c 1234567 8901234 5678901', ''])(
    '%j is not text-like',
    (value) => {
      expect(isTextLike(value)).toBe(false);
    },
  );
});
