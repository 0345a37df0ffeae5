/** A small SQL tokenizer for the schema statements of a dump (CREATE TABLE, ALTER TABLE, ...). */

/** One token; `start`/`end` are offsets into the statement text. */
export interface SqlToken {
  /** `word`: unquoted identifier or keyword (folded to lower case); `ident`: "quoted" identifier. */
  readonly kind: 'word' | 'ident' | 'string' | 'number' | 'punct';
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Splits a statement into tokens, skipping whitespace and comments. Strings ('...', E'...',
 * $tag$...$tag$) become one token each; anything unexpected becomes a one-character `punct`.
 *
 * @example tokenize('ALTER TABLE ONLY public."Order Items"').map((t) => t.value) // ['alter', 'table', 'only', 'public', '.', 'Order Items']
 */
export function tokenize(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === '"') {
      const start = i;
      let value = '';
      i++;
      while (i < n) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'ident', value, start, end: i });
    } else if (
      c === "'" ||
      ((c === 'E' || c === 'e') && text[i + 1] === "'" && !(tokens.length && tokens[tokens.length - 1]!.end === i && tokens[tokens.length - 1]!.kind === 'word'))
    ) {
      const start = i;
      const escapes = c !== "'";
      i += escapes ? 2 : 1;
      while (i < n) {
        if (escapes && text[i] === '\\') {
          i += 2;
          continue;
        }
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      tokens.push({ kind: 'string', value: text.slice(start, i), start, end: i });
    } else if (c === '$' && /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.test(text.slice(i, i + 64))) {
      const start = i;
      const delimiter = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64))![0];
      const close = text.indexOf(delimiter, i + delimiter.length);
      i = close < 0 ? n : close + delimiter.length;
      tokens.push({ kind: 'string', value: text.slice(start, i), start, end: i });
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < n && WORD_PART.test(text[i]!)) i++;
      tokens.push({ kind: 'word', value: text.slice(start, i).replace(/[A-Z]+/g, (s) => s.toLowerCase()), start, end: i });
    } else if (c >= '0' && c <= '9') {
      const start = i;
      while (i < n && /[0-9.eE_]/.test(text[i]!)) i++;
      tokens.push({ kind: 'number', value: text.slice(start, i), start, end: i });
    } else {
      tokens.push({ kind: 'punct', value: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** A schema-qualified name read from tokens. */
export interface QualifiedName {
  readonly schema: string | undefined;
  readonly name: string;
  /** Index of the first token after the name. */
  readonly next: number;
}

/** Reads `name` or `schema.name` at `tokens[i]`. */
export function readQualifiedName(tokens: readonly SqlToken[], i: number): QualifiedName | undefined {
  const first = tokens[i];
  if (!first || (first.kind !== 'word' && first.kind !== 'ident')) return undefined;
  const dot = tokens[i + 1];
  const second = tokens[i + 2];
  if (dot?.kind === 'punct' && dot.value === '.' && second && (second.kind === 'word' || second.kind === 'ident')) {
    return { schema: first.value, name: second.value, next: i + 3 };
  }
  return { schema: undefined, name: first.value, next: i + 1 };
}

/** Whether `tokens[i]` is the (unquoted) keyword `word`. */
export function isWord(tokens: readonly SqlToken[], i: number, word: string): boolean {
  const token = tokens[i];
  return token?.kind === 'word' && token.value === word;
}

/** Whether `tokens[i]` is the punctuation `c`. */
export function isPunct(tokens: readonly SqlToken[], i: number, c: string): boolean {
  const token = tokens[i];
  return token?.kind === 'punct' && token.value === c;
}
