/**
 * The kinds of personal data `pgmask scan` recognises, and the inventory category each belongs to.
 * Every signal (a column's name or comment, a sampled value, a finding inside free text or JSON)
 * points at one of these kinds.
 */
export const PII_KINDS = [
  'personnummer',
  'samordningsnummer',
  'organisationsnummer',
  'birth_date',
  'first_name',
  'last_name',
  'full_name',
  'username',
  'email',
  'phone',
  'street',
  'postal_code',
  'city',
  'geo',
  'iban',
  'bank_account',
  'payment_card',
  'ip',
  'free_text',
] as const;

export type PiiKind = (typeof PII_KINDS)[number];

/** The categories of the inventory (`--inventory`): what a data-protection officer asks for. */
export type PiiCategory = 'identity numbers' | 'names' | 'contact' | 'address' | 'financial' | 'network' | 'free text';

export const PII_CATEGORY: Readonly<Record<PiiKind, PiiCategory>> = {
  personnummer: 'identity numbers',
  samordningsnummer: 'identity numbers',
  organisationsnummer: 'identity numbers',
  birth_date: 'identity numbers',
  first_name: 'names',
  last_name: 'names',
  full_name: 'names',
  username: 'names',
  email: 'contact',
  phone: 'contact',
  street: 'address',
  postal_code: 'address',
  city: 'address',
  geo: 'address',
  iban: 'financial',
  bank_account: 'financial',
  payment_card: 'financial',
  ip: 'network',
  free_text: 'free text',
};
