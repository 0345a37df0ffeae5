import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase, useDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';

const TABLES = `
  CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, phone_number text);
  CREATE TABLE audit (id int PRIMARY KEY, action text);`;

/** The rules written before users.phone_number was added: the top-level keep is for tables without an entry. */
const BEFORE = 'version: 1\nunlisted: keep\ntables:\n  public.users:\n    columns:\n      id: keep\n      email: email\n';

async function emptyTarget(): Promise<TestDatabase> {
  const target = await createDatabase('pgmask_unlisted_dst');
  await target.query(TABLES);
  return target;
}

describe('pgmask copy: a new column in a listed table', async () => {
  const source = await useDatabase('pgmask_unlisted_src');
  await source.query(`
    ${TABLES}
    INSERT INTO users SELECT i, 'user' || i || '@corp.se', '070-17406' || lpad(i::text, 2, '0') FROM generate_series(1, 50) i;
    INSERT INTO audit SELECT i, 'login' FROM generate_series(1, 10) i;`);

  const copy = (rules: string, target: TestDatabase) =>
    runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--schema', 'existing', '--yes'], { timeoutMs: 60_000 });

  it('is refused under the top-level unlisted: keep, before a row moves, saying what to do', async () => {
    const { file } = writeRulesFile('pgmask-unlisted-', BEFORE);
    const target = await emptyTarget();
    try {
      const result = await copy(file, target);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain(
        'COLUMN_WITHOUT_RULE public.users.phone_number has no rule (the top-level unlisted: keep covers only tables with no entry); give it a rule under columns: of public.users (keep, if it holds nothing personal), or opt the table out with unlisted: keep in its entry to copy its columns without a rule unchanged',
      );
      expect(result.stdout + result.stderr).not.toMatch(/070-17406|@corp\.se/);
      expect(await target.query('SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM audit) AS audit')).toEqual([{ users: 0, audit: 0 }]);
    } finally {
      await target.drop();
    }
  }, 90_000);

  it('is copied unchanged when the table opts out with its own unlisted: keep', async () => {
    const { file } = writeRulesFile('pgmask-unlisted-', BEFORE.replace('  public.users:\n', '  public.users:\n    unlisted: keep\n'));
    const target = await emptyTarget();
    try {
      const result = await copy(file, target);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      const phones = 'SELECT id, phone_number FROM users ORDER BY id';
      expect(await target.query(phones)).toEqual(await source.query(phones));
      expect(await target.query("SELECT count(*)::int AS n FROM users WHERE email LIKE '%@corp.se'")).toEqual([{ n: 0 }]);
      const audit = 'SELECT * FROM audit ORDER BY id';
      expect(await target.query(audit)).toEqual(await source.query(audit));
    } finally {
      await target.drop();
    }
  }, 90_000);
});
