import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';
import { ANNA, CRM_RULES, createCrm } from './crm-fixture.js';

describe('pgmask subject find (CLI)', () => {
  let db: TestDatabase;
  afterAll(() => db?.drop());
  let rules: string;

  beforeAll(async () => {
    db = await createDatabase('pgmask_subject_cli');
    await createCrm(db);
    rules = writeRulesFile('pgmask-subject-cli-', CRM_RULES).file;
  }, 60_000);

  it('prints the rows per table and how each was found, never the identifier', async () => {
    const run = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, '--personnummer', ANNA.personnummerAsked]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^found 13 rows in 9 tables of /);
    expect(run.stdout).toMatch(/^ {2}public\.customers: 1 row\n {4}id=1: column personnummer \(personnummer\)$/m);
    expect(run.stdout).toMatch(/^ {4}order_id=10, line=2: references public\.orders\(id\) via order_lines_order_id_fkey$/m);
    expect(run.stdout).toMatch(/^ {2}public\.notes\.body \(free text\): 1 row, scanned$/m);
    expect(run.stdout).toMatch(/^ {2}public\.customers\.personnummer \(equal\): 1 row, by index$/m);
    for (const text of [run.stdout, run.stderr]) {
      for (const value of ['811218', '9876', ANNA.personnummerStored]) expect(text).not.toContain(value);
    }
  });

  it('--json: rows as primary-key objects and how each was found, without the identifier', async () => {
    for (const [flag, value] of [
      ['--email', ANNA.emailAsked],
      ['--phone', ANNA.phoneAsked],
      ['--personnummer', ANNA.personnummerAsked],
    ] as const) {
      const run = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, flag, value, '--json']);
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      const customers = doc.tables.find((t: { table: string }) => t.table === 'public.customers');
      expect(customers.rows).toEqual([{ key: { id: '1' }, found: [`column ${flag.slice(2)} (${flag.slice(2)})`] }]);
      for (const text of [run.stdout.toLowerCase(), run.stderr.toLowerCase()]) {
        for (const secret of [value.toLowerCase(), ANNA.emailStored, '701234567', '1234567', '811218', ANNA.personnummerStored]) expect(text).not.toContain(secret);
      }
    }
  });

  it('reads an identifier given as - from stdin, so that it stays out of the process list', async () => {
    const run = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, '--personnummer', '-', '--json'], { input: `${ANNA.personnummerAsked}\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).tables.find((t: { table: string }) => t.table === 'public.customers').rows).toEqual([
      { key: { id: '1' }, found: ['column personnummer (personnummer)'] },
    ]);
  });

  it('a person with no rows: an empty result, exit 0', async () => {
    const run = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, '--phone', '0709999999', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ tables: [], summary: { rows: 0, tables: 0 } });
    const human = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, '--phone', '0709999999']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^no rows found in /);
  });

  it('wants exactly one identifier, and a subcommand', async () => {
    const two = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, '--email', 'a@b.se', '--phone', '0701234567']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/exactly one of/);
    const none = await runCli(['subject', '--source', db.url]);
    expect(none.code).toBe(2);
    const bad = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, '--phone', 'secret-ish']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('secret-ish');
  });
});
