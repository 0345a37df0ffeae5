import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../src/copy/chunk-writer.js';
import { escapeField, unescapeField } from '../../src/copy/escape.js';
import { RowSplitter } from '../../src/copy/row-splitter.js';
import { cut, encodeRows, parseChunks, reencodeEveryField, rewriteChunks } from './helpers.js';

/** Pieces that stress the format, mixed with any code point (astral included, NUL excluded). */
const special = fc.constantFrom('\t', '\n', '\r', '\\', '\\N', 'N', '\b', '\f', '\v', '\\.', '.', 'é', '🎉', '漢', '\u00ad', '"', "'");
const anyCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((s) => !s.includes('\u0000'));
const text = fc.string({ unit: fc.oneof(special, anyCodePoint), maxLength: 12 });
const value = fc.option(text, { nil: null, freq: 5 });

const table = fc.integer({ min: 1, max: 6 }).chain((columns) =>
  fc.record({
    columns: fc.constant(columns),
    rows: fc.array(fc.array(value, { minLength: columns, maxLength: columns }), { maxLength: 8 }),
  }),
);
const cuts = fc.array(fc.nat(), { maxLength: 6 });

/** Reference escaping, written independently of the codec. */
function referenceEscape(v: string | null): string {
  if (v === null) return '\\N';
  const map: Record<string, string> = { '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  return v.replace(/[\\\b\f\n\r\t\v]/g, (c) => map[c]!);
}

/**
 * COPY text that PostgreSQL accepts, including forms COPY TO never writes (octal, hex, needless
 * escapes). The short octal and hex escapes are followed by `_`, so that a digit after them
 * cannot lengthen them into a byte that is not UTF-8 (`\x9` and `0` make `\x90`).
 */
const looseField = fc
  .array(
    fc.oneof(
      fc.constantFrom('\\101', '\\7_', '\\12', '\\x41', '\\x9_', '\\xg', '\\q', '\\\\', '\\t', '\\n', '\\N', 'N', '\\303\\251', '\\xf0\\x9f\\x8e\\x89'),
      anyCodePoint.map(referenceEscape),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));
const looseTable = fc.integer({ min: 1, max: 5 }).chain((columns) =>
  fc.array(fc.array(fc.oneof(looseField, fc.constant('\\N')), { minLength: columns, maxLength: columns }), { maxLength: 6 }).map((rows) => ({
    columns,
    data: Buffer.from(rows.map((r) => `${r.join('\t')}\n`).join(''), 'utf8'),
  })),
);

describe('COPY text round trips (property)', () => {
  it('escapeField agrees with a reference escaper, and unescapeField inverts it', () => {
    fc.assert(
      fc.property(value, (v) => {
        const escaped = escapeField(v);
        expect(escaped).toBe(referenceEscape(v));
        const bytes = Buffer.from(escaped, 'utf8');
        expect(unescapeField(bytes, 0, bytes.length)).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('parse(encode(rows)) == rows, however the bytes are cut', () => {
    fc.assert(
      fc.property(table, cuts, ({ columns, rows }, positions) => {
        const bytes = encodeRows(rows);
        const parsed = parseChunks(
          cut(
            bytes,
            positions.map((p) => p % (bytes.length + 1)),
          ),
          columns,
        );
        expect(parsed.map((r) => r.values)).toEqual(rows);
      }),
      { numRuns: 1000 },
    );
  });

  it('encode(parse(bytes)) == bytes through the rewriter, with every field decoded and set back', async () => {
    await fc.assert(
      fc.asyncProperty(table, cuts, async ({ columns, rows }, positions) => {
        const bytes = encodeRows(rows);
        const chunks = cut(
          bytes,
          positions.map((p) => p % (bytes.length + 1)),
        );
        const out = await rewriteChunks(chunks, { columns, rewrite: reencodeEveryField, chunkSize: 32 });
        expect(out.equals(bytes)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes every field of any valid COPY text as unescapeField does (the row text and the native decoder agree)', () => {
    fc.assert(
      fc.property(looseTable, ({ columns, data }) => {
        const splitter = new RowSplitter({ columns });
        splitter.push(data, (row) => {
          for (let i = 0; i < row.fieldCount; i++) {
            const raw = row.raw(i);
            let expected: string | null | Error;
            try {
              expected = unescapeField(raw, 0, raw.length);
            } catch (error) {
              expected = error as Error;
            }
            if (expected instanceof Error) expect(() => row.get(i)).toThrow(expected.constructor as new () => Error);
            else expect(row.get(i)).toBe(expected);
          }
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('gives any valid COPY text back byte for byte when rows are read but not changed', async () => {
    await fc.assert(
      fc.asyncProperty(looseTable, cuts, async ({ columns, data }, positions) => {
        const chunks = cut(
          data,
          positions.map((p) => p % (data.length + 1)),
        );
        const readOnly = (row: import('../../src/copy/lazy-row.js').LazyRow): void => {
          for (let i = 0; i < row.fieldCount; i++) row.get(i);
        };
        expect((await rewriteChunks(chunks, { columns, rewrite: readOnly, chunkSize: 32 })).equals(data)).toBe(true);
        expect((await rewriteChunks(chunks, { columns })).equals(data)).toBe(true);
        // Re-encoding canonicalises: parsing the result gives the same values again.
        const canonical = await rewriteChunks(chunks, { columns, rewrite: reencodeEveryField });
        expect(parseChunks([canonical], columns).map((r) => r.values)).toEqual(parseChunks([data], columns).map((r) => r.values));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ChunkWriter.writeField', () => {
  it('writes every value as the reference escaping encodes it, whatever the chunk size', () => {
    const lone = fc.constantFrom('\ud800', '\udfff', 'a\ud83c');
    const field = fc.option(fc.oneof(text, fc.string({ unit: fc.oneof(special, anyCodePoint, lone), minLength: 30, maxLength: 60 })), { nil: null, freq: 5 });
    fc.assert(
      fc.property(fc.array(field, { maxLength: 10 }), fc.integer({ min: 4, max: 200 }), (values, chunkSize) => {
        const chunks: Buffer[] = [];
        const writer = new ChunkWriter((c) => chunks.push(Buffer.from(c)), chunkSize);
        for (const v of values) writer.writeField(v);
        writer.flush();
        expect(Buffer.concat(chunks)).toEqual(Buffer.concat(values.map((v) => Buffer.from(referenceEscape(v), 'utf8'))));
      }),
      { numRuns: 2000 },
    );
  });
});
