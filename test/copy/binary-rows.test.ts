import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinaryForm } from '../../src/catalog/types.js';
import type { BinaryRow } from '../../src/copy/binary-row.js';
import { BinaryRowSplitter } from '../../src/copy/binary-row-splitter.js';
import { createBinaryRowRewriter } from '../../src/copy/row-rewriter.js';
import { Session } from '../../src/db/connection.js';
import { CopyFormatError } from '../../src/errors.js';
import { useDatabase } from '../support/database.js';
import { bytewise, collect, cut, parseChunks, transformChunks } from './helpers.js';

const COLUMNS = 'id, t, vc, ch, n, ts, j, jb, by, ta, m';
/** The binary form of each of COLUMNS, as the catalog reads them. */
const FORMS: BinaryForm[] = ['opaque', 'text', 'text', 'text', 'opaque', 'opaque', 'text', 'jsonb', 'opaque', 'opaque', 'text'];
const TEXT_FIELDS = FORMS.flatMap((form, i) => (form === 'opaque' ? [] : [i]));

const SCHEMA = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'åh 🎉');
CREATE TABLE things (id int PRIMARY KEY, t text, vc varchar(30), ch char(5), n numeric, ts timestamptz, j json, jb jsonb, by bytea, ta text[], m mood);
CREATE TABLE things_copy (LIKE things);
INSERT INTO things VALUES
  (1, 'plain', 'åäö', 'ab', 1.5, '2024-02-29 13:14:15+01', '{"a": 1}', '{"b": [1, "\\\\t"]}', '\\x00ff', '{a,NULL}', 'ok'),
  (2, E'tab\\there, new\\nline, back\\\\slash \\\\N', '', E'\\t', 'NaN', 'infinity', '"é"', '"🎉"', '', '{}', 'åh 🎉'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, '', 'x', '', 0, '-infinity', '[]', '{}', '\\x5c', '{"",""}', 'sad');
INSERT INTO things (id, t, jb, by)
  SELECT i, repeat(E'x\\ty\\\\z\\n', i % 40) || chr(160 + i % 2000) || ' 🎉', jsonb_build_object('i', i, 's', repeat(E'\\t', i % 7)), decode(md5(i::text), 'hex')
  FROM generate_series(100, 2000) AS i;
INSERT INTO things (id, t) VALUES (5, repeat('long ', 30000));
`;

/** Splits binary chunks and decodes the fields whose form is text; the others as null. */
function parseBinary(chunks: readonly Buffer[]): { values: (string | null)[]; line: number; offset: number }[] {
  const splitter = new BinaryRowSplitter({ table: 'public.things', forms: FORMS });
  const rows: { values: (string | null)[]; line: number; offset: number }[] = [];
  const onRow = (row: BinaryRow): void => {
    rows.push({ values: FORMS.map((form, i) => (form === 'opaque' ? null : row.get(i))), line: row.line, offset: row.offset });
  };
  for (const chunk of chunks) splitter.push(chunk, onRow);
  splitter.end();
  return rows;
}

function rewrite(chunks: readonly Buffer[], fn?: (row: BinaryRow) => void, table = 'public.things', forms = FORMS): Promise<Buffer> {
  return transformChunks(chunks, createBinaryRowRewriter({ table, forms, rewrite: fn, chunkSize: 1024 }));
}

async function failure(promise: Promise<unknown>): Promise<CopyFormatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CopyFormatError);
  return error as CopyFormatError;
}

describe('COPY binary rows', async () => {
  const db = await useDatabase();
  let session: Session;
  let binary: Buffer;
  let text: Buffer;

  beforeAll(async () => {
    await db.query(SCHEMA);
    session = await Session.connect(db.url, 'source');
    binary = await collect(session.copyOut(`COPY (SELECT ${COLUMNS} FROM things ORDER BY id) TO STDOUT (FORMAT binary)`));
    text = await collect(session.copyOut(`COPY (SELECT ${COLUMNS} FROM things ORDER BY id) TO STDOUT`));
  });
  afterAll(() => session?.end());

  it('reads text, varchar, char, json, jsonb and enum fields as COPY text decodes them, wherever the data is cut', () => {
    const expected = parseChunks([text], FORMS.length).map((row) => row.values.map((v, i) => (TEXT_FIELDS.includes(i) ? v : null)));
    expect(expected).toHaveLength(1906);
    const whole = parseBinary([binary]);
    expect(whole.map((r) => r.values)).toEqual(expected);
    expect(whole.map((r) => r.line)).toEqual(expected.map((_, i) => i + 1));
    const small = binary.subarray(0, 600);
    for (let at = 1; at < small.length; at += 3) {
      const rows = parseBinary(cut(binary, [at, at + 5, 19, 20, 21, 1000]));
      expect(rows.map((r) => r.values)).toEqual(expected);
    }
    expect(parseBinary(bytewise(binary.subarray(0, 2000)).concat([binary.subarray(2000)])).map((r) => r.offset)).toEqual(whole.map((r) => r.offset));
  });

  it('gives the data back byte for byte when nothing is replaced, in any chunking', async () => {
    expect((await rewrite([binary])).equals(binary)).toBe(true);
    expect((await rewrite([binary], (row) => row.get(1))).equals(binary)).toBe(true);
    expect((await rewrite(cut(binary, [7, 19, 100, 4000, 4003, 65537]))).equals(binary)).toBe(true);
  });

  it('writes replaced values that PostgreSQL loads back exactly', async () => {
    const values = ['', 'a\tb\nc\\d \\N', 'åäö 🎉 \u00e9', 'x'.repeat(41), '日本'.repeat(40_000), null];
    const json = ['{"replaced": true}', '[1, "\\t"]', null];
    const data = await rewrite(cut(binary, [3, 5000, 90000]), (row) => {
      const n = row.line;
      row.set(1, values[n % values.length]!);
      row.set(3, n % 2 ? 'zz' : null);
      row.set(7, json[n % json.length]!);
      if (n === 1) row.set(10, 'sad');
    });
    const target = await Session.connect(db.url, 'target');
    try {
      await pipeline(Readable.from([data]), target.copyIn(`COPY things_copy (${COLUMNS}) FROM STDIN (FORMAT binary)`));
    } finally {
      await target.end();
    }
    const rows = await db.query<{ id: number; t: string | null; ch: string | null; jb: unknown; m: string | null; same: boolean }>(
      `SELECT c.id, c.t, c.ch, c.jb, c.m,
              (c.vc, c.n, c.ts, c.j::text, c.by, c.ta) IS NOT DISTINCT FROM (o.vc, o.n, o.ts, o.j::text, o.by, o.ta) AS same
         FROM things_copy c JOIN things o USING (id) ORDER BY id`,
    );
    expect(rows).toHaveLength(1906);
    rows.forEach((row, i) => {
      const n = i + 1;
      expect(row.t).toBe(values[n % values.length]);
      expect(row.ch).toBe(n % 2 ? 'zz   ' : null);
      expect(row.jb).toEqual(json[n % json.length] === null ? null : JSON.parse(json[n % json.length]!));
      expect(row.same).toBe(true);
    });
    expect(rows[0]!.m).toBe('sad');
  });

  it('refuses data that is not binary COPY, is cut short, has rows of another width or goes on after its trailer, naming table, row and offset', async () => {
    const bad = await failure(rewrite([text]));
    expect(bad.message).toMatch(/^malformed COPY data \(table public\.things, line 1, byte offset 0\): the data does not start with the binary COPY signature$/);

    const short = await failure(rewrite([binary.subarray(0, binary.length - 2)]));
    expect(short.message).toContain('the binary data ends before its trailer');
    const cutRow = await failure(rewrite(cut(binary.subarray(0, 1000), [500])));
    expect(cutRow.message).toContain('the binary data ends before its trailer');

    const narrow = await failure(rewrite([binary], undefined, 'public.things', FORMS.slice(1)));
    expect(narrow.message).toBe('malformed COPY data (table public.things, line 1, byte offset 19): a row has 11 of the 10 fields the table has');

    const after = await failure(rewrite([binary, binary.subarray(19, 200)]));
    expect(after.message).toMatch(/line 1907, byte offset \d+\): data after the binary trailer$/);

    const oids = Buffer.from(binary);
    oids.writeInt32BE(1 << 16, 11);
    expect((await failure(rewrite([oids]))).message).toContain('row OIDs');

    const version = Buffer.from(binary);
    // Row 1's jsonb field: after the field count and the first seven fields' lengths and bytes.
    let p = 19 + 2;
    for (let i = 0; i < 7; i++) p += 4 + Math.max(0, version.readInt32BE(p));
    version[p + 4] = 2;
    const unknown = await failure(rewrite([version], (row) => row.get(7)));
    expect(unknown.message).toMatch(/line 1, .*column 8 holds jsonb of an unknown binary version$/);
    for (const error of [bad, short, narrow, after, unknown]) expect(error.message).not.toMatch(/plain|åäö|new.line/);
  });
});
