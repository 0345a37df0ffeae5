/**
 * The statement that opens a data block in a pg_dump plain-format dump:
 * `COPY schema.table (col, ...) FROM stdin;` on a line of its own, identifiers quoted the way
 * pg_dump's fmtId quotes them (`public."Order Items"`, `"x""y"`, `"select"`).
 */
import { tableKey } from '../catalog/table-key.js';

/** A parsed COPY header. */
export interface CopyHeader {
  readonly schema: string;
  readonly name: string;
  /** `tableKey(schema, name)`: how rules and reports name the table. */
  readonly key: string;
  /** The columns of the rows that follow, in order (generated columns never appear). */
  readonly columns: readonly string[];
}

/** Why a COPY statement is not one `pgmask mask` can read (no data value in it). */
export interface CopyHeaderProblem {
  readonly problem: string;
}

/** Reads SQL identifiers and keywords from one line of text. */
class LineReader {
  pos = 0;
  constructor(readonly text: string) {}

  spaces(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length && (this.text[this.pos] === ' ' || this.text[this.pos] === '\t')) this.pos++;
    return this.pos > start;
  }

  /** Consumes `word` (case-insensitive) when it stands there as a whole word. */
  keyword(word: string): boolean {
    const slice = this.text.slice(this.pos, this.pos + word.length);
    if (slice.toLowerCase() !== word) return false;
    if (isIdentPart(this.text.charCodeAt(this.pos + word.length))) return false;
    this.pos += word.length;
    return true;
  }

  char(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  /** An identifier: `"quoted"` taken as written (`""` is one quote), or unquoted folded to lower case. */
  identifier(): string | undefined {
    const text = this.text;
    if (text[this.pos] === '"') {
      let value = '';
      let i = this.pos + 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        this.pos = q + 1;
        return value === '' ? undefined : value;
      }
    }
    if (!isIdentStart(text.charCodeAt(this.pos))) return undefined;
    const start = this.pos;
    while (this.pos < text.length && isIdentPart(text.charCodeAt(this.pos))) this.pos++;
    return text.slice(start, this.pos).replace(/[A-Z]+/g, (s) => s.toLowerCase());
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x24;
}

/**
 * Parses a COPY header line (without its newline) as pg_dump 12 to 17 write it. Returns the
 * table and columns, or the reason the statement is not one pgmask can read (a COPY that is
 * not `FROM stdin`, an unqualified table name, options after `stdin`, ...).
 *
 * @example parseCopyHeader('COPY public."Order Items" ("select", qty) FROM stdin;')
 * // { schema: 'public', name: 'Order Items', key: 'public."Order Items"', columns: ['select', 'qty'] }
 */
export function parseCopyHeader(line: string): CopyHeader | CopyHeaderProblem {
  const r = new LineReader(line.endsWith('\r') ? line.slice(0, -1) : line);
  if (!r.keyword('copy') || !r.spaces()) return { problem: 'the statement does not start with COPY' };
  const first = r.identifier();
  if (first === undefined) return { problem: 'no table name after COPY' };
  let schema: string | undefined;
  let name = first;
  if (r.char('.')) {
    const second = r.identifier();
    if (second === undefined) return { problem: 'no table name after the schema name' };
    schema = first;
    name = second;
  }
  if (schema === undefined) {
    return { problem: `the table is not schema-qualified; pgmask reads dumps written by pg_dump 12 or later, which qualify every table` };
  }
  r.spaces();
  const columns: string[] = [];
  if (r.char('(')) {
    for (;;) {
      r.spaces();
      const column = r.identifier();
      if (column === undefined) return { problem: 'the column list holds something other than column names' };
      columns.push(column);
      r.spaces();
      if (r.char(',')) continue;
      if (r.char(')')) break;
      return { problem: 'the column list is not closed' };
    }
    r.spaces();
  }
  if (!r.keyword('from')) return { problem: 'only COPY ... FROM stdin can be read (this COPY does not load from stdin)' };
  if (!r.spaces() || !r.keyword('stdin')) return { problem: 'only COPY ... FROM stdin can be read (this COPY does not load from stdin)' };
  r.spaces();
  if (!r.char(';')) return { problem: 'the COPY statement has options after stdin or does not end on its line; pgmask reads COPY statements as pg_dump writes them' };
  r.spaces();
  if (!r.done) return { problem: 'more text follows the COPY statement on its line' };
  return { schema, name, key: tableKey(schema, name), columns };
}

/** Narrows a parse result to the problem case. */
export function isCopyHeaderProblem(result: CopyHeader | CopyHeaderProblem): result is CopyHeaderProblem {
  return 'problem' in result;
}
