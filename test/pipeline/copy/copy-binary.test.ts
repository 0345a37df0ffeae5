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
  public.boxes:
    columns:
      label: person.first_name
  public.ages:
    columns:
      age: number.noise
`,
);

const TABLES = ['people', 'boxes', 'ages', 'kept'];

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
      // boxes has a composite column, whose binary form names its OID; ages masks an integer.
      expect(formats(await copy(binary))).toEqual({ 'public.people': 'binary', 'public.boxes': 'text', 'public.ages': 'text', 'public.kept': 'binary' });
      expect(formats(await copy(text, '--copy-format', 'text'))).toEqual({ 'public.people': 'text', 'public.boxes': 'text', 'public.ages': 'text', 'public.kept': 'text' });

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
