import { describe, expect, it } from 'vitest';
import { nameWords } from '../../../src/scan/names/name-words.js';

describe('nameWords', () => {
  it.each([
    ['customerEmail', ['customer', 'email']],
    ['Customer_E-post', ['customer', 'e', 'post']],
    ['förnamn', ['förnamn']],
    ['KundTelefonNr', ['kund', 'telefon', 'nr']],
    ['user2fa_phone', ['user', '2fa', 'phone']],
    ['IPAddress', ['ip', 'address']],
    ['address_line1', ['address', 'line', '1']],
    ['FÖDELSEDATUM', ['födelsedatum']],
    ['  spaced  name ', ['spaced', 'name']],
    ['', []],
  ])('splits %s', (identifier, words) => {
    expect(nameWords(identifier)).toEqual(words);
  });

  it.each([
    ['kundepost', ['kund', 'epost']],
    ['kundnamn', ['kund', 'namn']],
    ['fakturaadress', ['faktura', 'adress']],
    ['leveransadress', ['leverans', 'adress']],
    ['hemtelefonnummer', ['hem', 'telefonnummer']],
    ['arbetstelefon', ['arbets', 'telefon']],
    ['produktnamn', ['produkt', 'namn']],
    ['hostname', ['host', 'name']],
    ['updatedat', ['updated', 'at']],
    ['kundfakturaadress', ['kund', 'faktura', 'adress']],
  ])('splits the glued compound %s at dictionary words', (identifier, words) => {
    expect(nameWords(identifier)).toEqual(words);
  });

  it.each(['postnr', 'personnummer', 'efternamn', 'namespace', 'hotel', 'sort', 'report', 'context', 'japan'])('leaves %s whole', (word) => {
    expect(nameWords(word)).toEqual([word]);
  });
});
