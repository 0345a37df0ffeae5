import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { RowSplitterStream } from '../../src/copy/row-splitter.js';
import { bytewise, cut, parseChunks, type Row, reencodeEveryField, rewriteChunks } from './helpers.js';
import { ROWS, TEXT } from './tricky-rows.js';

const DATA = Buffer.from(TEXT, 'utf8');
const OFFSETS = [0];
for (let i = 0; i < DATA.length - 1; i++) if (DATA[i] === 0x0a) OFFSETS.push(i + 1);

/** Input PostgreSQL accepts but never writes: octal and hex bytes, needless escapes. */
const LOOSE = Buffer.from('\\101\\x42\\7\\x7\tx\\qy\\N\t\\x\\xZ\t\\303\\251\\xc3\\xA9\\0601\n', 'utf8');
const LOOSE_ROW: Row = ['AB\u0007\u0007', 'xqyN', 'xxZ', 'éé01'];

describe('row splitter, cut at every byte', () => {
  it('parses the whole data in one chunk, with line numbers and offsets', () => {
    const rows = parseChunks([DATA], 4);
    expect(rows.map((r) => r.values)).toEqual(ROWS);
    expect(rows.map((r) => r.line)).toEqual(ROWS.map((_, i) => i + 1));
    expect(rows.map((r) => r.offset)).toEqual(OFFSETS);
  });

  it('parses the same rows whatever single position the data is cut at', () => {
    for (let p = 0; p <= DATA.length; p++) {
      const rows = parseChunks(cut(DATA, [p]), 4);
      expect(
        rows.map((r) => r.values),
        `cut at byte ${p}`,
      ).toEqual(ROWS);
      expect(
        rows.map((r) => r.offset),
        `cut at byte ${p}`,
      ).toEqual(OFFSETS);
    }
  });

  it('parses the same rows whatever two positions the data is cut at', () => {
    for (let p = 1; p < DATA.length; p++) {
      for (let q = p + 1; q < DATA.length; q++) {
        const rows = parseChunks(cut(DATA, [p, q]), 4);
        if (JSON.stringify(rows.map((r) => r.values)) !== JSON.stringify(ROWS))
          expect(
            rows.map((r) => r.values),
            `cut at ${p} and ${q}`,
          ).toEqual(ROWS);
      }
    }
  });

  it('parses the same rows from 1-byte chunks', () => {
    const rows = parseChunks(bytewise(DATA), 4);
    expect(rows.map((r) => r.values)).toEqual(ROWS);
    expect(rows.map((r) => r.offset)).toEqual(OFFSETS);
  });

  it('decodes octal, hex and needless escapes at every cut', () => {
    for (let p = 0; p <= LOOSE.length; p++) {
      expect(
        parseChunks(cut(LOOSE, [p]), 4).map((r) => r.values),
        `cut at byte ${p}`,
      ).toEqual([LOOSE_ROW]);
    }
    expect(parseChunks(bytewise(LOOSE), 4).map((r) => r.values)).toEqual([LOOSE_ROW]);
  });

  it('gives the bytes back unchanged through the rewriter at every cut, untouched or fully re-encoded', async () => {
    for (let p = 0; p <= DATA.length; p++) {
      const chunks = cut(DATA, [p]);
      expect((await rewriteChunks(chunks, { columns: 4 })).equals(DATA), `untouched, cut at ${p}`).toBe(true);
      const reencoded = await rewriteChunks(chunks, { columns: 4, rewrite: reencodeEveryField, chunkSize: 64 });
      expect(reencoded.toString(), `re-encoded, cut at ${p}`).toBe(TEXT);
    }
    expect((await rewriteChunks(bytewise(DATA), { columns: 4, rewrite: reencodeEveryField })).toString()).toBe(TEXT);
    expect((await rewriteChunks(bytewise(LOOSE), { columns: 4 })).equals(LOOSE)).toBe(true);
  });

  it('re-chunks into whole rows with RowSplitterStream at every cut', async () => {
    for (const chunks of [...Array.from({ length: DATA.length + 1 }, (_, p) => cut(DATA, [p])), bytewise(DATA)]) {
      const out: Buffer[] = [];
      await pipeline(
        Readable.from(chunks),
        new RowSplitterStream({ columns: 4 }),
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            out.push(Buffer.from(chunk));
            callback();
          },
        }),
      );
      for (const chunk of out) expect(chunk[chunk.length - 1]).toBe(0x0a);
      expect(Buffer.concat(out).equals(DATA)).toBe(true);
    }
  });
});
