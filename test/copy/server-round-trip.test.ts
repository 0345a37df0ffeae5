import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LazyRow } from '../../src/copy/lazy-row.js';
import { createRowRewriter } from '../../src/copy/row-rewriter.js';
import { Session } from '../../src/db/connection.js';
import { useDatabase } from '../support/database.js';
import { collect, parseChunks, reencodeEveryField } from './helpers.js';
import { ROWS, TEXT } from './tricky-rows.js';

const SCHEMA = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'it''s "complicated"\\');
CREATE TYPE address AS (street text, zip varchar(10), tags text[]);
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE everything (
  id int PRIMARY KEY,
  t text, vc varchar(20), ch char(6),
  i2 int2, i4 int4, i8 int8, num numeric, f4 float4, f8 float8,
  b bool, d date, ts timestamp, tstz timestamptz, iv interval,
  u uuid, j json, jb jsonb, by bytea, ip inet, net cidr,
  ta text[], ia int[], addr address, m mood, dom positive_int, tsv tsvector, mon money
);
CREATE TABLE everything_copy (LIKE everything);
INSERT INTO everything VALUES
  (1, 'plain', 'short', 'ab', 1, 2, 3, 4.5, 1.5, 2.25, true, '2024-02-29', '2024-02-29 13:14:15.123456',
   '2024-02-29 13:14:15.123456+01', '1 day 02:03:04', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}',
   '\\x00ff', '192.168.1.1/24', '10.0.0.0/8', '{a,b}', '{1,2,3}', ROW('Storgatan 1', '123 45', '{x}'), 'ok', 7,
   'fat cat', 12.34),
  (2, E'tab\\there, new\\nline, back\\\\slash, cr\\r, "double" ''single'', \\\\N, NULL', E'v\\tc\\\\', E'\\t\\n',
   -32768, -2147483648, -9223372036854775808, 'NaN', 'NaN', '-Infinity', false, '0044-03-15 BC', '4713-01-01 00:00:00 BC',
   'infinity', '-1 years 2 mons -3 days 04:05:06.789', '00000000-0000-0000-0000-000000000000',
   E'{"k": "a\\\\tb \\\\"q\\\\" \\\\\\\\ é 🎉", "n": null}', E'{"k": "a\\\\nb", "x": {"y": ["\\\\\\\\N"]}}',
   decode(repeat('00010209 0a0d5c22 27ff', 3), 'hex'), '::1', '2001:db8::/32',
   ARRAY[NULL, 'NULL', E'a\\tb', E'back\\\\slash', 'quote"d', '', '{}', E'new\\nline'],
   '{{1,2},{3,NULL}}', ROW(E'Main St\\t"1"', E'\\\\', ARRAY[NULL, 'NULL', 'y z']), 'it''s "complicated"\\', 1,
   E'''quoted word'':1A ''back\\\\\\\\slash'' tab\\tword', -1234.56),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, '', '', '', 32767, 2147483647, 9223372036854775807, '-0.000000000000000000001', '-0', '-0',
   true, '5874897-12-31', 'infinity', '-infinity', '-178000000 years', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
   '[]', '{}', '', '0.0.0.0', '0.0.0.0/0', '{}', '{{NULL}}', ROW(NULL, NULL, NULL), 'sad', 2147483647, '', 0),
  (5, 'Infinity', 'åäö 🎉', 'é', 0, 0, 0, '123456789012345678901234567890.123456789', 'Infinity', 'Infinity',
   true, '1999-12-31', '1999-12-31 23:59:59.999999', '0100-06-15 12:00:00.5+02 BC', '00:00:00.000001',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '"\\\\u0000 is not allowed in text but is in json"', '"\\\\u00e9"',
   '\\x5c5c', '2001:db8::1/128', '2001:db8::/64', ARRAY['\\', '\\\\', '\\N'], '{{-1,0},{1,2}}',
   ROW('', '', '{}'), 'ok', 3, 'a:1,2,3 b:2B', '92233720368547758.07');
INSERT INTO everything (id, t, j, ta, by)
  SELECT i, repeat(E'x\\ty\\\\z\\n', i % 40) || chr(160 + i % 2000) || ' 🎉', json_build_object('i', i, 's', repeat(E'\\t', i % 7)),
         ARRAY[i::text, NULL, repeat(E'\\\\', i % 5)], decode(md5(i::text), 'hex')
  FROM generate_series(100, 3000) AS i;
`;

describe('round trip through PostgreSQL', async () => {
  const db = await useDatabase();
  let source: Session;
  let target: Session;

  beforeAll(async () => {
    await db.query(SCHEMA);
    source = await Session.connect(db.url, 'source');
    target = await Session.connect(db.url, 'target');
  });
  afterAll(async () => {
    await source?.end();
    await target?.end();
  });

  it('writes the tricky test rows exactly as the hand-written COPY text says', async () => {
    await db.query('CREATE TABLE tricky (n serial, a text, b text, c text, d text)');
    for (const row of ROWS) await db.query('INSERT INTO tricky (a, b, c, d) VALUES ($1, $2, $3, $4)', row);
    const bytes = await collect(source.copyOut('COPY (SELECT a, b, c, d FROM tricky ORDER BY n) TO STDOUT'));
    expect(bytes.toString('utf8')).toBe(TEXT);
  });

  it('decodes every field as PostgreSQL prints the value', async () => {
    const bytes = await collect(source.copyOut('COPY (SELECT * FROM everything ORDER BY id) TO STDOUT'));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query("SET DateStyle = ISO; SET IntervalStyle = postgres; SET extra_float_digits = 3; SET client_encoding = 'UTF8'");
      const result = await client.query({
        text: 'SELECT * FROM everything ORDER BY id',
        rowMode: 'array',
        types: { getTypeParser: () => (value: string) => value },
      });
      const parsed = parseChunks([bytes], result.fields.length, 'public.everything').map((r) => r.values);
      expect(parsed).toEqual(result.rows);
      expect(parsed.length).toBe(5 + 2901);
    } finally {
      await client.end();
    }
  });

  it('copies out, decodes and re-encodes every field, copies in, and the copy reads back byte-identical', async () => {
    const columns = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'everything'"))[0]!.n;
    let touched = 0;
    const rewriter = createRowRewriter({
      table: 'public.everything',
      columns,
      rewrite: (row: LazyRow) => {
        reencodeEveryField(row);
        touched++;
      },
    });
    await pipeline(source.copyOut('COPY everything TO STDOUT'), rewriter, target.copyIn('COPY everything_copy FROM STDIN'));
    expect(rewriter.rows).toBe(5 + 2901);
    expect(touched).toBe(rewriter.rows);

    const first = await collect(source.copyOut('COPY (SELECT * FROM everything ORDER BY id) TO STDOUT'));
    const second = await collect(source.copyOut('COPY (SELECT * FROM everything_copy ORDER BY id) TO STDOUT'));
    // The data really holds the escapes this test is about.
    for (const escape of ['\\t', '\\n', '\\r', '\\\\', '\\N', '"', "'", 'NaN', '-Infinity', 'infinity', ' BC', '🎉']) {
      expect(first.includes(escape), escape).toBe(true);
    }
    expect(second.length).toBe(first.length);
    expect(second.equals(first)).toBe(true);
  });

  it('passes a table through untouched byte for byte', async () => {
    const columns = 28;
    const sink: Buffer[] = [];
    await pipeline(
      source.copyOut('COPY everything TO STDOUT'),
      createRowRewriter({ table: 'public.everything', columns }),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          sink.push(Buffer.from(chunk));
          callback();
        },
      }),
    );
    const original = await collect(source.copyOut('COPY everything TO STDOUT'));
    expect(Buffer.concat(sink).equals(original)).toBe(true);
  });
});
