import { describe, expect, it } from 'vitest';
import { EndOfDataFinder } from '../../src/dump/end-of-data.js';
import { cut } from '../copy/helpers.js';

/** Rows that come close to the end-of-data line: a value `\.` (written `\\.`), `.`, a lone `\\`, `\.x`-like text. */
const ROWS = 'a\tb\n\\\\.\n.\n\\\\\n\\\\.\\\\.\n\n\\\\.x\n.\\\\.\n';
const BLOCK = Buffer.from(`${ROWS}\\.\nSELECT 1;\n`);

function find(chunks: readonly Buffer[]): { rows: number; bytes: number; out: string; resume: number } {
  const finder = new EndOfDataFinder();
  const out: Buffer[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const end = finder.push(chunk, (buf, start, stop) => out.push(Buffer.from(buf.subarray(start, stop))));
    if (end >= 0) return { rows: finder.rows, bytes: finder.bytes, out: Buffer.concat(out).toString(), resume: offset + end };
    offset += chunk.length;
  }
  throw new Error('no end-of-data line found');
}

describe('EndOfDataFinder', () => {
  it('stops at the first line that is \\. alone, however the data is cut, and hands on every row byte', () => {
    const expected = { rows: 8, bytes: Buffer.byteLength(ROWS), out: ROWS, resume: Buffer.byteLength(ROWS) + 3 };
    expect(find([BLOCK])).toEqual(expected);
    for (let p = 0; p <= BLOCK.length; p++) {
      for (let q = p; q <= Math.min(BLOCK.length, p + 4); q++) expect(find(cut(BLOCK, [p, q])), `cut at ${p}, ${q}`).toEqual(expected);
    }
  });

  it('finds an empty block', () => {
    expect(find(cut(Buffer.from('\\.\n'), [1, 2]))).toEqual({ rows: 0, bytes: 0, out: '', resume: 3 });
  });
});
