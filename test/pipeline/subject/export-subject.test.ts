import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';
import { ANNA, BERTIL, CRM_RULES, createCrm } from './crm-fixture.js';

describe('pgmask subject export', () => {
  let db: TestDatabase;
  let rules: string;
  let dir: string;
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    db = await createDatabase('pgmask_subject_export');
    await createCrm(db);
    // Types the export must keep: bytea, int8, numeric, timestamptz, a json document.
    await db.query(`
      CREATE TABLE documents (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, content bytea, size int8, fee numeric(10, 2), sent timestamptz, meta jsonb);
      INSERT INTO documents VALUES (1, 1, '\\x00ff10'::bytea, 9007199254740993, 12.50, '2026-12-07 10:00:00+01', '{"pages": 2}'), (2, 2, NULL, 1, 1, NULL, NULL);`);
    rules = writeRulesFile(
      'pgmask-subject-export-',
      `${CRM_RULES.replace('tables:', 'tables:\n  public.documents: { columns: { id: keep, customer_id: keep, content: keep, size: keep, fee: keep, sent: keep, meta: keep } }')}`,
    ).file;
    dir = await mkdtemp(join(tmpdir(), 'pgmask-export-'));
  }, 60_000);

  it('writes every column of every row found, types kept, mode 0600, and says what the file holds', async () => {
    const out = join(dir, 'anna.json');
    const run = await runCli(['subject', 'export', '--source', db.url, '--rules', rules, '--email', ANNA.emailAsked, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^wrote \d+ rows of \d+ tables to .*anna\.json with mode 0600: it holds the person's data/);
    expect(run.stderr).not.toContain(ANNA.emailStored);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.by).toBe('email');
    const table = (name: string) => doc.tables.find((t: { table: string }) => t.table === name);
    expect(table('public.customers').rows).toEqual([{ id: 1, personnummer: ANNA.personnummerStored, email: ANNA.emailStored, phone: ANNA.phoneStored, name: 'Anna Svensson' }]);
    expect(table('public.documents').rows).toEqual([
      { id: 1, customer_id: 1, content: 'AP8Q', size: '9007199254740993', fee: '12.50', sent: '2026-12-07T09:00:00+00:00', meta: { pages: 2 } },
    ]);
    expect(JSON.stringify(doc)).not.toContain(BERTIL.email);
  });

  it('never writes over a file, and wants --out', async () => {
    const out = join(dir, 'taken.json');
    await writeFile(out, 'x');
    const taken = await runCli(['subject', 'export', '--source', db.url, '--rules', rules, '--email', ANNA.emailAsked, '--out', out]);
    expect(taken.code).toBe(2);
    expect(await readFile(out, 'utf8')).toBe('x');
    const none = await runCli(['subject', 'export', '--source', db.url, '--rules', rules, '--email', ANNA.emailAsked]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs --out FILE/);
  });
});
