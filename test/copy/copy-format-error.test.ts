import { describe, expect, it } from 'vitest';
import { RowSplitter } from '../../src/copy/row-splitter.js';
import { CopyFormatError, TransformError } from '../../src/errors.js';
import { bytewise, cut, parseChunks, rewriteChunks } from './helpers.js';

const SECRET = 'Sven Svensson 19121212-1212';

/** Runs the data through the splitter in every way it may arrive; all must raise the same error. */
function expectFormatError(data: string, columns: number, expected: { line: number; offset: number; reason: RegExp }): void {
  const bytes = Buffer.from(data, 'utf8');
  const ways = [[bytes], bytewise(bytes), ...Array.from({ length: bytes.length + 1 }, (_, p) => cut(bytes, [p]))];
  for (const chunks of ways) {
    let error: unknown;
    try {
      parseChunks(chunks, columns, 'public.customers');
    } catch (e) {
      error = e;
    }
    expect(error, `${chunks.length} chunks`).toBeInstanceOf(CopyFormatError);
    const e = error as CopyFormatError;
    expect(e.table).toBe('public.customers');
    expect({ line: e.line, offset: e.offset }).toEqual({ line: expected.line, offset: expected.offset });
    expect(e.code).toBe('COPY_FORMAT');
    expect(e.message).toMatch(expected.reason);
    expect(e.message).toContain('public.customers');
    expect(e.message).toContain(`line ${expected.line}`);
    expect(e.message).toContain(`byte offset ${expected.offset}`);
    expect(e.message).not.toContain('Svensson');
    expect(e.message).not.toContain('1212');
  }
}

const first = `1\t${SECRET}\n`; // 40 bytes

describe('CopyFormatError', () => {
  it('names table, line and offset of a lone backslash at the end of a field', () => {
    const data = `1\t${SECRET}\tx\n2\t${SECRET}\\\tx\n`;
    expectFormatError(data, 3, { line: 2, offset: first.length + 2 + 2 + SECRET.length, reason: /lone backslash/ });
  });

  it('names a lone backslash at the end of a row', () => {
    expectFormatError(`${first}2\t${SECRET}\\\n`, 2, { line: 2, offset: first.length + 2 + SECRET.length, reason: /lone backslash/ });
  });

  it('takes an escaped backslash before a delimiter as fine, and three backslashes as lone', () => {
    expect(parseChunks([Buffer.from('a\\\\\tb\\\\\\\\\n')], 2).map((r) => r.values)).toEqual([['a\\', 'b\\\\']]);
    expectFormatError(`${first}2\tx\\\\\\\n`, 2, { line: 2, offset: first.length + 5, reason: /lone backslash/ });
  });

  it('names a row with too many fields at the first extra tab', () => {
    expectFormatError(`${first}2\t${SECRET}\textra\n`, 2, { line: 2, offset: first.length + 2 + SECRET.length, reason: /more than the 2 fields/ });
  });

  it('names a row with too few fields at its newline', () => {
    expectFormatError(`${first}${SECRET}\n`, 2, { line: 2, offset: first.length + SECRET.length, reason: /1 of the 2 fields/ });
  });

  it('rejects a last row without a newline, at the start of that row', () => {
    expectFormatError(`${first}2\t${SECRET}`, 2, { line: 2, offset: first.length, reason: /no newline/ });
  });

  it('names the field of a row that decodes to invalid text', () => {
    const data = Buffer.from(`${first}2\tSECRET\\377\n`);
    const splitter = new RowSplitter({ table: 'public.customers', columns: 2 });
    let error: unknown;
    splitter.push(data, (row) => {
      row.get(0);
      try {
        row.get(1);
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(CopyFormatError);
    const e = error as CopyFormatError;
    expect([e.table, e.line, e.offset]).toEqual(['public.customers', 2, first.length + 2]);
    expect(e.message).not.toContain('SECRET');
  });

  it('ends the rewriter stream with the error', async () => {
    const data = Buffer.from(`${first}2\t${SECRET}\textra\n`);
    await expect(rewriteChunks([data], { table: 'public.customers', columns: 2 })).rejects.toMatchObject({
      name: 'CopyFormatError',
      line: 2,
      offset: first.length + 2 + SECRET.length,
    });
    await expect(rewriteChunks([Buffer.from(`${first}2\t${SECRET}`)], { table: 'public.customers', columns: 2 })).rejects.toBeInstanceOf(CopyFormatError);
  });

  it('passes an error thrown by rewrite on as the stream error', async () => {
    const failure = new TransformError('test failure', { table: 'public.customers', column: 'name', line: 1 });
    await expect(
      rewriteChunks([Buffer.from(first)], {
        columns: 2,
        rewrite: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
  });
});

describe('row splitter edge cases', () => {
  it('reads a table without columns as empty lines', () => {
    expect(parseChunks([Buffer.from('\n\n')], 0).map((r) => r.values)).toEqual([[], []]);
    expect(() => parseChunks([Buffer.from('\nx\n')], 0)).toThrow(/no columns/);
  });

  it('reads an empty stream as no rows', () => {
    expect(parseChunks([], 3)).toEqual([]);
    expect(parseChunks([Buffer.alloc(0)], 3)).toEqual([]);
  });

  it('keeps a raw carriage return as data (rows end with LF only)', () => {
    expect(parseChunks([Buffer.from('a\r\tb\r\n')], 2).map((r) => r.values)).toEqual([['a\r', 'b\r']]);
  });

  it('stops at the end-of-data line with endMarker and says where the rest starts', () => {
    const data = Buffer.from('1\ta\n2\tb\n\\.\nSELECT 1;\n');
    for (let p = 0; p <= data.length; p++) {
      const chunks = cut(data, [p]);
      const splitter = new RowSplitter({ columns: 2, endMarker: true });
      const rows: string[] = [];
      let rest = -1;
      let consumed = 0;
      for (const chunk of chunks) {
        const at = splitter.push(chunk, (row) => rows.push(row.get(1)!));
        if (at >= 0) {
          rest = consumed + at;
          break;
        }
        consumed += chunk.length;
      }
      splitter.end();
      expect(rows, `cut at ${p}`).toEqual(['a', 'b']);
      expect(splitter.ended).toBe(true);
      expect(data.subarray(rest).toString(), `cut at ${p}`).toBe('SELECT 1;\n');
    }
    // Without endMarker, `\.` is a one-field row holding "."
    expect(parseChunks([Buffer.from('\\.\n')], 1).map((r) => r.values)).toEqual([['.']]);
  });

  it('rejects a column count that is not a whole number', () => {
    expect(() => new RowSplitter({ columns: -1 })).toThrow(RangeError);
    expect(() => new RowSplitter({ columns: 1.5 })).toThrow(RangeError);
  });
});
