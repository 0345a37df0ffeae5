import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/pipeline/run/report.js';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

const { dir, file: rulesFile } = writeRulesFile(
  'pgmask-binary-',
  `version: 1
unlisted: keep
tables:
  public.people:
    columns:
      name: person.full_name
      email: { transform: email, unique: true }
      code: { transform: hash, length: 16 }
      profile: { transform: json, paths: { "$.contact.email": email } }
      mood: { transform: redact, value: REDACTED }
      id: keep
      born: keep
      paid: keep
      seen: keep
      photo: keep
      tags: keep
      notes: keep
  public.boxes:
    columns:
      id: keep
      label: person.first_name
      inside: keep
  public.ages:
    columns:
      id: keep
      name: keep
      age: number.noise
  public.visits:
    columns:
      id: keep
      note: keep
      day: date.shift
      at: { transform: date.shift, max_days: 400 }
      score: number.noise
      small: redact
      amount: { transform: number.noise, percent: 20 }
  public.logins:
    columns:
      id: keep
      at: date.shift
`,
);

/** The date part of a date or timestamp in ISO form: what date.shift moves (with its era). */
const DATE_PART = /^\d+-\d\d-\d\d/;

const TABLES = ['people', 'boxes', 'ages', 'kept', 'visits', 'logins'];

describe('pgmask copy in COPY binary format', async () => {
  const source = await useDatabase('pgmask_binary_src');
  beforeAll(async () => {
    await source.query(`
      CREATE TYPE mood AS ENUM ('sad', 'ok', 'REDACTED');
      CREATE TYPE pair AS (a int, b text);
      CREATE TABLE people (id int PRIMARY KEY, name text, email varchar(80) UNIQUE, code char(16), profile jsonb, mood mood,
                           born date, paid numeric(10, 2), seen timestamptz, photo bytea, tags text[], notes json);
      CREATE TABLE boxes (id int PRIMARY KEY, label text, inside pair);
      CREATE TABLE ages (id int PRIMARY KEY, name text, age int);
      CREATE TABLE kept (id int PRIMARY KEY, t text, at timestamptz);
      CREATE TABLE visits (id int PRIMARY KEY, day date, at timestamp(3), score int8, small int2, note text, amount numeric(12, 2));
      CREATE TABLE logins (id int PRIMARY KEY, at timestamptz);
      INSERT INTO visits
        SELECT i, date '1950-01-01' + i * 13, timestamp '2001-02-03 04:05:06.789' + i * interval '3 days 7 hours 11.5 seconds', i::int8 * 1234567, i % 300, 'v' || i
        FROM generate_series(1, 2000) AS i;
      UPDATE visits SET amount = CASE WHEN id % 7 = 0 THEN 'NaN' ELSE id * 12.34 END;
      INSERT INTO visits VALUES (0, 'infinity', '-infinity', -9223372036854775808, -32768, NULL), (-1, '-infinity', 'infinity', 9223372036854775807, 32767, ''),
        (-2, '0044-03-15 BC', '0044-03-15 12:30:00.5 BC', 0, 0, NULL), (-3, '0001-01-01', '0001-01-01 00:00', -1, -1, NULL),
        (-4, '12345-06-07', '275000-06-01 23:59:59.999', 1, 1, NULL), (-5, NULL, NULL, NULL, NULL, NULL);
      INSERT INTO logins SELECT i, timestamptz '2024-01-01 00:00+00' + i * interval '1 hour' FROM generate_series(1, 100) AS i;
      INSERT INTO people
        SELECT i, 'Namn ' || i || CASE WHEN i % 3 = 0 THEN E' \\t åäö 🎉' ELSE '' END, 'user' || i || '@corp.se', 'c' || i,
               jsonb_build_object('contact', jsonb_build_object('email', 'p' || i || '@corp.se'), 'n', i), 'ok',
               date '1980-01-01' + i, i * 1.25, timestamptz '2024-01-01 00:00+00' + i * interval '1 hour',
               decode(md5(i::text), 'hex'), ARRAY['a', NULL, E'b\\\\c'], '{"x": [1, 2]}'
        FROM generate_series(1, 3000) AS i;
      INSERT INTO people (id) VALUES (0);
      INSERT INTO boxes SELECT i, 'Box ' || i, ROW(i, 'inside ' || i)::pair FROM generate_series(1, 200) AS i;
      INSERT INTO ages SELECT i, 'Age ' || i, 20 + i % 50 FROM generate_series(1, 200) AS i;
      INSERT INTO kept SELECT i, E'kept\\n' || i, timestamptz '2024-06-01 12:00+02' FROM generate_series(1, 500) AS i;
      ANALYZE;`);
  });

  async function copy(target: TestDatabase, ...extra: string[]): Promise<RunReport> {
    const reportFile = join(dir, `report-${target.name}.json`);
    const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--report', reportFile, ...extra]);
    expect(result.stderr).toContain('succeeded');
    expect(result.code).toBe(0);
    return JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
  }

  it('moves tables whose types allow it in binary, the others as text, and loads the same rows as a copy in text', await needsPgDump(), async () => {
    const binary = await createDatabase('pgmask_binary_dst');
    const text = await createDatabase('pgmask_binary_txt');
    try {
      const formats = (report: RunReport) => Object.fromEntries(report.tables.map((t) => [t.table, t.format ?? 'text']));
      // boxes has a composite column, whose binary form names its OID; ages masks an integer, visits dates, timestamps and
      // integers, which pgmask reads and writes in binary; logins masks a timestamptz, whose text depends on the TimeZone.
      expect(formats(await copy(binary))).toEqual({
        'public.people': 'binary',
        'public.boxes': 'text',
        'public.ages': 'binary',
        'public.kept': 'binary',
        'public.visits': 'binary',
        'public.logins': 'text',
      });
      expect(formats(await copy(text, '--copy-format', 'text'))).toEqual(Object.fromEntries(TABLES.map((t) => [`public.${t}`, 'text'])));

      for (const table of TABLES) {
        const rows = await binary.copyOut(`SELECT * FROM ${table} ORDER BY id`);
        expect(rows.equals(await text.copyOut(`SELECT * FROM ${table} ORDER BY id`)), table).toBe(true);
      }
      expect((await binary.copyOut('SELECT * FROM kept ORDER BY id')).equals(await source.copyOut('SELECT * FROM kept ORDER BY id'))).toBe(true);
      const kept = 'id, born, paid, seen, photo, tags, notes';
      expect((await binary.copyOut(`SELECT ${kept} FROM people ORDER BY id`)).equals(await source.copyOut(`SELECT ${kept} FROM people ORDER BY id`))).toBe(true);
      const [masked] = await binary.query<{ n: number; named: number; moods: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE name LIKE 'Namn %' OR email LIKE '%@corp.se' OR profile::text LIKE '%@corp.se%')::int AS named,
                count(*) FILTER (WHERE mood = 'REDACTED')::int AS moods FROM people`,
      );
      expect(masked).toEqual({ n: 3001, named: 0, moods: 3000 });
      // Masked dates and timestamps moved by whole days, infinities kept; the integers masked, the rest kept.
      type Visit = { id: number; day: string | null; at: string | null; score: string | null; small: number | null; note: string | null };
      const sql = 'SELECT id, day::text, at::text, score::text, small, note FROM visits ORDER BY id';
      const before = await source.query<Visit>(sql);
      const after = await binary.query<Visit>(sql);
      expect(after.map((v) => v.id)).toEqual(before.map((v) => v.id));
      after.forEach((v, k) => {
        const s = before[k]!;
        expect(v.note).toBe(s.note);
        expect(v.small).toBe(s.small === null ? null : 0);
        for (const column of ['day', 'at'] as const) {
          if (s[column] === null || s[column]!.endsWith('infinity')) expect(v[column]).toBe(s[column]);
          else {
            expect(v[column]).not.toBe(s[column]);
            const time = (t: string) => t.replace(DATE_PART, '').replace(/ BC$/, '');
            expect(time(v[column]!)).toBe(time(s[column]!));
          }
        }
      });
      expect(after.filter((v, k) => v.score !== before[k]!.score).length).toBeGreaterThan(1900);
      const amounts = await binary.query<{ n: number; nan: number; scale2: number }>(
        "SELECT count(amount)::int AS n, count(*) FILTER (WHERE amount = 'NaN')::int AS nan, count(*) FILTER (WHERE amount::text ~ '^-?[0-9]+\\.[0-9]{2}$')::int AS scale2 FROM visits",
      );
      expect(amounts).toEqual([{ n: 2000, nan: 285, scale2: 1715 }]);
    } finally {
      await binary.drop();
      await text.drop();
    }
  });

  it('refuses a --copy-format it does not know', async () => {
    const result = await runCli(['copy', '--source', source.url, '--target', source.url, '--rules', rulesFile, '--copy-format', 'csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--copy-format must be 'auto' or 'text'");
  });
});
