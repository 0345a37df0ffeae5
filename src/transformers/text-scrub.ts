import { parseIdentityNumber } from '../se/identity-number.js';
import { parseSwedishPhone, type SwedishPhone } from '../se/phone.js';
import { RESERVED_DOMAIN } from './email.js';
import { type IdentityOptions, identityOptionsSchema } from './helpers/identity-masker.js';
import { replaceIpAddresses } from './helpers/ip-findings.js';
import { replaceFindings } from './helpers/replace-findings.js';
import { ibanValid, maskIban } from './iban.js';
import { type IpOptions, ipOptionsProperties } from './ip.js';
import { swedishPhonePseudonym } from './se-phone.js';
import { defineTransformer, type TransformFn } from './transformer.js';

type Finding = 'personnummer' | 'samordningsnummer' | 'email' | 'phone' | 'iban' | 'ip';

interface ScrubOptions {
  readonly find?: readonly Finding[];
  readonly personnummer?: IdentityOptions;
  readonly email?: { readonly domain?: string };
  readonly ip?: IpOptions;
}

const ALL: readonly Finding[] = ['personnummer', 'samordningsnummer', 'email', 'phone', 'iban', 'ip'];

/** Finds identity numbers, e-mail addresses, Swedish phone numbers, IBANs and IP addresses in free text and masks each as its own transformer would. */
export const textScrub = defineTransformer<ScrubOptions>({
  name: 'text.scrub',
  description:
    'Finds personnummer, samordningsnummer, e-mail addresses, Swedish phone numbers, IBANs and IPv4/IPv6 addresses inside free text and replaces each with the pseudonym its own transformer gives (se.personnummer, email, se.phone, ip; an IBAN keeps country, bank and spacing, with right check digits), so a personnummer in a note becomes the same test number as in the personnummer column. The rest of the text stays. A 10 or 12-digit number counts as a personnummer when its date is possible; an IP address must stand apart from letters and digits, a dotted quad needs four parts of 0–255 and no version word before it (`version 1.2.3.4`), IPv6 eight groups or one `::` and a decimal digit (times and MAC addresses are left alone). `personnummer:`, `email:` and `ip:` take the options the column rules use, to match them.',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      find: { type: 'array', items: { enum: ALL }, uniqueItems: true, minItems: 1, description: 'What to look for (default: all).' },
      personnummer: { ...identityOptionsSchema, description: 'Options for se.personnummer, as the personnummer column uses them.' },
      email: {
        type: 'object',
        additionalProperties: false,
        properties: { domain: { type: 'string', pattern: RESERVED_DOMAIN } },
        description: 'Options for email, as the e-mail column uses them.',
      },
      ip: { type: 'object', additionalProperties: false, properties: ipOptionsProperties, description: 'Options for ip, as the address columns use them.' },
    },
  },
  accepts: ['text', 'json'],
  injective: false,
  outputsNull: false,
  keepsEmpty: true,
  example: { input: 'Ring Karin på 070-123 45 67 om 811218-9876.' },
  create(options, context) {
    const find = new Set(options.find ?? ALL);
    const lazy = (make: () => TransformFn): TransformFn => {
      let fn: TransformFn | undefined;
      return (value, row) => (fn ??= make())(value, row);
    };
    // Built now, so that a missing test list stops the run before a byte is written.
    const identity =
      find.has('personnummer') || find.has('samordningsnummer')
        ? context.nested({ transform: 'se.personnummer', options: { ...options.personnummer } }, { family: 'text', maxLength: undefined })
        : undefined;
    const mail = lazy(() => context.nested({ transform: 'email', options: { ...options.email } }, { family: 'text', maxLength: undefined }));
    // As the se.phone rule masks it: the same PRF (this rule's scope) and the same reserved numbers.
    let phonePseudonym: ((phone: SwedishPhone) => string) | undefined;
    const phone = (tel: string): string | undefined => {
      const parsed = parseSwedishPhone(tel);
      return parsed && (phonePseudonym ??= swedishPhonePseudonym(context.prf('se.phone')))(parsed);
    };
    const ipAddress = lazy(() => context.nested({ transform: 'ip', options: { ...options.ip } }, { family: 'text', type: undefined, maxLength: undefined }));
    const ibanPrf = context.prf('iban');
    const today = context.today;
    const findings: TransformFn = (value, row) =>
      replaceFindings(value!, (match, iban, address, id, tel) => {
        if (iban !== undefined) return find.has('iban') && ibanValid(iban.replace(/ /g, '')) ? maskIban(ibanPrf, iban) : match;
        if (address !== undefined) return find.has('email') ? (mail(address, row) ?? match) : match;
        if (id !== undefined) {
          const parsed = parseIdentityNumber(id, today);
          if (parsed?.dateValid && find.has(parsed.kind)) return identity!(id, row) ?? match;
          return (find.has('phone') ? phone(id) : undefined) ?? match;
        }
        return (tel !== undefined && find.has('phone') ? phone(tel) : undefined) ?? match;
      });
    if (!find.has('ip')) return findings;
    // After the others: an address inside an e-mail address goes with it.
    return (value, row) => replaceIpAddresses(findings(value, row)!, (found) => ipAddress(found, row) ?? found);
  },
});
