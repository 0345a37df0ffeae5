import { type IdentityNumber, parseIdentityNumber } from '../se/identity-number.js';
import { parseSwedishPhone, type SwedishPhone } from '../se/phone.js';
import { RESERVED_DOMAIN } from './email.js';
import { type IdentityOptions, identityOptionsSchema } from './helpers/identity-masker.js';
import { replaceIpAddresses } from './helpers/ip-findings.js';
import { type NameReplacer, replaceNames } from './helpers/name-findings.js';
import { replaceFindings } from './helpers/replace-findings.js';
import { RowInText, textForms } from './helpers/row-in-text.js';
import { ibanValid, maskIban } from './iban.js';
import { type IpOptions, ipOptionsProperties } from './ip.js';
import { firstNamePicker } from './person-first-name.js';
import { lastNamePicker } from './person-last-name.js';
import { swedishPhonePseudonym } from './se-phone.js';
import { type ColumnTarget, defineTransformer, type RowColumn, type TransformerContext, type TransformFn } from './transformer.js';

type Finding = 'personnummer' | 'samordningsnummer' | 'email' | 'phone' | 'iban' | 'ip' | 'name';

interface ScrubOptions {
  readonly find?: readonly Finding[];
  readonly row?: boolean | readonly string[];
  readonly personnummer?: IdentityOptions;
  readonly email?: { readonly domain?: string };
  readonly ip?: IpOptions;
}

const ALL: readonly Finding[] = ['personnummer', 'samordningsnummer', 'email', 'phone', 'iban', 'ip', 'name'];

/** Words just before a number that make it an identity number even where it reads as a phone number. */
const IDENTITY_MARKER = /(?:\b(?:pnr|personnummer|personnr|pers\.? ?nr|p-nr|p\.nr|födelsenummer|samordningsnummer|ssn)\.?)[\s:#=-]*$/i;

/** Whether an identity number is preceded by a word that marks it (`pnr 0702263153`). */
const markedAsIdentity = (text: string, at: number): boolean => IDENTITY_MARKER.test(text.slice(Math.max(0, at - 24), at));

/** A 10-digit mobile number as written without separators (`0702263153`): a phone number before an identity number. */
const isBareMobile = (digits: string): boolean => digits.length === 10 && digits.charCodeAt(0) === 0x30 && digits.charCodeAt(1) === 0x37;

/** The other masked columns of the row the scrub looks for: those `row:` names, else every one with a form in text. */
function rowColumnsOf(options: ScrubOptions, column: Pick<ColumnTarget, 'column' | 'row'> | undefined): readonly RowColumn[] {
  if (options.row === false) return [];
  const others = (column?.row ?? []).filter((c) => c.name !== column?.column);
  // A named column that no rule masks has no masked value to agree with: the text's own scrubbing applies.
  const named = options.row;
  if (Array.isArray(named)) return others.filter((c) => named.includes(c.name));
  return others.filter((c) => c.inText !== undefined);
}

/** Finds identity numbers, e-mail addresses, Swedish phone numbers, IBANs, IP addresses and person names in free text and masks each as its own transformer would. */
export const textScrub = defineTransformer<ScrubOptions>({
  name: 'text.scrub',
  description:
    "Finds personnummer, samordningsnummer, e-mail addresses, Swedish phone numbers, IBANs, IPv4/IPv6 addresses and person names inside free text and replaces each with the pseudonym its own transformer gives (se.personnummer, email, se.phone, ip, person.first_name and person.last_name; an IBAN keeps country, bank and spacing, with right check digits). The rest of the text stays. Row-aware: where the text holds the original value of another masked column of the same row (a name in any case and word order, a personnummer or phone number in any spelling, an e-mail address in any case, a street address), it becomes the very value that column was masked to, also under `unique: true`; `row: false` turns that off, `row: [columns]` names the columns (a column whose transformer has no text form is looked for as a whole phrase). Names without a column are found by faker's sv and en name lists, capitalisation and context (titles, greetings, Swedish family-name endings), and keep their sex where the first name tells it. Numbers: a 10 or 12-digit number is a personnummer when its date is possible, except a mobile number written as ten bare digits (`0702263153`), which is a phone number unless a marker (`pnr`, `personnummer`, `p-nr`, `födelsenummer`, `ssn`) stands before it; a number written with a personnummer's separator (`070226-3153`) is a personnummer. An IP address must stand apart from letters and digits, a dotted quad needs four parts of 0–255 and no version word before it (`version 1.2.3.4`), IPv6 eight groups or one `::` and a decimal digit (times and MAC addresses are left alone). `personnummer:`, `email:` and `ip:` take the options the column rules use, to match them.",
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      find: { type: 'array', items: { enum: ALL }, uniqueItems: true, minItems: 1, description: 'What to look for without a column (default: all).' },
      row: {
        anyOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, minItems: 1 }],
        default: true,
        description:
          "Row-aware scrubbing: `true` (default) looks for the values of the row's masked name, identity, phone, e-mail and street columns; a list names the columns; `false` turns it off.",
      },
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
  reads: (options, column) => (Array.isArray(options.row) ? options.row : rowColumnsOf(options, column).map((c) => c.name)),
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
    const phone = (parsed: SwedishPhone | undefined): string | undefined => parsed && (phonePseudonym ??= swedishPhonePseudonym(context.prf('se.phone')))(parsed);
    const ipAddress = lazy(() => context.nested({ transform: 'ip', options: { ...options.ip } }, { family: 'text', type: undefined, maxLength: undefined }));
    const ibanPrf = context.prf('iban');
    const today = context.today;
    const columns = textForms(rowColumnsOf(options, context.column));
    const names = find.has('name') ? namePseudonyms(context) : undefined;

    return (value, row) => {
      const own = columns.size > 0 ? new RowInText(columns, row, today) : undefined;
      const text = own ? own.phrases(value!) : value!;
      // An identity number: the row's own, else as se.personnummer masks it.
      const asIdentity = (written: string, parsed: IdentityNumber, match: string): string =>
        own?.identity(parsed) ?? (find.has(parsed.kind) ? (identity!(written, row) ?? match) : match);
      const asPhone = (parsed: SwedishPhone | undefined, match: string): string => (parsed && own?.phone(parsed)) ?? (find.has('phone') ? phone(parsed) : undefined) ?? match;
      let out = replaceFindings(text, (match, iban, address, id, tel, at) => {
        if (iban !== undefined) return find.has('iban') && ibanValid(iban.replace(/ /g, '')) ? maskIban(ibanPrf, iban) : match;
        if (address !== undefined) return own?.email(address) ?? (find.has('email') ? (mail(address, row) ?? match) : match);
        if (id !== undefined) {
          const parsed = parseIdentityNumber(id, today);
          if (parsed?.dateValid && (parsed.form.separator !== '' || !isBareMobile(id) || markedAsIdentity(text, at))) return asIdentity(id, parsed, match);
          return asPhone(parseSwedishPhone(id), match);
        }
        if (markedAsIdentity(text, at)) {
          // `pnr 811218 9876`: spaces where a personnummer has none.
          const digits = tel!.replace(/[ -]/g, '');
          const parsed = parseIdentityNumber(digits, today);
          if (parsed?.dateValid) return asIdentity(digits, parsed, match);
        }
        return asPhone(parseSwedishPhone(tel!), match);
      });
      if (names || own) out = replaceNames(out, { row: own?.names(), pseudonym: names });
      // After the others: an address inside an e-mail address goes with it.
      return find.has('ip') ? replaceIpAddresses(out, (found) => ipAddress(found, row) ?? found) : out;
    };
  },
});

/** Pseudonyms for names found in text: as person.first_name (by the sex the name tells) and person.last_name pick them, but never the name or a part of it. */
function namePseudonyms(context: TransformerContext): NonNullable<NameReplacer['pseudonym']> {
  const firstPrf = context.prf('person.first_name');
  const lastPrf = context.prf('person.last_name');
  const first = firstNamePicker((v, n) => firstPrf.pick(v, n));
  const last = lastNamePicker((v, n) => lastPrf.pick(v, n));
  return (name, role, sex) => {
    const pick = (value: string): string => (role === 'first' ? first(value, sex) : last(value));
    // A name found in text never stays itself, nor keeps a part of a double name (`Ann-Marie` → `Britt-Marie`): such a pick is made again.
    const parts = name.toLowerCase().split('-');
    const keepsPart = (out: string): boolean =>
      out
        .toLowerCase()
        .split('-')
        .some((part) => parts.includes(part));
    let out = pick(name);
    for (let salt = '\u0000'; keepsPart(out) && salt.length < 8; salt += '\u0000') out = pick(name + salt);
    return out;
  };
}
