import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, TEST_KEY } from '../support/cli.js';
import { createDatabase, databaseUrl, serverUrl, type TestDatabase } from '../support/database.js';
import { needsPgDump, pgDumpCanDump } from '../support/pg-dump.js';
import { psqlRestore } from '../support/pg-tools.js';
import { tempDir, writeFile } from './support.js';

/**
 * Hostile and tricky input, one case each: identifiers, NULL look-alikes, control characters,
 * values that cannot fit or collide, constraints and domains, special numbers and dates,
 * enums, large values, dropped columns, schema drift, missing tables, row-level security on
 * either side, and bad keys.
 */

const dir = tempDir('hostile');
const canDump = await pgDumpCanDump();
const pgDump = await needsPgDump();

/** A source and a target database for one case, the target given the same DDL (for --schema existing). */
async function pair(name: string, ddl: string, data = ''): Promise<{ source: TestDatabase; target: TestDatabase; drop(): Promise<void> }> {
  const source = await createDatabase(`pgmask_hostile_${name}_src`);
  const target = await createDatabase(`pgmask_hostile_${name}_dst`);
  await source.query(ddl + data);
  await target.query(ddl);
  return { source, target, drop: async () => void (await Promise.all([source.drop(), target.drop()])) };
}

function copy(source: TestDatabase, target: TestDatabase, rules: string, ...extra: string[]): Promise<CliResult> {
  return runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--schema', 'existing', ...extra], { timeoutMs: 120_000 });
}

const succeeded = (result: CliResult): void => {
  expect(result.stderr).toContain('succeeded');
  expect(result.code, result.stderr).toBe(0);
};

/** A table's rows as COPY text, ordered by its first column. */
async function copyText(db: TestDatabase, table: string, columns = '*'): Promise<string> {
  return (await db.copyOut(`SELECT ${columns} FROM ${table} ORDER BY 1`)).toString('utf8');
}

describe('hostile identifiers', () => {
  const DDL = `
    CREATE SCHEMA "Hostile ""S"" ü";
    CREATE SCHEMA "select";
    CREATE TABLE public.victim (id int);
    CREATE TABLE "Hostile ""S"" ü"."Order ""Items"" 🎉" (
      "Upper" int PRIMARY KEY,
      "with space" text NOT NULL,
      "quote""d" text,
      "ünï 名前" text,
      "select" text,
      "x'); DROP TABLE public.victim; --" text,
      "a.b" text,
      "line
break" text
    );
    CREATE TABLE "select"."from" ("where" text, "group" int);`;
  const DATA = `
    INSERT INTO "Hostile ""S"" ü"."Order ""Items"" 🎉" SELECT i, 'user' || i || '@corp.se', 'q' || i, 'Åsa' || i, 's' || i, 'Anna Berg', 'dot', 'lb' || i FROM generate_series(1, 20) i;
    INSERT INTO "select"."from" VALUES ('Anna', 1), ('Bo', 2);`;
  const rules = writeFile(
    dir,
    'identifiers.yaml',
    `version: 1
unlisted: fail
tables:
  public.victim:
    columns: { id: keep }
  '"Hostile ""S"" ü"."Order ""Items"" 🎉"':
    columns:
      Upper: keep
      with space: { transform: email, unique: true }
      'quote"d': keep
      ünï 名前: person.first_name
      select: keep
      "x'); DROP TABLE public.victim; --": person.full_name
      a.b: keep
      "line\\nbreak": keep
  '"select"."from"':
    columns:
      where: person.first_name
      group: keep
`,
  );

  writeFile(dir, 'identifiers-no-break.yaml', readFileSync(rules, 'utf8').replace('      "line\\nbreak": keep\n', ''));

  it('upper case, spaces, quotes, unicode, reserved words, a line break and SQL look-alikes are quoted everywhere', async () => {
    const { source, target, drop } = await pair('ident', DDL, DATA);
    try {
      const validate = await runCli(['validate', '--rules', rules, '--source', source.url]);
      expect(validate.code, validate.stdout + validate.stderr).toBe(0);
      succeeded(await copy(source, target, rules));
      const table = '"Hostile ""S"" ü"."Order ""Items"" 🎉"';
      const kept = '"Upper", "quote""d", "select", "a.b", "line\nbreak"';
      expect(await copyText(target, table, kept)).toBe(await copyText(source, table, kept));
      const masked = await target.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE "with space" LIKE '%@corp.se' OR "ünï 名前" LIKE 'Åsa%' OR "x'); DROP TABLE public.victim; --" = 'Anna Berg'`,
      );
      expect(masked).toEqual([{ n: 0 }]);
      expect(await target.query(`SELECT count(*)::int AS n FROM "select"."from" WHERE "where" IN ('Anna', 'Bo')`)).toEqual([{ n: 0 }]);
      expect(await target.query('SELECT count(*)::int AS n FROM public.victim')).toEqual([{ n: 0 }]);
      expect(await source.query('SELECT count(*)::int AS n FROM public.victim')).toEqual([{ n: 0 }]);
    } finally {
      await drop();
    }
  });

  it('the same through --schema create, dump and mask', pgDump, async () => {
    const { source, target, drop } = await pair('ident_create', DDL, DATA);
    const restored = await createDatabase('pgmask_hostile_ident_restored');
    try {
      await target.query('DROP SCHEMA "Hostile ""S"" ü" CASCADE; DROP SCHEMA "select" CASCADE; DROP TABLE public.victim');
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--schema', 'create']);
      succeeded(result);
      const table = '"Hostile ""S"" ü"."Order ""Items"" 🎉"';
      expect(await target.query(`SELECT count(*)::int AS n FROM ${table} WHERE "with space" LIKE '%@example.com'`)).toEqual([{ n: 20 }]);

      const out = join(dir, 'identifiers-dump.sql');
      succeeded(await runCli(['dump', '--source', source.url, '--rules', rules, '--out', out]));
      expect(await psqlRestore(restored.url, readFileSync(out))).toMatchObject({ code: 0 });
      expect(await copyText(restored, table)).toBe(await copyText(target, table));

      const dumpSource = (): string => execFileSync('pg_dump', ['--no-owner', '--dbname', source.url], { maxBuffer: 1 << 28 }).toString();
      let masked = await runCli(['mask', '--rules', rules], { input: dumpSource() });
      if (masked.code !== 0) {
        // pg_dump writes a column name with a line break in it over two lines of the COPY
        // header; pgmask mask may refuse such a header, but then as a whole, saying why.
        expect(masked.code).toBe(2);
        expect(masked.stderr).toMatch(/a COPY statement pgmask cannot read/);
        expect(masked.stdout).not.toMatch(/user\d+@corp\.se/);
        await source.query(`ALTER TABLE ${table} DROP COLUMN "line\nbreak"`);
        masked = await runCli(['mask', '--rules', rules.replace('identifiers.yaml', 'identifiers-no-break.yaml')], { input: dumpSource() });
      }
      succeeded(masked);
      expect(masked.stdout).not.toMatch(/user\d+@corp\.se|Åsa\d/);
      expect(masked.stdout).toMatch(/@example\.com/);
    } finally {
      await restored.drop();
      await drop();
    }
  });
});

describe('values', () => {
  it('NULL, empty string, the text \\N and the text NULL stay apart, masked or kept', async () => {
    const { source, target, drop } = await pair(
      'nulls',
      'CREATE TABLE t (id int PRIMARY KEY, email text, name text, note text, kept text, tags text[]);',
      `INSERT INTO t VALUES
        (1, NULL, NULL, NULL, NULL, NULL),
        (2, '', '', '', '', '{}'),
        (3, E'\\\\N', E'\\\\N', E'\\\\N', E'\\\\N', ARRAY[E'\\\\N', NULL, 'NULL']),
        (4, 'NULL', 'NULL', 'NULL', 'NULL', ARRAY['null', '']),
        (5, 'null', 'null', 'null', 'null', ARRAY[NULL]::text[]);`,
    );
    try {
      const rules = writeFile(
        dir,
        'nulls.yaml',
        // The note is scrubbed without the row: row-aware, a note that says NULL where the name column says NULL would become the masked name.
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n      name: person.first_name\n      note: { transform: text.scrub, row: false }\n      kept: keep\n      tags: { transform: array, element: email }\n',
      );
      succeeded(await copy(source, target, rules));
      expect(await copyText(target, 't', 'id, note, kept')).toBe(await copyText(source, 't', 'id, note, kept'));
      const nullness =
        'SELECT id, email IS NULL AS e, name IS NULL AS n, tags IS NULL AS t, array_length(tags, 1) AS len, (SELECT count(*) FROM unnest(tags) x WHERE x IS NULL)::int AS null_elements FROM t ORDER BY id';
      expect(await target.query(nullness)).toEqual(await source.query(nullness));
      // A masked value is never the text that looks like NULL, and the literal \\N is not NULL.
      const [row3] = await target.query<{ email: string; note: string }>('SELECT email, note FROM t WHERE id = 3');
      expect(row3!.note).toBe('\\N');
      expect(row3!.email).not.toBeNull();
    } finally {
      await drop();
    }
  });

  it('tabs, line breaks, carriage returns, backslashes and a trailing backslash survive, around a masked personnummer too', async () => {
    const values = ['a\tb', 'line1\nline2', 'cr\rhere', 'back\\slash', 'trailing\\', '\\', '\\\\N', '\t\n\r\\', 'ü\\t not a tab'];
    const { source, target, drop } = await pair('control', 'CREATE TABLE t (id int PRIMARY KEY, kept text, note text, name text, email text);');
    try {
      for (const [i, value] of values.entries()) {
        await source.query('INSERT INTO t VALUES ($1, $2, $3, $4, $5)', [i, value, `Ring\t811218-9876${value}\r\nslut${value}`, `Anna${value}`, `a${value}@corp.se`]);
      }
      const rules = writeFile(
        dir,
        'control.yaml',
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      kept: keep\n      note: text.scrub\n      name: person.first_name\n      email: email\n',
      );
      succeeded(await copy(source, target, rules));
      expect(await copyText(target, 't', 'id, kept')).toBe(await copyText(source, 't', 'id, kept'));
      const rows = await target.query<{ id: number; note: string; name: string; email: string }>('SELECT id, note, name, email FROM t ORDER BY id');
      for (const row of rows) {
        const value = values[row.id]!;
        const match = /^Ring\t(\d{6}-\d{4})([\s\S]*)\r\nslut([\s\S]*)$/.exec(row.note);
        expect(match, JSON.stringify(row.note)).not.toBeNull();
        expect(match![1]).not.toBe('811218-9876');
        expect([match![2], match![3]]).toEqual([value, value]);
        expect(row.name).not.toContain('Anna');
        expect(row.email).toMatch(/^[^\s\\]+@example\.com$/);
      }
    } finally {
      await drop();
    }
  });

  it('a fake value that would not fit varchar(n) is refused by validation, before a byte moves', async () => {
    const { source, target, drop } = await pair('varchar', 'CREATE TABLE t (id int PRIMARY KEY, email varchar(12) NOT NULL);', "INSERT INTO t VALUES (1, 'a@b.se');");
    try {
      await target.query("INSERT INTO t VALUES (99, 'untouched')");
      const rules = writeFile(dir, 'varchar.yaml', 'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n');
      const validate = await runCli(['validate', '--rules', rules, '--source', source.url]);
      expect(validate.code).toBe(1);
      expect(validate.stdout).toMatch(/public\.t.*email.*varchar|character varying\(12\)|12/);
      const result = await copy(source, target, rules, '--yes');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/email/);
      expect(await target.query('SELECT id FROM t')).toEqual([{ id: 99 }]);
    } finally {
      await drop();
    }
  });

  it('a unique column whose masked values could collide is refused; unique: true keeps 5,000 masked values distinct', async () => {
    const { source, target, drop } = await pair(
      'unique',
      'CREATE TABLE t (id int PRIMARY KEY, name text UNIQUE, email text UNIQUE, pnr text UNIQUE);',
      `INSERT INTO t SELECT i, 'Name' || i, CASE WHEN i % 2 = 0 THEN 'User' || i || '@Corp.se' ELSE 'user' || (i - 1) || '@corp.se' END,
         to_char(date '1950-01-01' + i, 'YYYYMMDD') || '-' || lpad((i % 1000)::text, 3, '0') || '0' FROM generate_series(1, 5000) i;`,
    );
    try {
      const colliding = writeFile(
        dir,
        'unique-bad.yaml',
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      name: person.first_name\n      email: keep\n      pnr: keep\n',
      );
      const refused = await copy(source, target, colliding);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/name.*unique/);
      const rules = writeFile(
        dir,
        'unique.yaml',
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      name: keep\n      email: { transform: email, unique: true }\n      pnr: { transform: se.personnummer, unique: true }\n',
      );
      succeeded(await copy(source, target, rules));
      expect(await target.query('SELECT count(DISTINCT email)::int AS e, count(DISTINCT pnr)::int AS p, count(*)::int AS n FROM t')).toEqual([{ e: 5000, p: 5000, n: 5000 }]);
    } finally {
      await drop();
    }
  });

  it('CHECK constraints and domains on masked columns hold; a CHECK the fakes break fails the table, naming the constraint', async () => {
    const ddl = `
      CREATE DOMAIN pnr_d AS text CHECK (VALUE ~ '^\\d{8}-\\d{4}$');
      CREATE DOMAIN email_d AS varchar(200) CHECK (VALUE LIKE '%_@_%.__%');
      CREATE TABLE t (id int PRIMARY KEY, pnr pnr_d NOT NULL, email email_d, phone text CHECK (phone ~ '^0\\d{1,3}-\\d{5,8}$'), name text CHECK (length(name) BETWEEN 1 AND 60));`;
    const { source, target, drop } = await pair(
      'check',
      ddl,
      `INSERT INTO t SELECT i, to_char(date '1960-01-01' + i, 'YYYYMMDD') || '-123' || (i % 10), 'user' || i || '@corp.se', '070-' || (1000000 + i), 'Anna ' || i FROM generate_series(1, 500) i;`,
    );
    try {
      const rules = writeFile(
        dir,
        'check.yaml',
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      pnr: se.personnummer\n      email: email\n      phone: se.phone\n      name: person.full_name\n',
      );
      succeeded(await copy(source, target, rules));
      expect(await target.query("SELECT count(*)::int AS n FROM t WHERE email LIKE '%@example.com'")).toEqual([{ n: 500 }]);

      await target.query("ALTER TABLE t ADD CONSTRAINT corp_only CHECK (email::text LIKE '%@corp.se') NOT VALID");
      const broken = await copy(source, target, rules, '--yes');
      expect(broken.code).toBe(3);
      expect(broken.stderr).toMatch(/table public\.t: new row for relation "t" violates check constraint "corp_only"/);
      expect(broken.stderr).not.toMatch(/Failing row|@example\.com|@corp\.se'/);
      expect(await target.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
    } finally {
      await drop();
    }
  });

  it('NaN, ±Infinity, infinity dates and BC dates: kept byte for byte, masked within their type', async () => {
    const { source, target, drop } = await pair(
      'special',
      'CREATE TABLE t (id int PRIMARY KEY, f float8, n numeric, amount numeric(12, 2), d date, ts timestamptz, kept_d date, kept_ts timestamp);',
      `SET TimeZone = 'UTC';
       INSERT INTO t VALUES
        (1, 'NaN', 'NaN', 'NaN', 'infinity', 'infinity', 'infinity', '-infinity'),
        (2, 'Infinity', 'Infinity', 1234.5, '-infinity', '-infinity', '-infinity', 'infinity'),
        (3, '-Infinity', '-Infinity', -99.99, '0044-03-15 BC', '0100-06-15 12:34:56+00 BC', '4713-01-01 BC', '0001-01-01 00:00:00 BC'),
        (4, '-0', 0, 0, '2000-02-29', '1999-12-31 23:59:59.999999+00', '5874897-12-31', '294276-12-31 23:59:59'),
        (5, 1e308, 1e-30, 0.01, '0001-01-01', '0001-01-01 00:00:00+00', '2024-02-29', '2024-02-29 12:00');`,
    );
    try {
      const rules = writeFile(
        dir,
        'special.yaml',
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      f: keep\n      kept_d: keep\n      kept_ts: keep\n      n: number.noise\n      amount: { transform: number.noise, percent: 50 }\n      d: { transform: date.shift, max_days: 20 }\n      ts: { transform: date.generalize, to: month }\n',
      );
      succeeded(await copy(source, target, rules));
      expect(await copyText(target, 't', 'id, f, kept_d, kept_ts')).toBe(await copyText(source, 't', 'id, f, kept_d, kept_ts'));
      const rows = await target.query<{ id: number; n: string; amount: string | null; d: string; ts: string }>(
        "SET TimeZone = 'UTC'; SET DateStyle = ISO; SELECT id, n::text, amount::text, d::text, ts::text FROM t ORDER BY id",
      );
      expect(rows.slice(0, 3).map((r) => [r.n, r.d, r.ts])).toEqual([
        ['NaN', 'infinity', 'infinity'],
        ['Infinity', '-infinity', '-infinity'],
        ['-Infinity', expect.stringMatching(/ BC$/), '0100-06-01 00:00:00+00 BC'],
      ]);
      expect(rows[0]!.amount).toBe('NaN');
      const [shift] = await target.query<{ days: number }>("SELECT abs(d - '0044-03-15 BC'::date) AS days FROM t WHERE id = 3");
      expect(shift!.days).toBeGreaterThanOrEqual(1);
      expect(shift!.days).toBeLessThanOrEqual(20);
      const [leap] = await target.query<{ days: number }>("SELECT abs(d - '2000-02-29'::date) AS days FROM t WHERE id = 4");
      expect(leap!.days).toBeGreaterThanOrEqual(1);
      expect(leap!.days).toBeLessThanOrEqual(20);
      expect(rows[3]!.n).toBe('0');
      expect(rows[4]!.ts).toBe('0001-01-01 00:00:00+00');
    } finally {
      await drop();
    }
  });

  it('enum labels with spaces, quotes, unicode and NULL look-alikes are kept byte for byte; a masking rule must give a label', async () => {
    const ddl = `CREATE TYPE mood AS ENUM ('a b', 'quote''s', 'dq"', 'ünï', 'NULL', '\\N', 'tab	x', 'comma,brace}');
      CREATE TABLE t (id int PRIMARY KEY, m mood, ms mood[], secret mood);`;
    const { source, target, drop } = await pair(
      'enum',
      ddl,
      `INSERT INTO t SELECT i, (enum_range(NULL::mood))[1 + i % 8], ARRAY[(enum_range(NULL::mood))[1 + i % 8], NULL, 'comma,brace}'::mood], 'NULL' FROM generate_series(1, 40) i;`,
    );
    try {
      const hashed = writeFile(
        dir,
        'enum-hash.yaml',
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      m: keep\n      ms: keep\n      secret: hash\n',
      );
      const refused = await copy(source, target, hashed);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/secret/);
      const rules = writeFile(
        dir,
        'enum.yaml',
        "version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      m: keep\n      ms: keep\n      secret: { transform: redact, value: 'a b' }\n",
      );
      succeeded(await copy(source, target, rules));
      expect(await copyText(target, 't', 'id, m, ms')).toBe(await copyText(source, 't', 'id, m, ms'));
      expect(await target.query("SELECT count(*)::int AS n FROM t WHERE secret = 'a b'")).toEqual([{ n: 40 }]);
    } finally {
      await drop();
    }
  });

  it('large values: a 50 MB text kept and masked, and bytea kept and hashed', async () => {
    const { source, target, drop } = await pair('large', 'CREATE TABLE t (id int PRIMARY KEY, big text, note text, blob bytea, secret bytea);');
    try {
      await source.query(`INSERT INTO t VALUES
        (1, repeat('0123456789abcdef', 50 * 65536), repeat(E'ord\\t', 12 * 1024 * 1024) || ' 811218-9876', decode(repeat('00ff5c0a', 5 * 1024 * 1024), 'hex'), decode(repeat('ab', 1024 * 1024), 'hex')),
        (2, '', 'kort', '\\x', '\\x00')`);
      const rules = writeFile(
        dir,
        'large.yaml',
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      big: keep\n      blob: keep\n      note: text.scrub\n      secret: { transform: hash, length: 32 }\n',
      );
      succeeded(await copy(source, target, rules));
      const digest =
        'SELECT id, md5(big) AS big, md5(blob) AS blob, length(note) AS note_length, right(note, 12) AS tail, left(note, 8) AS head, length(secret) AS secret_length FROM t ORDER BY id';
      const [src, dst] = [await source.query(digest), await target.query(digest)];
      expect(dst.map((r) => [r['id'], r['big'], r['blob'], r['note_length'], r['head']])).toEqual(src.map((r) => [r['id'], r['big'], r['blob'], r['note_length'], r['head']]));
      expect(dst[0]!['tail']).toMatch(/^ \d{6}-\d{4}$/);
      expect(dst[0]!['tail']).not.toBe(' 811218-9876');
      expect(await target.query('SELECT octet_length(big)::int AS n FROM t WHERE id = 1')).toEqual([{ n: 50 * 1024 * 1024 }]);
      expect(await target.query("SELECT count(*)::int AS n FROM t WHERE secret = decode(repeat('ab', 1024 * 1024), 'hex') OR secret = '\\x00'")).toEqual([{ n: 0 }]);
    } finally {
      await drop();
    }
  }, 180_000);

  it('tables with dropped columns, different on source and target, copy by name', async () => {
    const source = await createDatabase('pgmask_hostile_dropped_src');
    const target = await createDatabase('pgmask_hostile_dropped_dst');
    try {
      await source.query(`
        CREATE TABLE t (id int PRIMARY KEY, gone1 text, email text, gone2 int, name text, kept text);
        ALTER TABLE t DROP COLUMN gone1; ALTER TABLE t DROP COLUMN gone2;
        INSERT INTO t SELECT i, 'u' || i || '@corp.se', 'Anna' || i, 'k' || i FROM generate_series(1, 100) i;
        ALTER TABLE t ADD COLUMN late int DEFAULT 7;`);
      await target.query(`
        CREATE TABLE t (old int, id int PRIMARY KEY, email text, name text, kept text, late int DEFAULT 7);
        ALTER TABLE t DROP COLUMN old;`);
      const rules = writeFile(
        dir,
        'dropped.yaml',
        'version: 1\nunlisted: fail\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n      name: person.first_name\n      kept: keep\n      late: keep\n',
      );
      succeeded(await copy(source, target, rules));
      expect(await copyText(target, 't', 'id, kept, late')).toBe(await copyText(source, 't', 'id, kept, late'));
      expect(await target.query("SELECT count(*)::int AS n FROM t WHERE email LIKE '%@example.com' AND name NOT LIKE 'Anna%'")).toEqual([{ n: 100 }]);
      if (canDump) {
        const created = await createDatabase('pgmask_hostile_dropped_new');
        try {
          succeeded(await runCli(['copy', '--source', source.url, '--target', created.url, '--rules', rules, '--schema', 'create']));
          expect(await copyText(created, 't', 'id, kept, late')).toBe(await copyText(source, 't', 'id, kept, late'));
        } finally {
          await created.drop();
        }
      }
    } finally {
      await Promise.all([source.drop(), target.drop()]);
    }
  });
});

describe('schemas and rules that do not match', () => {
  it('schema drift in --schema existing is refused before anything is written, whatever the drift', async () => {
    const source = await createDatabase('pgmask_hostile_drift_src');
    try {
      await source.query(
        "CREATE TABLE t (id int PRIMARY KEY, email text, n int); INSERT INTO t VALUES (1, 'a@corp.se', 1); CREATE TABLE u (id int PRIMARY KEY); INSERT INTO u VALUES (1);",
      );
      const rules = writeFile(dir, 'drift.yaml', 'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n      n: keep\n');
      for (const [drift, ddl, why] of [
        ['a missing column', 'CREATE TABLE t (id int PRIMARY KEY, email text)', /public\.t\."?n"?: missing on the target/],
        ['another type', 'CREATE TABLE t (id int PRIMARY KEY, email text, n bigint)', /public\.t\."?n"?: bigint on the target, integer on the source/],
        ['a missing table', 'SELECT 1', /public\.t: missing on the target/],
        [
          'a NOT NULL column only the target has',
          'CREATE TABLE t (id int PRIMARY KEY, email text, n int, extra text NOT NULL)',
          /public\.t\."?extra"?: .*NOT NULL .*only on the target/,
        ],
      ] as const) {
        const target = await createDatabase('pgmask_hostile_drift_dst');
        try {
          await target.query(`${ddl}; CREATE TABLE u (id int PRIMARY KEY); INSERT INTO u VALUES (42);`);
          const result = await copy(source, target, rules, '--yes');
          expect(result.code, `${drift}: ${result.stderr}`).toBe(1);
          expect(result.stderr, drift).toMatch(/the target schema differs from the source/);
          expect(result.stderr, drift).toMatch(why);
          // Nothing was truncated or written.
          expect(await target.query('SELECT id FROM u'), drift).toEqual([{ id: 42 }]);
        } finally {
          await target.drop();
        }
      }
    } finally {
      await source.drop();
    }
  });

  it('a rules file that names a missing table is refused by validate and copy, naming the table', async () => {
    const { source, target, drop } = await pair('missing', 'CREATE TABLE t (id int PRIMARY KEY, email text);', "INSERT INTO t VALUES (1, 'a@corp.se');");
    try {
      const rules = writeFile(
        dir,
        'missing.yaml',
        'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n  public.customers_old:\n    columns:\n      email: email\n',
      );
      const validate = await runCli(['validate', '--rules', rules, '--source', source.url]);
      expect(validate.code).toBe(1);
      expect(validate.stdout).toMatch(/public\.customers_old/);
      const result = await copy(source, target, rules);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/public\.customers_old/);
      expect(await target.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
    } finally {
      await drop();
    }
  });
});

describe('row-level security', async () => {
  const roles: string[] = [];
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  afterAll(async () => {
    for (const role of roles) await admin(`DROP ROLE IF EXISTS ${role}`);
  });
  /** A login role with neither SUPERUSER nor BYPASSRLS, dropped after the file's tests. */
  async function limitedRole(db: TestDatabase): Promise<{ name: string; url: string }> {
    const name = `pgmask_rls_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS`);
    roles.push(name);
    const url = new URL(db.url);
    url.username = name;
    return { name, url: databaseUrl(db.name, url.toString()) };
  }
  const serverMajor = await (async () => {
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    try {
      return Math.floor(Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10000);
    } finally {
      await client.end();
    }
  })();

  it('a source role under row-level security is refused, not copied in part', async () => {
    const { source, target, drop } = await pair(
      'rls_src',
      'CREATE TABLE t (id int PRIMARY KEY, owner text, email text); ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY mine ON t USING (owner = current_user);',
      "INSERT INTO t SELECT i, 'someone', 'u' || i || '@corp.se' FROM generate_series(1, 50) i;",
    );
    try {
      const role = await limitedRole(source);
      await source.query(`GRANT SELECT ON t TO ${role.name}`);
      const rules = writeFile(dir, 'rls.yaml', 'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      owner: keep\n      email: email\n');
      const result = await runCli(['copy', '--source', role.url, '--target', target.url, '--rules', rules, '--schema', 'existing']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/table public\.t has row-level security .*BYPASSRLS/);
      expect(await target.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
    } finally {
      await drop();
    }
  });

  it('a target with row-level security: all rows arrive as a superuser; a limited target role fails clearly, naming the table', async () => {
    const ddl = 'CREATE TABLE t (id int PRIMARY KEY, email text); ';
    const { source, target, drop } = await pair('rls_dst', ddl, "INSERT INTO t SELECT i, 'u' || i || '@corp.se' FROM generate_series(1, 50) i;");
    try {
      await target.query('ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY; CREATE POLICY nothing ON t USING (false) WITH CHECK (false);');
      const rules = writeFile(dir, 'rls-dst.yaml', 'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n');
      succeeded(await copy(source, target, rules));
      expect(await target.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 50 }]);

      const role = await limitedRole(target);
      await target.query(`ALTER TABLE t OWNER TO ${role.name}`);
      if (serverMajor >= 15) await admin(`GRANT SET ON PARAMETER session_replication_role TO ${role.name}`);
      try {
        const report = join(dir, 'rls-dst.json');
        const limited = await runCli(['copy', '--source', source.url, '--target', role.url, '--rules', rules, '--schema', 'existing', '--yes', '--report', report]);
        expect(limited.code).toBe(3);
        expect(limited.stderr).toMatch(/table public\.t: COPY FROM not supported with row-level security/);
        expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ outcome: 'failed', error: { table: 'public.t' } });
        // --schema existing empties the tables it loads first; the failed load left no row of its own.
        expect(await target.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
      } finally {
        if (serverMajor >= 15) await admin(`REVOKE SET ON PARAMETER session_replication_role FROM ${role.name}`);
        await target.query(`ALTER TABLE t OWNER TO postgres`);
      }
    } finally {
      await drop();
    }
  });
});

describe('target roles', async () => {
  it('a target role that may not switch triggers off is refused before anything is emptied, saying what it needs', async () => {
    const { source, target, drop } = await pair(
      'role',
      'CREATE TABLE t (id int PRIMARY KEY, email text);',
      "INSERT INTO t SELECT i, 'u' || i || '@corp.se' FROM generate_series(1, 5) i;",
    );
    const name = `pgmask_owner_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string): Promise<void> => {
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    try {
      await admin(`CREATE ROLE ${name} LOGIN NOSUPERUSER`);
      await target.query(`ALTER TABLE t OWNER TO ${name}; INSERT INTO t VALUES (99, 'kept@example.com')`);
      const url = new URL(target.url);
      url.username = name;
      const rules = writeFile(dir, 'role.yaml', 'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n');
      const result = await runCli(['copy', '--source', source.url, '--target', url.toString(), '--rules', rules, '--schema', 'existing', '--yes']);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/session_replication_role/);
      expect(result.stderr).toMatch(/superuser|GRANT SET ON PARAMETER/);
      expect(await target.query('SELECT id FROM t')).toEqual([{ id: 99 }]);
    } finally {
      await target.query('ALTER TABLE t OWNER TO postgres').catch(() => {});
      await drop();
      await admin(`DROP ROLE IF EXISTS ${name}`);
    }
  });
});

describe('keys', () => {
  it('a missing, short, malformed or unreadable key stops the run before anything is written', async () => {
    const { source, target, drop } = await pair('keys', 'CREATE TABLE t (id int PRIMARY KEY, email text);', "INSERT INTO t VALUES (1, 'a@corp.se');");
    try {
      await target.query("INSERT INTO t VALUES (99, 'untouched')");
      const rules = writeFile(dir, 'keys.yaml', 'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n');
      const args = ['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--schema', 'existing', '--yes'];
      const shortKey = TEST_KEY.slice(0, 30);
      for (const [what, env, extra, code, why] of [
        ['missing', { PGMASK_KEY: '' }, [], 2, /no masking key: set PGMASK_KEY or pass --key-file/],
        ['short', { PGMASK_KEY: shortKey }, [], 2, /PGMASK_KEY holds 15 bytes, at least 32 are needed/],
        ['malformed', { PGMASK_KEY: 'not a key at all!' }, [], 2, /PGMASK_KEY is neither hex nor base64/],
        ['a missing key file', { PGMASK_KEY: '' }, ['--key-file', join(dir, 'no-such.key')], 2, /cannot read key file \S*no-such\.key \(ENOENT\)/],
      ] as const) {
        const result = await runCli([...args, ...extra], { env });
        expect(result.code, `${what}: ${result.stderr}`).toBe(code);
        expect(result.stderr, what).toMatch(why);
        expect(result.stderr, what).toMatch(/openssl rand -hex 32/);
        expect(result.stderr + result.stdout, what).not.toContain(shortKey);
        expect(await target.query('SELECT id FROM t'), what).toEqual([{ id: 99 }]);
      }
    } finally {
      await drop();
    }
  });

  it('a wrong (another) key gives other pseudonyms, and the report says which key by fingerprint only', async () => {
    const { source, target, drop } = await pair(
      'otherkey',
      'CREATE TABLE t (id int PRIMARY KEY, email text);',
      "INSERT INTO t SELECT i, 'u' || i || '@corp.se' FROM generate_series(1, 20) i;",
    );
    try {
      const rules = writeFile(dir, 'otherkey.yaml', 'version: 1\nunlisted: keep\ntables:\n  public.t:\n    columns:\n      id: keep\n      email: email\n');
      const report = (name: string): string => join(dir, `${name}.json`);
      succeeded(await copy(source, target, rules, '--report', report('key-a')));
      const first = await copyText(target, 't');
      const otherKey = 'ff'.repeat(32);
      const second = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--schema', 'existing', '--yes', '--report', report('key-b')], {
        env: { PGMASK_KEY: otherKey },
      });
      succeeded(second);
      const other = await copyText(target, 't');
      const firstEmails = first.split('\n').map((l) => l.split('\t')[1]);
      const otherEmails = new Set(other.split('\n').map((l) => l.split('\t')[1]));
      expect(firstEmails.filter((e) => e && otherEmails.has(e))).toEqual([]);
      const [a, b] = [readFileSync(report('key-a'), 'utf8'), readFileSync(report('key-b'), 'utf8')];
      expect(JSON.parse(a).key.fingerprint).not.toBe(JSON.parse(b).key.fingerprint);
      expect(a + b + second.stderr).not.toContain(otherKey);
      expect(a).not.toContain(TEST_KEY);
    } finally {
      await drop();
    }
  });
});
