import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { useDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';

// A folder named as the place of Skatteverket's lists that holds none of them.
const empty = mkdtempSync(join(tmpdir(), 'pgmask-no-lists-'));
const env = { PGMASK_TESTDATA_DIR: empty };

const RULES = `version: 1
tables:
  public.notes:
    columns:
      id: keep
      body: text.scrub
`;

const DUMP = [
  "SET client_encoding = 'UTF8';",
  'CREATE TABLE public.notes (id integer, body text);',
  'COPY public.notes (id, body) FROM stdin;',
  '1\tRing tillbaka',
  '2\tPnr 811218-9876 bekräftat',
  '\\.',
  '',
].join('\n');

describe("a rule whose data is missing (text.scrub without Skatteverket's lists) stops every command before a byte is written", async () => {
  const db = await useDatabase('pgmask_data_needs');
  const { file } = writeRulesFile('pgmask-data-needs-', RULES);

  it('validate fails, naming the rule and where it looked, with or without --source', async () => {
    for (const args of [[], ['--source', db.url]]) {
      const result = await runCli(['validate', '--rules', file, ...args], { env });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${file}:6:7: error TESTDATA_MISSING`);
      expect(result.stdout).toContain(`${join(empty, 'testpersonnummer.txt')} (PGMASK_TESTDATA_DIR)`);
    }
    const given = await runCli(['validate', '--rules', file, '--testdata-dir', empty], { env: { PGMASK_TESTDATA_DIR: '' } });
    expect(given.code).toBe(1);
    expect(given.stdout).toContain('(the test-data folder given)');
    expect((await runCli(['validate', '--rules', file], { env: { PGMASK_TESTDATA_DIR: '' } })).code).toBe(0);
  });

  it('mask writes nothing at all', async () => {
    const result = await runCli(['mask', '--rules', file], { env, input: DUMP });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('the rules need data that is missing (1 error(s)); nothing was written');
    const masked = await runCli(['mask', '--rules', file], { env: { PGMASK_TESTDATA_DIR: '' }, input: DUMP });
    expect(masked.code).toBe(0);
    expect(masked.stdout).not.toContain('811218-9876');
  });

  it('copy writes nothing at all: the target keeps the rows it held', async () => {
    await db.query('CREATE TABLE notes (id integer, body text)');
    await db.query("INSERT INTO notes VALUES (1, 'Ring tillbaka'), (2, 'Pnr 811218-9876 bekräftat')");
    const target = await useDatabase('pgmask_data_needs_target');
    await target.query("CREATE TABLE notes (id integer, body text); INSERT INTO notes VALUES (7, 'earlier copy')");
    const result = await runCli(['copy', '--source', db.url, '--target', target.url, '--rules', file, '--schema', 'existing', '--yes'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TESTDATA_MISSING');
    expect(await target.query('SELECT id, body FROM notes')).toEqual([{ id: 7, body: 'earlier copy' }]);
  });
});
