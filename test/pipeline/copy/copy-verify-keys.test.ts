import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase, useDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';

/** The tables of the source, bare: no key, no index, as a target made by hand may hold them. */
const BARE_TABLES = `
  CREATE TABLE regions (id int NOT NULL, code text NOT NULL);
  CREATE TABLE staff (id int NOT NULL, region_id int, region_code text, boss int);`;

const keep = writeRulesFile('pgmask-verify-keys-', 'version: 1\nunlisted: keep\ntables:\n  public.regions:\n    columns:\n      id: keep\n      code: keep\n').file;

async function bareTarget(): Promise<TestDatabase> {
  const target = await createDatabase('pgmask_verify_dst');
  await target.query(BARE_TABLES);
  return target;
}

describe("pgmask copy --schema existing: the source's foreign keys are checked on the target", async () => {
  const source = await useDatabase('pgmask_verify_src');
  await source.query(`
    ${BARE_TABLES}
    INSERT INTO regions SELECT i, 'r' || i FROM generate_series(1, 100000) i;
    INSERT INTO staff SELECT i, 1 + i % 100000, 'r' || (1 + i % 100000), CASE WHEN i % 7 = 0 THEN -i END FROM generate_series(1, 200000) i;
    ALTER TABLE regions ADD PRIMARY KEY (id);
    ALTER TABLE regions ADD CONSTRAINT regions_code_key UNIQUE (code);
    ALTER TABLE staff ADD CONSTRAINT staff_region_fkey FOREIGN KEY (region_id) REFERENCES regions (id);
    ALTER TABLE staff ADD CONSTRAINT staff_region_code_fkey FOREIGN KEY (region_code) REFERENCES regions (code);
    -- Rows older than this key break it on the source already: the copy is not to blame.
    ALTER TABLE staff ADD PRIMARY KEY (id);
    ALTER TABLE staff ADD CONSTRAINT staff_boss_fkey FOREIGN KEY (boss) REFERENCES staff (id) NOT VALID;`);

  it('checks 200,000 rows against 100,000 in seconds on a target without the referenced indexes, and leaves a key NOT VALID on the source unchecked', async () => {
    const target = await bareTarget();
    try {
      const started = Date.now();
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', keep, '--schema', 'existing'], { timeoutMs: 60_000 });
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      // Planned as EXISTS, the check compared every row with every row: minutes for these two tables.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await target.query('SELECT count(*)::int AS n FROM staff WHERE boss IS NOT NULL')).toEqual([{ n: 28571 }]);
    } finally {
      await target.drop();
    }
  }, 90_000);

  it('fails the run, naming the table, the key and how many rows break it and no value, when masked rows break a key', async () => {
    const { file } = writeRulesFile(
      'pgmask-verify-keys-',
      'version: 1\nunlisted: keep\ntables:\n  public.staff:\n    columns:\n      id: keep\n      region_id: keep\n      region_code: { transform: hash, length: 8 }\n      boss: keep\n',
    );
    const target = await bareTarget();
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', file, '--schema', 'existing'], { timeoutMs: 60_000 });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/table public\.staff: 200000 rows whose foreign key \W*"staff_region_code_fkey"\W* points at no row of public\.regions/);
      expect(result.stderr).not.toMatch(/\br\d+\b/);
    } finally {
      await target.drop();
    }
  }, 90_000);
});
