import { describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../src/copy/chunk-writer.js';
import type { LazyRow } from '../../src/copy/lazy-row.js';
import { RowSplitter } from '../../src/copy/row-splitter.js';

/** Collects what each row looked like inside the callback. */
function eachRow(text: string, columns: number, fn: (row: LazyRow) => void): void {
  const splitter = new RowSplitter({ table: 'public.t', columns });
  splitter.push(Buffer.from(text, 'utf8'), fn);
  splitter.end();
}

describe('LazyRow', () => {
  it('reports field count, line, offset, NULLs and raw bytes', () => {
    const seen: unknown[] = [];
    eachRow('1\t\\N\ta\\tb\n22\t\\\\N\t\n', 3, (row) => {
      seen.push({
        fieldCount: row.fieldCount,
        line: row.line,
        offset: row.offset,
        nulls: [0, 1, 2].map((i) => row.isNull(i)),
        raw: [0, 1, 2].map((i) => row.raw(i).toString()),
        values: [0, 1, 2].map((i) => row.get(i)),
        modified: row.modified,
      });
    });
    expect(seen).toEqual([
      { fieldCount: 3, line: 1, offset: 0, nulls: [false, true, false], raw: ['1', '\\N', 'a\\tb'], values: ['1', null, 'a\tb'], modified: false },
      { fieldCount: 3, line: 2, offset: 10, nulls: [false, false, false], raw: ['22', '\\\\N', ''], values: ['22', '\\N', ''], modified: false },
    ]);
  });

  it('writes a row without set() back byte-identical, and a changed field escaped', () => {
    const text = '1\tkeep\\tme\tchange\\nme\t\\N\n';
    const out: string[] = [];
    eachRow(text, 4, (row) => {
      out.push(row.toBuffer().toString());
      row.set(2, 'new\tvalue\\');
      row.set(3, 'was null');
      expect(row.get(2)).toBe('new\tvalue\\');
      expect(row.original(2)).toBe('change\nme');
      expect(row.isNull(3)).toBe(false);
      expect(row.modified).toBe(true);
      out.push(row.toBuffer().toString());
      row.set(0, null);
      expect(row.isNull(0)).toBe(true);
      out.push(row.toBuffer().toString());
    });
    expect(out).toEqual([text, '1\tkeep\\tme\tnew\\tvalue\\\\\twas null\n', '\\N\tkeep\\tme\tnew\\tvalue\\\\\twas null\n']);
  });

  it('starts each row without the replacements of the one before', () => {
    const out: string[] = [];
    eachRow('a\tb\nc\td\n', 2, (row) => {
      if (row.line === 1) row.set(1, 'X');
      expect(row.modified).toBe(row.line === 1);
      out.push(row.toBuffer().toString());
    });
    expect(out).toEqual(['a\tX\n', 'c\td\n']);
  });

  it('keeps raw() subarrays valid after later chunks arrive', () => {
    const splitter = new RowSplitter({ columns: 2 });
    const kept: Buffer[] = [];
    for (const chunk of ['one\tt', 'wo\nthr', 'ee\tfour\nfive\tsix\n']) splitter.push(Buffer.from(chunk), (row) => kept.push(row.raw(0), row.raw(1)));
    splitter.end();
    expect(kept.map(String)).toEqual(['one', 'two', 'three', 'four', 'five', 'six']);
  });

  it('writeChangesTo leaves untouched bytes for the caller to copy', () => {
    const chunks: Buffer[] = [];
    const writer = new ChunkWriter((c) => chunks.push(Buffer.from(c)), 16);
    let resume = -1;
    let end = -1;
    let buffer: Buffer = Buffer.alloc(0);
    eachRow('aaa\tbbb\tccc\n', 3, (row) => {
      row.set(1, 'Z');
      resume = row.writeChangesTo(writer, row.start);
      end = row.end;
      buffer = row.buffer;
    });
    writer.copy(buffer, resume, end);
    writer.flush();
    expect(Buffer.concat(chunks).toString()).toBe('aaa\tZ\tccc\n');
    expect(resume).toBe(7); // the tab after the replaced field
  });

  it('refuses a field index outside the row', () => {
    eachRow('a\tb\n', 2, (row) => {
      expect(() => row.get(2)).toThrow(RangeError);
      expect(() => row.set(-1, 'x')).toThrow(RangeError);
      expect(() => row.raw(5)).toThrow(RangeError);
    });
  });
});

describe('ChunkWriter', () => {
  it('batches small writes into chunks and hands long ranges on without copying', () => {
    const chunks: Buffer[] = [];
    const writer = new ChunkWriter((c) => chunks.push(c), 8);
    writer.writeField('ab');
    writer.writeByte(9);
    writer.writeField('c\td');
    const long = Buffer.from('0123456789');
    writer.copy(long, 0, 10);
    writer.writeField('é🎉'.repeat(4));
    writer.flush();
    expect(Buffer.concat(chunks).toString()).toBe('ab\tc\\td0123456789' + 'é🎉'.repeat(4));
    expect(chunks.some((c) => c.buffer === long.buffer)).toBe(true);
    expect(chunks.every((c) => c.length > 0)).toBe(true);
  });
});
