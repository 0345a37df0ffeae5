import { parseIdentityNumber } from '../../se/identity-number.js';
import { parseSwedishPhone } from '../../se/phone.js';
import { replaceIpAddresses } from '../../transformers/helpers/ip-findings.js';
import { replaceNames } from '../../transformers/helpers/name-findings.js';
import { replaceFindings } from '../../transformers/helpers/replace-findings.js';
import { ibanValid } from '../../transformers/iban.js';
import type { PiiKind } from '../pii-kind.js';

/** How much of a text is looked at: findings further in are not looked for (the cost of a sample stays bounded). */
export const TEXT_LOOK_AT = 2000;

/** A 10-digit mobile number written as ten bare digits (`0702263153`): `text.scrub` reads it as a phone number. */
const isBareMobile = (digits: string): boolean => digits.length === 10 && digits.charCodeAt(0) === 0x30 && digits.charCodeAt(1) === 0x37;

/**
 * The kinds of personal data inside free text, found by the finders `text.scrub` masks with
 * (replace-findings.ts, ip-findings.ts, name-findings.ts), each handed a replacer that notes
 * what it was given and gives it back unchanged:
 * - iban (right check digits), email;
 * - personnummer or samordningsnummer: a possible date and a right Luhn digit (stricter than
 *   `text.scrub`, which masks any possible date), except a mobile number written as ten bare
 *   digits, which is a phone number as `text.scrub` reads it;
 * - phone: a Swedish number;
 * - ip: an IPv4 or IPv6 address standing apart (not after a version word);
 * - first_name, last_name: names by the sv and en lists, capitalisation and context; full_name
 *   besides when a first and a last name are both found.
 * Only the first 2,000 characters are looked at.
 */
export function textKinds(text: string): ReadonlySet<PiiKind> {
  const t = text.length > TEXT_LOOK_AT ? text.slice(0, TEXT_LOOK_AT) : text;
  const kinds = new Set<PiiKind>();
  replaceFindings(t, (match, iban, address, id, tel) => {
    if (iban !== undefined) {
      if (ibanValid(iban.replace(/ /g, ''))) kinds.add('iban');
    } else if (address !== undefined) kinds.add('email');
    else if (id !== undefined) {
      const parsed = parseIdentityNumber(id);
      if (parsed?.dateValid && parsed.luhnValid && (parsed.form.separator !== '' || !isBareMobile(id))) kinds.add(parsed.kind);
      else if (parseSwedishPhone(id) !== undefined) kinds.add('phone');
    } else if (tel !== undefined && parseSwedishPhone(tel) !== undefined) kinds.add('phone');
    return match;
  });
  replaceIpAddresses(t, (address) => {
    kinds.add('ip');
    return address;
  });
  replaceNames(t, {
    pseudonym: (name, role) => {
      kinds.add(role === 'first' ? 'first_name' : 'last_name');
      return name;
    },
  });
  if (kinds.has('first_name') && kinds.has('last_name')) kinds.add('full_name');
  return kinds;
}
