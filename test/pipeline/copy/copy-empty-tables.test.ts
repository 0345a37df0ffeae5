import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/pipeline/run/report.js';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

const { dir, file: rulesFile } = writeRulesFile(
  'pgmask-empty-',
  `version: 1
unlisted: keep
tables:
  public.people:
    columns:
      id: keep
      email: { transform: email, unique: true }
`,
);

/** Tables beside people: most empty, some with rows their statistics do not know of, one emptied after its statistics. */
const TABLES = 40;

describe('pgmask copy of many empty and small tables', async () => {
  const source = await useDatabase('pgmask_empty_src');
  beforeAll(async () => {
    await source.query(`
      CREATE TABLE people (id int PRIMARY KEY, email text UNIQUE);
      DO $$ BEGIN
        FOR i IN 1..${TABLES} LOOP
          EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, person_id int REFERENCES people (id), note text)', i);
          EXECUTE format('CREATE INDEX ON t%s (person_id)', i);
        END LOOP;
      END $$;
      -- Statistics that say the tables are empty...
      ANALYZE;
      -- ...then rows in some of them, and in a table whose rows all went again: its statistics say it holds rows.
      INSERT INTO people SELECT i, 'person' || i || '@corp.se' FROM generate_series(1, 30) i;
      INSERT INTO t3 SELECT i, i, 'note ' || i FROM generate_series(1, 30) i;
      INSERT INTO t7 SELECT i, NULL, NULL FROM generate_series(1, 5) i;
      INSERT INTO t9 SELECT i, 1, 'gone' FROM generate_series(1, 50) i;
      ANALYZE t9;
      DELETE FROM t9;`);
  });

  for (const schema of ['create', 'existing'] as const) {
    it(`--schema ${schema}: copies the tables with rows in full, the empty ones empty, and builds every index and key`, await needsPgDump(), async () => {
      const target = await createDatabase('pgmask_empty_dst');
      const reportFile = join(dir, `${schema}.json`);
      try {
        if (schema === 'existing') await target.query(targetSchema(TABLES));
        const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', schema, '--jobs', '2', '--report', reportFile]);
        expect(result.stderr).toContain('succeeded');
        expect(result.code).toBe(0);
        const counts = async (db: typeof source): Promise<Record<string, number>> =>
          Object.fromEntries(
            (
              await db.query<{ t: string; n: number }>(
                `SELECT 'people' AS t, count(*)::int AS n FROM people ${Array.from({ length: TABLES }, (_, i) => `UNION ALL SELECT 't${i + 1}', count(*)::int FROM t${i + 1}`).join(' ')}`,
              )
            ).map((r) => [r.t, r.n]),
          );
        expect(await counts(target)).toEqual(await counts(source));
        expect((await counts(target))['t3']).toBe(30);
        expect(await target.query("SELECT count(*)::int AS n FROM people WHERE email LIKE '%@corp.se'")).toEqual([{ n: 0 }]);
        // Every table: copied, with its rows; every index and key there.
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
        expect(report.tables.filter((t) => t.status !== 'copied')).toEqual([]);
        expect(report.tables.find((t) => t.table === 'public.t3')?.rows).toBe(30);
        expect(report.tables.find((t) => t.table === 'public.t9')?.rows).toBe(0);
        expect(await target.query("SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'")).toEqual(
          await source.query("SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'"),
        );
        expect(await target.query("SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND convalidated")).toEqual([{ n: TABLES }]);
      } finally {
        await target.drop();
      }
    });
  }

  it('--schema existing: refuses, without --yes, a target whose tables hold rows, naming how many, and empties none', async () => {
    const target = await createDatabase('pgmask_empty_dst');
    try {
      await target.query(`${targetSchema(TABLES)}
        INSERT INTO people VALUES (1, 'kept@example.com');
        INSERT INTO t5 VALUES (1, 1, 'kept'); INSERT INTO t2 VALUES (1, NULL, 'kept');`);
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'existing']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('3 target table(s) hold rows and will be emptied');
      expect(result.stderr).toContain('pass --yes');
      expect(await target.query('SELECT (SELECT count(*) FROM people)::int AS p, (SELECT count(*) FROM t2)::int AS a, (SELECT count(*) FROM t5)::int AS b')).toEqual([
        { p: 1, a: 1, b: 1 },
      ]);
    } finally {
      await target.drop();
    }
  });
});

/** The source's schema, for a target loaded with --schema existing. */
function targetSchema(tables: number): string {
  return `CREATE TABLE people (id int PRIMARY KEY, email text UNIQUE);
    ${Array.from({ length: tables }, (_, i) => `CREATE TABLE t${i + 1} (id int PRIMARY KEY, person_id int REFERENCES people (id), note text); CREATE INDEX ON t${i + 1} (person_id);`).join('\n')}`;
}
