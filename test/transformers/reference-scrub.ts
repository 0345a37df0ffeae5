/**
 * text.scrub and se.phone as they were written before the candidate scan and the hand-written
 * phone reader: one global regular expression over the text, and a regular expression per phone
 * number (with the number precedence text.scrub has had since; names are not looked for). The
 * tests check the current code against them, output for output.
 */
import { parseIdentityNumber } from '../../src/se/identity-number.js';
import { type PhoneStyle, PTS_FIXED, PTS_MOBILE, reservedNumbers, type SwedishPhone } from '../../src/se/phone.js';
import { ibanValid, maskIban } from '../../src/transformers/iban.js';
import { maskPhoneDigits } from '../../src/transformers/phone.js';
import type { TransformerContext, TransformFn } from '../../src/transformers/transformer.js';

/** Groups: 1 IBAN, 2 e-mail, 3 personnummer/samordningsnummer, 4 phone. */
export const REFERENCE_PATTERN = new RegExp(
  [
    /\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b/.source,
    /([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/.source,
    /(?<![\d-])((?:1[89]|20)?\d{6}[-+]?\d{4})(?!\d)/.source,
    /(?<![\w+])((?:\+46|0046|0)[ -]?(?:\(0\) ?)?\d{1,3}(?:[ -]?\d){5,8})(?!\d)/.source,
  ].join('|'),
  'g',
);

export function referenceParseSwedishPhone(text: string): SwedishPhone | undefined {
  const m = /^(\+46|0046|0)([\s-]?)(\(0\)\s?)?(\d[\d\s-]*\d)$/.exec(text.trim());
  if (!m) return undefined;
  const prefix = m[1] as PhoneStyle['prefix'];
  const body = m[4]!;
  const nsn = body.replace(/[\s-]/g, '');
  if (nsn.length < 6 || nsn.length > 10 || nsn.startsWith('0')) return undefined;
  const firstSep = /[\s-]/.exec(body);
  const areaSeparator = firstSep ? firstSep[0] : '';
  const rest = firstSep ? body.slice(firstSep.index + 1) : '';
  const groupSeparator = / /.test(rest) ? ' ' : /-/.test(rest) ? '-' : '';
  return {
    nsn,
    mobile: nsn.startsWith('7'),
    style: { prefix, afterPrefix: prefix === '0' ? '' : m[2]!, trunkInParens: m[3] !== undefined, areaSeparator, groupSeparator },
  };
}

export function referenceFormatSwedishPhone(area: string, subscriber: string, groups: readonly number[], style: PhoneStyle): string {
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    parts.push(subscriber.slice(at, at + size));
    at += size;
  }
  if (at < subscriber.length) parts.push(subscriber.slice(at));
  const head = style.prefix === '0' ? `0${area}` : `${style.prefix}${style.afterPrefix}${style.trunkInParens ? '(0)' : ''}${area}`;
  return `${head}${style.areaSeparator}${parts.join(style.groupSeparator)}`;
}

/** se.phone's mask function as it was (without the empty-string guard buildTransform adds). */
export function referenceSePhone(context: Pick<TransformerContext, 'prf'>): (value: string) => string {
  const prf = context.prf('se.phone');
  const foreign = context.prf('phone');
  const mobile = reservedNumbers(PTS_MOBILE);
  const fixed = reservedNumbers(PTS_FIXED);
  return (value) => {
    const parsed = referenceParseSwedishPhone(value);
    if (!parsed) return maskPhoneDigits(foreign, value);
    const pool = parsed.mobile ? mobile : fixed;
    const chosen = pool[prf.pick(parsed.nsn, pool.length)]!;
    return referenceFormatSwedishPhone(chosen.area, chosen.subscriber, chosen.groups, parsed.style);
  };
}

type Finding = 'personnummer' | 'samordningsnummer' | 'email' | 'phone' | 'iban';

export interface ReferenceScrubOptions {
  readonly find?: readonly Finding[];
  readonly personnummer?: Readonly<Record<string, unknown>>;
  readonly email?: { readonly domain?: string };
}

/** text.scrub's create as it was; `context.nested` is expected to give the reference se.phone. */
export function referenceScrub(options: ReferenceScrubOptions, context: TransformerContext): TransformFn {
  const find = new Set(options.find ?? ['personnummer', 'samordningsnummer', 'email', 'phone', 'iban']);
  const lazy = (make: () => TransformFn): TransformFn => {
    let fn: TransformFn | undefined;
    return (value, row) => (fn ??= make())(value, row);
  };
  const identity = lazy(() => context.nested({ transform: 'se.personnummer', options: { ...options.personnummer } }, { family: 'text', maxLength: undefined }));
  const mail = lazy(() => context.nested({ transform: 'email', options: { ...options.email } }, { family: 'text', maxLength: undefined }));
  const phone = lazy(() => context.nested({ transform: 'se.phone' }, { family: 'text', maxLength: undefined }));
  const ibanPrf = context.prf('iban');
  const today = context.today;
  // Since row-aware scrubbing: a mobile number of ten bare digits is a phone number unless a marker precedes it.
  const marked = (text: string, offset: number): boolean =>
    /(?:\b(?:pnr|personnummer|personnr|pers\.? ?nr|p-nr|p\.nr|födelsenummer|samordningsnummer|ssn)\.?)[\s:#=-]*$/i.test(text.slice(Math.max(0, offset - 24), offset));
  return (value, row) =>
    value!.replace(
      REFERENCE_PATTERN,
      (match, iban: string | undefined, address: string | undefined, id: string | undefined, tel: string | undefined, offset: number, text: string) => {
        if (iban !== undefined) return find.has('iban') && ibanValid(iban.replace(/ /g, '')) ? maskIban(ibanPrf, iban) : match;
        if (address !== undefined) return find.has('email') ? (mail(address, row) ?? match) : match;
        if (id !== undefined) {
          const parsed = parseIdentityNumber(id, today);
          if (parsed?.dateValid && (!/^07\d{8}$/.test(id) || marked(text, offset))) return find.has(parsed.kind) ? (identity(id, row) ?? match) : match;
          if (find.has('phone') && referenceParseSwedishPhone(id)) return phone(id, row) ?? match;
          return match;
        }
        if (tel !== undefined && marked(text, offset)) {
          const digits = tel.replace(/[ -]/g, '');
          const parsed = parseIdentityNumber(digits, today);
          if (parsed?.dateValid) return find.has(parsed.kind) ? (identity(digits, row) ?? match) : match;
        }
        if (tel !== undefined && find.has('phone') && referenceParseSwedishPhone(tel)) return phone(tel, row) ?? match;
        return match;
      },
    );
}
