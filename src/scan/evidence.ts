import type { PiiKind } from './pii-kind.js';

/** How evidence names what values of a kind are, in the plural. */
export const KIND_NOUN: Readonly<Record<PiiKind, string>> = {
  personnummer: 'personnummer',
  samordningsnummer: 'samordningsnummer',
  organisationsnummer: 'organisationsnummer',
  birth_date: 'birth dates',
  first_name: 'first names',
  last_name: 'last names',
  full_name: 'person names',
  username: 'usernames',
  email: 'e-mail addresses',
  phone: 'phone numbers',
  street: 'street addresses',
  postal_code: 'postal codes',
  city: 'place names',
  geo: 'coordinates',
  iban: 'IBANs',
  bank_account: 'bank account numbers',
  payment_card: 'payment card numbers',
  ip: 'IP addresses',
  free_text: 'free text',
};

/** `1,000`: counts in evidence, with thousands separators. */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `12 of 1,000 sampled values are e-mail addresses`. */
export function valuesPhrase(found: number, sampled: number, what: string): string {
  return `${count(found)} of ${count(sampled)} sampled values are ${what}`;
}
