import type { PiiKind } from './pii-kind.js';

/** The kind of personal data a rule's transformer says its column holds, for the inventory of rules `scan` did not write. */
export const TRANSFORM_KIND: Readonly<Record<string, PiiKind>> = {
  'se.personnummer': 'personnummer',
  'se.samordningsnummer': 'samordningsnummer',
  'se.organisationsnummer': 'organisationsnummer',
  'se.birth_date': 'birth_date',
  'person.first_name': 'first_name',
  'person.last_name': 'last_name',
  'person.full_name': 'full_name',
  email: 'email',
  phone: 'phone',
  'se.phone': 'phone',
  'address.street': 'street',
  'se.postal_code': 'postal_code',
  'address.city': 'city',
  iban: 'iban',
  ip: 'ip',
  'text.scrub': 'free_text',
  'text.lorem': 'free_text',
};
