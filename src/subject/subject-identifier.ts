import { ExitCode } from '../errors.js';
import { formatIdentityNumber, type IdentityForm, parseIdentityNumber, twelveDigits } from '../se/identity-number.js';
import { parseSwedishPhone } from '../se/phone.js';
import { SubjectError } from './subject-error.js';

/**
 * How a data subject is named: by an identifier (their personnummer or samordningsnummer,
 * e-mail address or phone number) or by an SQL predicate on one table's rows. The identifier is
 * the person's data: it is matched inside the server as a query parameter and never printed.
 */
export type SubjectIdentifier =
  | { readonly kind: 'personnummer'; readonly value: string }
  | { readonly kind: 'email'; readonly value: string }
  | { readonly kind: 'phone'; readonly value: string }
  | { readonly kind: 'where'; readonly table: string; readonly predicate: string };

/** The kinds of identifier a person is found by. */
export type IdentifierKind = Exclude<SubjectIdentifier['kind'], 'where'>;

/** An identifier in every spelling a column may hold it in. No field may be printed. */
export interface IdentifierForms {
  readonly kind: IdentifierKind;
  /** Exact spellings for a column that holds the identifier alone (personnummer: 10 and 12 digits, with and without separator; e-mail: as given). */
  readonly exact: readonly string[];
  /** Personnummer: the 12- and 10-digit numbers, for integer columns. Empty otherwise. */
  readonly integers: readonly string[];
  /** Phone: the digit forms (`0…`, `46…`, `0046…`, `460…`), against a column's digits. Empty otherwise. */
  readonly digits: readonly string[];
  /** A regular expression (PostgreSQL ARE, case-insensitive) finding the identifier inside free text, JSON or an array's text. */
  readonly inText: string;
}

const FORMS: readonly IdentityForm[] = [
  { digits: 12, separator: '' },
  { digits: 12, separator: '-' },
  { digits: 10, separator: '' },
  { digits: 10, separator: '-' },
];

/** Escapes the characters an ARE gives meaning to. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * Every spelling of an identifier, or a SubjectError (exit code 2) when the text is not one:
 * a personnummer or samordningsnummer in any of its forms (`YYYYMMDDNNNC`, `YYYYMMDD-NNNC`,
 * `YYMMDDNNNC`, `YYMMDD-NNNC`, `YYMMDD+NNNC`), an e-mail address, a Swedish phone number.
 * The message never holds the text.
 */
export function identifierForms(identifier: { readonly kind: IdentifierKind; readonly value: string }): IdentifierForms {
  const value = identifier.value.trim();
  if (identifier.kind === 'personnummer') {
    const parsed = parseIdentityNumber(value);
    if (!parsed)
      throw new SubjectError('SUBJECT_IDENTIFIER', '--personnummer is not a personnummer or samordningsnummer (10 or 12 digits, with or without - or +)', ExitCode.usage);
    const twelve = twelveDigits(parsed);
    // A 10-digit form with a separator takes `+` for someone 100 or older, as Skatteverket writes it.
    const exact = [...new Set(FORMS.map((form) => formatIdentityNumber(twelve, form)))];
    const boundary = '[^0-9]';
    return {
      kind: 'personnummer',
      exact,
      integers: [twelve, twelve.slice(2)],
      digits: [],
      inText: `(^|${boundary})(${exact.map(escapeRegex).join('|')})(${boundary}|$)`,
    };
  }
  if (identifier.kind === 'email') {
    if (!/^[^\s@]+@[^\s@]+$/.test(value)) throw new SubjectError('SUBJECT_IDENTIFIER', '--email is not an e-mail address (local@domain)', ExitCode.usage);
    return {
      kind: 'email',
      exact: [value],
      integers: [],
      digits: [],
      // Not inside a longer address: no address character before it, no domain character after it.
      inText: `(^|[^[:alnum:]._%+-])${escapeRegex(value)}([^[:alnum:]-]|$)`,
    };
  }
  const phone = parseSwedishPhone(value);
  if (!phone) throw new SubjectError('SUBJECT_IDENTIFIER', '--phone is not a Swedish phone number (070-123 45 67, +46 70 123 45 67, 0046701234567, ...)', ExitCode.usage);
  const nsn = phone.nsn;
  // Any format: a prefix (+46, 46, 0046, 0, +46 (0)), then the digits with spaces or dashes between them.
  const body = [...nsn].join('[\\s-]*');
  return {
    kind: 'phone',
    exact: [],
    integers: [],
    digits: [`0${nsn}`, `46${nsn}`, `0046${nsn}`, `460${nsn}`],
    inText: `(^|[^0-9])(?:(?:\\+?46|0046)[\\s-]*(?:\\(0\\)[\\s-]*)?|0)${body}([^0-9]|$)`,
  };
}
