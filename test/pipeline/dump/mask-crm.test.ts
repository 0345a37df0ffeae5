import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCrm } from '../../../fixtures/crm/seed.js';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { counts, pgDump, psqlRestore, shell } from '../../support/pg-tools.js';
import { testdataDir } from '../../transformers/support.js';

const TABLES = ['customers', 'contacts', 'orders', 'invoices', 'newsletter_signups', 'audit_log'];
const dir = mkdtempSync(join(tmpdir(), 'pgmask-mask-'));
const keepAll = join(dir, 'keep.yaml');
writeFileSync(keepAll, 'version: 1\nunlisted: keep\ntables: {}\n');

describe('pgmask mask on a pg_dump of the CRM fixture', await needsPgDump(), async () => {
  const source = await useDatabase('pgmask_mask_src');
  let dump = '';
  const dumpFile = join(dir, 'crm.sql');
  beforeAll(async () => {
    // Originals outside Skatteverket's test list (the seed's fallback, in a database that is
    // dropped): the masked numbers come from that list, so an original found in the target
    // would be a leak, not a draw from the same list.
    await seedCrm(source.url, { customers: 500, testdataDir: mkdtempSync(join(tmpdir(), 'pgmask-no-list-')) });
    await source.query("INSERT INTO audit_log (at, actor, action, payload) SELECT now(), email, 'login', jsonb_build_object('pnr', personnummer) FROM customers LIMIT 50");
    dump = await pgDump(source.url);
    writeFileSync(dumpFile, dump);
  });

  it('masks a dump that psql restores with no error, leaving no original value of a masked column', async () => {
    const target = await createDatabase('pgmask_mask_crm');
    const reportFile = join(dir, 'report.json');
    try {
      const result = await runCli(['mask', '--rules', 'rules/crm.yaml', '--report', reportFile], { input: dump });
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      const restore = await psqlRestore(target.url, result.stdout);
      expect(restore.stderr).toBe('');
      expect(restore.code).toBe(0);

      const expected = await counts((sql) => source.query(sql), TABLES);
      expect(await counts((sql) => target.query(sql), TABLES)).toEqual({ ...expected, audit_log: 0 });
      expect(expected.audit_log).toBeGreaterThanOrEqual(50);

      const originals = await source.query<{ personnummer: string; email: string; phone: string }>('SELECT personnummer, email, phone FROM customers');
      const signups = await source.query<{ email: string }>('SELECT email FROM newsletter_signups');
      const restored = await pgDump(target.url);
      const values = [...originals.flatMap((o) => [o.personnummer, o.email, o.phone]), ...signups.map((s) => s.email)];
      expect(values.filter((v) => restored.includes(v))).toEqual([]);
      const digits = new Set(restored.match(/\d{12}/g) ?? []);
      expect(originals.filter((o) => digits.has(o.personnummer.replace('-', '')))).toEqual([]);
      // Every masked personnummer is one of Skatteverket's test numbers, row by row.
      const list = readFileSync(join(testdataDir(), 'testpersonnummer.txt'), 'utf8').split('\n');
      const tenDigit = new Set(list.map((n) => n.slice(2)));
      const masked = await target.query<{ personnummer: string }>('SELECT personnummer FROM customers');
      expect(masked.filter((m) => !tenDigit.has(m.personnummer.replace('-', '').slice(-10)))).toEqual([]);
      // Also nothing in pgmask's own output or report.
      expect(values.filter((v) => result.stdout.includes(v))).toEqual([]);
      const report = readFileSync(reportFile, 'utf8');
      expect(values.filter((v) => report.includes(v) || result.stderr.includes(v))).toEqual([]);

      // The same e-mail in two tables gets the same pseudonym: the join still matches.
      const joinSql = 'SELECT count(*)::int AS n FROM newsletter_signups s JOIN customers c ON c.email = s.email';
      const [before] = await source.query<{ n: number }>(joinSql);
      const [after] = await target.query<{ n: number }>(joinSql);
      expect(before!.n).toBeGreaterThan(0);
      expect(after!.n).toBe(before!.n);
      // Kept columns are kept.
      const kept = 'SELECT id, status, created_at FROM customers ORDER BY id';
      expect((await target.copyOut(kept)).equals(await source.copyOut(kept))).toBe(true);

      expect(JSON.parse(report)).toMatchObject({
        command: 'mask',
        outcome: 'succeeded',
        rules: { file: 'rules/crm.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        tables: expect.arrayContaining([
          expect.objectContaining({ table: 'public.customers', status: 'copied', rows: 500, columns: expect.objectContaining({ personnummer: 'se.personnummer', id: 'keep' }) }),
          expect.objectContaining({ table: 'public.audit_log', status: 'skipped', rows: 0 }),
        ]),
      });
    } finally {
      await target.drop();
    }
  });

  it('works as a pipe: pg_dump | pgmask mask | psql', async () => {
    const target = await createDatabase('pgmask_mask_pipe');
    try {
      const result = await shell(
        `pg_dump --no-owner --dbname '${source.url}' | node bin/pgmask.js mask --rules rules/crm.yaml | psql -X -q -v ON_ERROR_STOP=1 --dbname '${target.url}' > /dev/null`,
      );
      expect(result.stderr).toContain('succeeded');
      expect(result.stderr).not.toMatch(/ERROR/);
      expect(result.code).toBe(0);
      expect(await counts((sql) => target.query(sql), TABLES)).toEqual({ ...(await counts((sql) => source.query(sql), TABLES)), audit_log: 0 });
    } finally {
      await target.drop();
    }
  });

  it('gives the dump back byte for byte when every column is kept', async () => {
    const out = join(dir, 'kept.sql');
    const result = await runCli(['mask', '--rules', keepAll, '--in', dumpFile, '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(dumpFile))).toBe(true);
  });

  it('stops at a table the rules do not cover, with exit code 1, and leaves no --out file', async () => {
    const rules = join(dir, 'partial.yaml');
    writeFileSync(rules, readFileSync('rules/crm.yaml', 'utf8').replace(/  public\.orders:\n(    .*\n|      .*\n)*/, ''));
    expect(readFileSync(rules, 'utf8')).not.toContain('public.orders');
    const out = join(dir, 'partial-out.sql');
    const result = await runCli(['mask', '--rules', rules, '--in', dumpFile, '--out', out]);
    expect(result.code).toBe(1);
    const line = dump.split('\n').findIndex((l) => l.startsWith('COPY public.orders ')) + 1;
    expect(result.stderr).toContain(`pgmask: dump line ${line}: table public.orders has no rules; add it under tables: in ${rules}`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('partial-out'))).toEqual([]);
  });

  it('refuses INSERT-style dumps with exit code 2 and says to dump with COPY', async () => {
    for (const option of ['--inserts', '--column-inserts']) {
      const inserts = join(dir, `inserts${option}.sql`);
      writeFileSync(inserts, await pgDump(source.url, [option]));
      const out = join(dir, `inserts${option}.out.sql`);
      const result = await runCli(['mask', '--rules', 'rules/crm.yaml', '--in', inserts, '--out', out]);
      expect(result.code, option).toBe(2);
      const line =
        readFileSync(inserts, 'utf8')
          .split('\n')
          .findIndex((l) => l.startsWith('INSERT INTO')) + 1;
      expect(result.stderr).toContain(`pgmask: dump line ${line}: the dump holds INSERT statements (pg_dump --inserts, --column-inserts or --rows-per-insert)`);
      expect(result.stderr).toMatch(/COPY/);
      expect(existsSync(out)).toBe(false);
      // To stdout: nothing of the first INSERT went out.
      const stdout = await runCli(['mask', '--rules', 'rules/crm.yaml', '--in', inserts]);
      expect(stdout.code).toBe(2);
      expect(stdout.stdout).not.toContain('INSERT INTO');
    }
  });

  it('refuses a custom-format dump with exit code 2, pointing to plain format', async () => {
    const custom = join(dir, 'crm.dump');
    const made = await shell(`pg_dump -Fc --no-owner --dbname '${source.url}' > '${custom}'`);
    expect(made.code).toBe(0);
    const result = await runCli(['mask', '--rules', 'rules/crm.yaml', '--in', custom]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/custom-format dump .*plain.*pg_restore -f -/);
    expect(result.stdout).toBe('');
  });
});
