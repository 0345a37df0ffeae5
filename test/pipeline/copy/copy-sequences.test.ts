import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

const { file: rulesFile } = writeRulesFile('pgmask-sequences-', 'version: 1\nunlisted: keep\ntables: {}\n');

/** More sequences than pgmask reads or sets in one statement (500). */
const SEQUENCES = 520;

/** Every sequence's state, by name. */
const states = (db: TestDatabase): Promise<{ name: string; last_value: string; is_called: boolean }[]> =>
  db.query(`SELECT name, (xpath('/row/last_value/text()', x))[1]::text AS last_value, (xpath('/row/is_called/text()', x))[1]::text = 'true' AS is_called
    FROM (SELECT schemaname || '.' || sequencename AS name, query_to_xml(format('SELECT last_value, is_called FROM %I.%I', schemaname, sequencename), false, true, '') AS x FROM pg_sequences) s
    ORDER BY 1`);

describe('pgmask copy: sequence values', async () => {
  const source = await useDatabase('pgmask_seq_src');
  beforeAll(async () => {
    await source.query(`
      CREATE SCHEMA "Odd ""Seq""";
      CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text);
      INSERT INTO items (label) SELECT 'item ' || i FROM generate_series(1, 12) i;
      CREATE SEQUENCE "Odd ""Seq"""."next ""no""" START 40;
      SELECT setval('"Odd ""Seq"""."next ""no"""', 41, false);
      DO $$ BEGIN
        FOR i IN 1..${SEQUENCES} LOOP
          EXECUTE format('CREATE SEQUENCE s%s', i);
          -- Every third one never called, every third one called, every third one set to come back at i * 10.
          IF i % 3 = 1 THEN PERFORM setval(format('s%s', i), i * 7, true);
          ELSIF i % 3 = 2 THEN PERFORM setval(format('s%s', i), i * 10, false);
          END IF;
        END LOOP;
      END $$;`);
  });

  it('continues every sequence where the source stands, called or not, whatever its name', await needsPgDump(), async () => {
    const target = await createDatabase('pgmask_seq_dst');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--jobs', '2']);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      const expected = await states(source);
      expect(expected).toHaveLength(SEQUENCES + 2);
      expect(await states(target)).toEqual(expected);
      expect(await target.query('SELECT nextval(\'"Odd ""Seq"""."next ""no"""\')::int AS n')).toEqual([{ n: 41 }]);
      expect(await target.query("INSERT INTO items (label) VALUES ('new') RETURNING id::int")).toEqual([{ id: 13 }]);
    } finally {
      await target.drop();
    }
  });
});
