import { parseIdentityNumber } from '../se/identity-number.js';
import { parseSwedishPhone, type SwedishPhone } from '../se/phone.js';
import { RESERVED_DOMAIN } from './email.js';
import { type IdentityOptions, identityOptionsSchema } from './helpers/identity-masker.js';
import { replaceFindings } from './helpers/replace-findings.js';
import { ibanValid, maskIban } from './iban.js';
import { swedishPhonePseudonym } from './se-phone.js';
import { defineTransformer, type TransformFn } from './transformer.js';

type Finding = 'personnummer' | 'samordningsnummer' | 'email' | 'phone' | 'iban';

interface ScrubOptions {
  readonly find?: readonly Finding[];
  readonly personnummer?: IdentityOptions;
  readonly email?: { readonly domain?: string };
}

const ALL: readonly Finding[] = ['personnummer', 'samordningsnummer', 'email', 'phone', 'iban'];

/** Finds identity numbers, e-mail addresses, Swedish phone numbers and IBANs in free text and masks each as its own transformer would. */
export const textScrub = defineTransformer<ScrubOptions>({
  name: 'text.scrub',
  description:
    'Finds personnummer, samordningsnummer, e-mail addresses, Swedish phone numbers and IBANs inside free text and replaces each with the pseudonym its own transformer gives (se.personnummer, email, se.phone; an IBAN keeps country, bank and spacing, with right check digits), so a personnummer in a note becomes the same test number as in the personnummer column. The rest of the text stays. A 10 or 12-digit number counts as a personnummer when its date is possible; `personnummer:` and `email:` take the options the column rules use, to match them.',
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
    const ibanPrf = context.prf('iban');
    const today = context.today;
    return (value, row) =>
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
  },
});
