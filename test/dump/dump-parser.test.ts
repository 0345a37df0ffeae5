import { describe, expect, it } from 'vitest';
import type { CopyHeader } from '../../src/dump/copy-header.js';
import { DumpError } from '../../src/dump/dump-error.js';
import { type CopyBlockHandler, DumpParser, type DumpParserOptions } from '../../src/dump/dump-parser.js';
import { bytewise, cut } from '../copy/helpers.js';
import { TRICKY_DUMP } from './tricky-dump.js';

interface Seen {
  readonly output: Buffer;
  readonly copies: { key: string; columns: readonly string[]; line: number; rows: number; bytes: number }[];
  readonly statements: { text: string; line: number }[];
}

function parse(chunks: readonly Buffer[], handler: (header: CopyHeader) => CopyBlockHandler = () => ({ rows: 'pass' }), options: Partial<DumpParserOptions> = {}): Seen {
  const out: Buffer[] = [];
  const copies: Seen['copies'] = [];
  const statements: Seen['statements'] = [];
  const parser = new DumpParser({
    output: (chunk) => out.push(Buffer.from(chunk)),
    onStatement: (text, line) => statements.push({ text, line }),
    onCopy: (header, line) => {
      const block = handler(header);
      return {
        rows: block.rows,
        end: (stats) => copies.push({ key: header.key, columns: header.columns, line, ...stats }),
      };
    },
    ...options,
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { output: Buffer.concat(out), copies, statements };
}

function failure(text: string | Buffer, options: Partial<DumpParserOptions> = {}): DumpError {
  try {
    parse([Buffer.isBuffer(text) ? text : Buffer.from(text)], undefined, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DumpError);
    return error as DumpError;
  }
  throw new Error('the parser accepted the input');
}

const DATA = Buffer.from(TRICKY_DUMP, 'utf8');
/** Upper-cases the second field of every row of "Order Items". */
const upper = (header: CopyHeader): CopyBlockHandler =>
  header.name === 'Order Items'
    ? {
        rows: (row) => {
          const value = row.get(1);
          if (value !== null) row.set(1, value.toUpperCase());
        },
      }
    : { rows: 'pass' };

describe('dump parser', () => {
  it('passes a dump through byte for byte and finds exactly the real COPY blocks', () => {
    const seen = parse([DATA]);
    expect(seen.output.equals(DATA)).toBe(true);
    const lines = TRICKY_DUMP.split('\n');
    const headerLine = lines.indexOf('COPY public."Order Items" ("select", "x""y", "Ünï") FROM stdin;') + 1;
    const tLine = lines.indexOf('COPY public.t (a) FROM stdin;', headerLine) + 1;
    expect(seen.copies).toEqual([
      { key: 'public."Order Items"', columns: ['select', 'x"y', 'Ünï'], line: headerLine, rows: 3, bytes: expect.any(Number) },
      { key: 'public.t', columns: ['a'], line: tLine, rows: 0, bytes: 0 },
    ]);
    // Statements are whole, with their first line; the function bodies are one statement each.
    const texts = seen.statements.map((s) => s.text.split('\n')[0]);
    expect(texts).toEqual([
      'SET statement_timeout = 0;',
      "SET client_encoding = 'UTF8';",
      'SET standard_conforming_strings = on;',
      "SELECT pg_catalog.set_config('search_path', '', false);",
      'CREATE FUNCTION public.f() RETURNS text',
      'CREATE FUNCTION public.g() RETURNS void',
      'SELECT $ü$',
      "COMMENT ON TABLE public.t IS 'first line",
      "COMMENT ON COLUMN public.t.a IS E'it\\'s",
      'CREATE TABLE public."Order Items" (',
      'CREATE TABLE public.t (',
      "SELECT pg_catalog.setval('public.s', 3, true);",
    ]);
    const setval = seen.statements.at(-1)!;
    expect(setval.line).toBe(lines.indexOf("SELECT pg_catalog.setval('public.s', 3, true);") + 1);
  });

  it('gives the same output and blocks whatever single byte the dump is cut at', () => {
    const whole = parse([DATA], upper);
    expect(whole.output.toString()).toContain('1\tA\\tB\tü\n');
    for (let p = 0; p <= DATA.length; p++) {
      const passed = parse(cut(DATA, [p]));
      expect(passed.output.equals(DATA), `pass, cut at ${p}`).toBe(true);
      const masked = parse(cut(DATA, [p]), upper);
      expect(masked.output.equals(whole.output), `masked, cut at ${p}`).toBe(true);
      expect(masked.copies, `cut at ${p}`).toEqual(whole.copies);
      expect(masked.statements, `cut at ${p}`).toEqual(whole.statements);
    }
  });

  it('gives the same output from 1-byte chunks and from random cuts', () => {
    const whole = parse([DATA], upper);
    const bytes = parse(bytewise(DATA), upper);
    expect(bytes.output.equals(whole.output)).toBe(true);
    expect(bytes.copies).toEqual(whole.copies);
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 200; i++) {
      const points = Array.from({ length: 1 + Math.floor(random() * 12) }, () => Math.floor(random() * DATA.length));
      const seen = parse(cut(DATA, points), upper);
      expect(seen.output.equals(whole.output), `cut at ${points.join(',')}`).toBe(true);
    }
  });

  it('empties a skipped block but keeps its header and end line', () => {
    const seen = parse([DATA], (h) => ({ rows: h.name === 'Order Items' ? 'skip' : 'pass' }));
    expect(seen.output.toString()).toContain('COPY public."Order Items" ("select", "x""y", "Ünï") FROM stdin;\n\\.\n');
    expect(seen.output.toString()).not.toContain('ü\n');
    expect(seen.copies[0]!.rows).toBe(3);
  });

  it('reads a table with no columns (COPY t  FROM stdin; with empty rows)', () => {
    const text = 'COPY public.empty_cols  FROM stdin;\n\n\n\\.\n';
    const seen = parse(bytewise(Buffer.from(text)));
    expect(seen.output.toString()).toBe(text);
    expect(seen.copies).toEqual([{ key: 'public.empty_cols', columns: [], line: 1, rows: 2, bytes: 2 }]);
  });

  it('refuses INSERT statements, naming the line and what to do', () => {
    const error = failure("SET x = 1;\n\nINSERT INTO public.t VALUES (1, 'Anna');\n");
    expect(error.code).toBe('DUMP_INSERTS');
    expect(error.exitCode).toBe(2);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/dump line 3: .*--inserts.*COPY/);
    expect(error.message).not.toContain('Anna');
    expect(failure('SET x = 1; insert into t (a) values (1);\n').code).toBe('DUMP_INSERTS');
  });

  it('writes nothing of an INSERT statement before refusing it', () => {
    const out: Buffer[] = [];
    const parser = new DumpParser({ output: (c) => out.push(Buffer.from(c)), onCopy: () => ({ rows: 'pass' }) });
    const before = `SELECT 1;\n${'-- padding that fills more than one output chunk\n'.repeat(3000)}`;
    expect(() => {
      parser.push(Buffer.from(before));
      for (const chunk of bytewise(Buffer.from("INSERT INTO public.t VALUES ('secret');\n"))) parser.push(chunk);
    }).toThrow(DumpError);
    const written = Buffer.concat(out).toString();
    expect(written.length).toBeGreaterThan(64 * 1024);
    expect(before.startsWith(written)).toBe(true);
  });

  it('refuses archives and compressed input', () => {
    expect(failure(Buffer.concat([Buffer.from('PGDMP'), Buffer.from([1, 14, 0, 4, 8, 1])])).code).toBe('DUMP_CUSTOM_FORMAT');
    expect(failure(Buffer.concat([Buffer.from('PGDMP'), Buffer.from([1, 14, 0, 4, 8, 1])])).message).toMatch(/plain.*pg_restore -f -/);
    expect(failure(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])).code).toBe('DUMP_COMPRESSED');
    expect(failure(Buffer.concat([Buffer.from('toc.dat\0'), Buffer.alloc(600)])).code).toBe('DUMP_TAR_FORMAT');
    expect(failure('PGDMP').code).toBe('DUMP_CUSTOM_FORMAT');
  });

  it('refuses a dump that ends inside a COPY block or its header', () => {
    const error = failure('COPY public.t (a, b) FROM stdin;\n1\t2\n');
    expect(error.code).toBe('DUMP_TRUNCATED');
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/public\.t.*truncated/);
    expect(failure('COPY public.t (a, b) FROM std').code).toBe('DUMP_TRUNCATED');
  });

  it('refuses COPY statements it cannot read as pg_dump writes them', () => {
    expect(failure('COPY public.t (a) TO stdout;\n').code).toBe('DUMP_COPY_HEADER');
    expect(failure('COPY t (a) FROM stdin;\n1\n\\.\n').message).toMatch(/schema-qualified/);
    expect(failure('COPY public.t (a) FROM stdin WITH (FORMAT csv);\n').code).toBe('DUMP_COPY_HEADER');
    expect(failure('COPY public.t (a)\nFROM stdin;\n').code).toBe('DUMP_COPY_HEADER');
    const midLine = failure('SET x = 1; COPY public.t (a) FROM stdin;\n1\n\\.\n');
    expect(midLine.code).toBe('DUMP_COPY_LAYOUT');
    expect(failure('\\copy public.t (a) from stdin\n1\n\\.\n').code).toBe('DUMP_BACKSLASH_COPY');
  });

  it('names the dump line of a malformed row in a block it masks, and passes the rows of other blocks as they are, for psql to check', () => {
    const text = 'SET x = 1;\nCOPY public.t (a, b) FROM stdin;\n1\t2\n3\n\\.\n';
    let error: unknown;
    try {
      parse([Buffer.from(text)], () => ({ rows: () => {} }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DumpError);
    expect((error as DumpError).code).toBe('COPY_FORMAT');
    expect((error as DumpError).line).toBe(4);
    expect((error as DumpError).message).toMatch(/^dump line 4: .*public\.t/);
    expect(parse([Buffer.from(text)]).output.toString()).toBe(text);
  });

  it('refuses large object contents unless told to pass them', () => {
    const blobs = "BEGIN;\n\nSELECT pg_catalog.lo_open('16385', 131072);\nSELECT pg_catalog.lowrite(0, '\\x73656372657421');\nSELECT pg_catalog.lo_close(0);\n\nCOMMIT;\n";
    const error = failure(blobs);
    expect(error.code).toBe('DUMP_LARGE_OBJECTS');
    expect(error.exitCode).toBe(1);
    expect(error.line).toBe(3);
    expect(parse([Buffer.from(blobs)], undefined, { largeObjects: 'pass' }).output.toString()).toBe(blobs);
  });

  it('refuses a dump in another encoding than UTF8', () => {
    const error = failure("SET client_encoding = 'LATIN1';\n");
    expect(error.code).toBe('DUMP_ENCODING');
    expect(error.message).toMatch(/--encoding=UTF8/);
    expect(parse([Buffer.from("SET client_encoding = 'UTF8';\n")]).output.toString()).toBe("SET client_encoding = 'UTF8';\n");
  });

  it('reads backslash escapes in strings once standard_conforming_strings is off', () => {
    // With the setting off, \\' does not end the string: the COPY line is inside it.
    const text = "SET standard_conforming_strings = off;\nCOMMENT ON TABLE public.t IS 'a\\'\nCOPY public.t (a) FROM stdin;\n';\n";
    expect(parse([Buffer.from(text)]).copies).toEqual([]);
  });
});
