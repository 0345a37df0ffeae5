import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from '../../src/transformers/codecs/json-tree.js';
import { formatPgArray, parsePgArray } from '../../src/transformers/codecs/pg-array.js';
import { useDatabase } from '../support/database.js';
import { build, session } from './support.js';

/** Text forms read back from a real PostgreSQL: what COPY carries is what the transformers parse and write. */
describe('PostgreSQL text forms', async () => {
  const db = await useDatabase();
  await db.query(`
    CREATE TABLE a (id int, t text[], i int[], m text[][]);
    INSERT INTO a VALUES
      (1, ARRAY['plain', 'with space', '', 'NULL', NULL, 'quote"and\\back', 'a,b', '{brace}', 'åäö 😀', ' lead'], ARRAY[1, NULL, -3], ARRAY[['a','b'],['c',NULL]]),
      (2, '{}', '{}', '{}'),
      (3, '[0:1]={x,y}', '[2:3]={1,2}', NULL);
    CREATE TABLE j (id int, doc jsonb, raw json);
    INSERT INTO j VALUES
      (1, '{"contact": {"email": "k@gmail.com", "phones": ["070-123 45 67"]}, "n": 12345678901234567890.5, "u": "å\\u00e5 😀"}'::jsonb, '{"a" : [1, 2.50, true, null], "b": "\\"q\\""}'),
      (2, '[]', '"just a string"');
  `);

  it('parses and writes arrays exactly as PostgreSQL prints them', async () => {
    const rows = await db.query<{ t: string; i: string; m: string | null }>('SELECT t::text AS t, i::text AS i, m::text AS m FROM a ORDER BY id');
    for (const r of rows) {
      for (const text of [r.t, r.i, r.m].filter((v): v is string => v !== null)) expect(formatPgArray(parsePgArray(text))).toBe(text);
    }
    expect(parsePgArray(rows[0]!.t).items).toEqual(['plain', 'with space', '', 'NULL', null, 'quote"and\\back', 'a,b', '{brace}', 'åäö 😀', ' lead']);
  });

  it('writes arrays PostgreSQL reads back to the same elements after masking', async () => {
    const mask = build(session(), { transform: 'array', options: { element: 'email' } }, { family: 'array', elementFamily: 'text', type: 'text[]' });
    const [r] = await db.query<{ t: string }>('SELECT t::text AS t FROM a WHERE id = 1');
    const out = mask(r!.t)!;
    const [back] = await db.query<{ n: number; nulls: number; all_masked: boolean }>(
      `SELECT cardinality(v) AS n, cardinality(v) - count(e)::int AS nulls, bool_and(e = '' OR e LIKE '%@example.com') AS all_masked FROM (SELECT $1::text[] AS v) s, unnest(v) e GROUP BY v`,
      [out],
    );
    expect(back).toEqual({ n: 10, nulls: 1, all_masked: true });
  });

  it('writes json that PostgreSQL accepts, the rest of the document unchanged', async () => {
    const rows = await db.query<{ doc: string; raw: string }>('SELECT doc::text AS doc, raw::text AS raw FROM j ORDER BY id');
    expect(stringifyJson(parseJson(rows[0]!.doc))).toBe(rows[0]!.doc);
    const mask = build(
      session(),
      { transform: 'json', options: { paths: { '$.contact.email': 'email', '$.contact.phones[*]': 'se.phone', '$.missing.path': 'email' } } },
      { family: 'json', type: 'jsonb' },
    );
    for (const r of rows) {
      for (const text of [r.doc, r.raw]) {
        const out = mask(text)!;
        const [check] = await db.query<{ same_shape: boolean; n: string | null; email: string | null }>(
          `SELECT jsonb_typeof($1::jsonb) = jsonb_typeof($2::jsonb) AS same_shape, ($1::jsonb ->> 'n') AS n, ($1::jsonb #>> '{contact,email}') AS email`,
          [out, text],
        );
        expect(check!.same_shape).toBe(true);
        if (text === rows[0]!.doc) {
          expect(check!.n).toBe('12345678901234567890.5');
          expect(check!.email).toMatch(/@example\.com$/);
          expect(out).toMatch(/"phones": \["070-174 06 \d\d"\]/);
        }
      }
    }
  });
});
