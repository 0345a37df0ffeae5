/** A PostgreSQL array value: elements (text or NULL) or nested arrays, for multi-dimensional ones. */
export type PgArray = (string | null | PgArray)[];

/** A parsed array literal and its optional dimension decoration (`[0:1]=`). */
export interface PgArrayLiteral {
  readonly dimensions: string;
  readonly items: PgArray;
}

/** A malformed array literal; the message names the offset, never the value. */
export class PgArrayError extends Error {}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/**
 * Parses an array's text form (`{a,"b c",NULL,{1,2}}`, with `[1:2]=` decoration) as
 * PostgreSQL's array_in reads it: quoted elements with backslash escapes, unquoted ones
 * trimmed, unquoted NULL is NULL. `delimiter` is `,` for every type but box.
 */
export function parsePgArray(text: string, delimiter = ','): PgArrayLiteral {
  let i = 0;
  let dimensions = '';
  if (text.startsWith('[')) {
    const eq = text.indexOf('=');
    if (eq < 0) throw new PgArrayError('array dimensions without "="');
    dimensions = text.slice(0, eq + 1);
    i = eq + 1;
  }
  const skip = (): void => {
    while (i < text.length && isSpace(text[i]!)) i++;
  };
  const parseArray = (): PgArray => {
    if (text[i] !== '{') throw new PgArrayError(`expected "{" at offset ${i}`);
    i++;
    const items: PgArray = [];
    skip();
    if (text[i] === '}') {
      i++;
      return items;
    }
    for (;;) {
      skip();
      const c = text[i];
      if (c === '{') items.push(parseArray());
      else if (c === '"') {
        i++;
        let out = '';
        for (;;) {
          const d = text[i];
          if (d === undefined) throw new PgArrayError('unterminated quoted element');
          if (d === '\\') {
            out += text[i + 1] ?? '';
            i += 2;
          } else if (d === '"') {
            i++;
            break;
          } else {
            out += d;
            i++;
          }
        }
        items.push(out);
      } else {
        let out = '';
        let escapedUpTo = 0; // length of `out` that came through escapes (not trimmed, not NULL)
        let sawEscape = false;
        while (i < text.length && text[i] !== delimiter && text[i] !== '}') {
          const d = text[i]!;
          if (d === '{' || d === '"') throw new PgArrayError(`unexpected ${d} at offset ${i}`);
          if (d === '\\') {
            out += text[i + 1] ?? '';
            i += 2;
            escapedUpTo = out.length;
            sawEscape = true;
          } else {
            out += d;
            i++;
          }
        }
        let end = out.length;
        while (end > escapedUpTo && isSpace(out[end - 1]!)) end--;
        out = out.slice(0, end);
        if (out === '' && !sawEscape) throw new PgArrayError(`empty element at offset ${i}`);
        items.push(!sawEscape && out.toUpperCase() === 'NULL' ? null : out);
      }
      skip();
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return items;
      }
      throw new PgArrayError(`expected "${delimiter}" or "}" at offset ${i}`);
    }
  };
  skip();
  const items = parseArray();
  skip();
  if (i !== text.length) throw new PgArrayError(`junk after the array at offset ${i}`);
  return { dimensions, items };
}

function quote(element: string, delimiter: string): string {
  const needs = element === '' || element.toUpperCase() === 'NULL' || /[{}"\\\s]/.test(element) || element.includes(delimiter);
  return needs ? `"${element.replace(/["\\]/g, '\\$&')}"` : element;
}

/** Writes an array back in PostgreSQL's text form, quoting where array_out would. */
export function formatPgArray(literal: PgArrayLiteral, delimiter = ','): string {
  const write = (items: PgArray): string => `{${items.map((item) => (item === null ? 'NULL' : Array.isArray(item) ? write(item) : quote(item, delimiter))).join(delimiter)}}`;
  return literal.dimensions + write(literal.items);
}

/** Applies `fn` to every element (at any depth), NULLs included. */
export function mapPgArray(items: PgArray, fn: (element: string | null) => string | null): PgArray {
  return items.map((item) => (Array.isArray(item) ? mapPgArray(item, fn) : fn(item)));
}
