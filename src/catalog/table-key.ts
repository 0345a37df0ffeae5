import { quoteIdent } from './names.js';

/** The canonical key of a table in rules and reports: `schema.table`, each part quoted when needed. */
export function tableKey(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A table key of the rules file, split into its parts. */
export interface ParsedTableKey {
  readonly schema: string;
  readonly name: string;
  /** Unquoted parts that held upper-case letters, folded to lower case as SQL folds them. */
  readonly folded: readonly string[];
}

/** Why a table key could not be read, and at which character (0-based) of the key. */
export interface TableKeyError {
  readonly error: string;
  readonly offset: number;
}

const UNQUOTED_START = /[A-Za-z_\u0080-\uffff]/;
const UNQUOTED_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Reads a rules-file table key the way SQL reads a table name: `schema.table` or `table`
 * (schema `public`); a part in double quotes is taken exactly (`public."Order Items"`,
 * `"Sales"."Kund"`, `"a.b"."c"`, `"say ""hi"""`), an unquoted part is folded to lower case.
 *
 * @example parseTableKey('public."Order Items"') // { schema: 'public', name: 'Order Items', folded: [] }
 */
export function parseTableKey(key: string): ParsedTableKey | TableKeyError {
  const parts: string[] = [];
  const folded: string[] = [];
  let i = 0;
  for (;;) {
    if (key[i] === '"') {
      let part = '';
      let j = i + 1;
      for (;;) {
        if (j >= key.length) return { error: `unterminated quoted identifier (a '"' is missing)`, offset: i };
        if (key[j] === '"') {
          if (key[j + 1] === '"') {
            part += '"';
            j += 2;
            continue;
          }
          break;
        }
        part += key[j];
        j++;
      }
      if (part === '') return { error: 'an identifier in quotes cannot be empty', offset: i };
      parts.push(part);
      i = j + 1;
    } else {
      const start = i;
      if (i >= key.length || !UNQUOTED_START.test(key[i]!)) {
        const what = i >= key.length ? 'the key ends where a name should follow' : `'${key[i]}' cannot start an unquoted name`;
        return { error: `${what}; put names with spaces, dots or other special characters in double quotes`, offset: i };
      }
      while (i < key.length && UNQUOTED_PART.test(key[i]!)) i++;
      const raw = key.slice(start, i);
      const lower = raw.replace(/[A-Z]/g, (c) => c.toLowerCase());
      if (lower !== raw) folded.push(raw);
      parts.push(lower);
    }
    if (i === key.length) break;
    if (key[i] !== '.') {
      return { error: `unexpected '${key[i]}'; put names with spaces, dots or other special characters in double quotes`, offset: i };
    }
    i++;
  }
  if (parts.length > 2) return { error: 'a table key is schema.table (or just table, for schema public), not more parts', offset: 0 };
  const [first, second] = parts as [string, string | undefined];
  return second === undefined ? { schema: 'public', name: first, folded } : { schema: first, name: second, folded };
}

/** Narrows a parse result to the error case. */
export function isTableKeyError(result: ParsedTableKey | TableKeyError): result is TableKeyError {
  return 'error' in result;
}
