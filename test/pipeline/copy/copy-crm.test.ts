import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCrm } from '../../../fixtures/crm/seed.js';
import { SHIPPED_TESTDATA } from '../../../src/se/testdata.js';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';

const CRM_TABLES = ['customers', 'contacts', 'orders', 'invoices', 'newsletter_signups'];
const dir = mkdtempSync(join(tmpdir(), 'pgmask-copy-'));
const keepAll = join(dir, 'keep.yaml');
writeFileSync(keepAll, 'version: 1\nunlisted: keep\ntables:\n  public.audit_log:\n    skip: true\n');

describe('pgmask copy on the CRM fixture', async () => {
  const source = await useDatabase('pgmask_crm_src');
  const pgDump = await needsPgDump();
  beforeAll(async () => {
    await seedCrm(source.url, { customers: 600 });
  });

  it('copies every table byte-identical when every column is kept', pgDump, async () => {
    const target = await createDatabase('pgmask_crm_keep');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', keepAll, '--jobs', '2']);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      for (const table of CRM_TABLES) {
        expect((await target.copyOut(table)).equals(await source.copyOut(table)), table).toBe(true);
      }
      expect(await target.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 0 }]);
      // Generated columns are recomputed, sequences continue after the copied rows, matviews are refreshed.
      expect((await target.copyOut('SELECT total_with_vat FROM invoices ORDER BY id')).equals(await source.copyOut('SELECT total_with_vat FROM invoices ORDER BY id'))).toBe(true);
      const [next] = await target.query<{ id: string }>("INSERT INTO orders (customer_id, ordered_at, amount, status) VALUES (1, now(), 1, 'new') RETURNING id");
      expect(Number(next!.id)).toBe(1201);
      const [totals] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM customer_order_totals');
      expect(totals!.n).toBe(600);
      // Indexes and constraints were built after the load.
      const [indexes] = await target.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'");
      const [sourceIndexes] = await source.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'");
      expect(indexes!.n).toBe(sourceIndexes!.n);
    } finally {
      await target.drop();
    }
  });

  for (const mode of ['create', 'existing'] as const) {
    it(`masks every personal column, consistently across tables, and leaves no original value in the target (--schema ${mode})`, mode === 'create' ? pgDump : {}, async () => {
      const target = await createDatabase('pgmask_crm_mask');
      const reportFile = join(dir, `report-${mode}.json`);
      try {
        if (mode === 'existing') await target.runFile('fixtures/crm/schema.sql');
        const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', 'rules/crm.yaml', '--report', reportFile, '--schema', mode]);
        expect(result.stderr).toContain('succeeded');
        expect(result.code).toBe(0);
        expect(result.stdout).toBe('');

        const originals = await source.query<{ id: string; personnummer: string; email: string; phone: string; notes: string | null }>(
          'SELECT id, personnummer, email, phone, notes FROM customers ORDER BY id',
        );
        const dump = await target.allRowsText();
        const ibans = await source.query<{ payer_iban: string }>('SELECT payer_iban FROM invoices WHERE payer_iban IS NOT NULL');
        expect(ibans.length).toBeGreaterThan(0);
        const leaks = [...originals.flatMap((o) => [o.email, o.phone]), ...ibans.map((i) => i.payer_iban)].filter((v) => dump.includes(v));
        expect(leaks).toEqual([]);
        // The fixture's personnummer come from the same official test list the pseudonyms come
        // from, so another customer's pseudonym may equal this one's original: check row by row.
        const masked = await target.query<{ id: string; personnummer: string; notes: string | null; metadata: unknown }>(
          'SELECT id, personnummer, notes, metadata FROM customers ORDER BY id',
        );
        const digits = (s: string): string => s.replace(/\D/g, '').slice(-10);
        const sameRow = originals.filter((o, i) => {
          const m = masked[i]!;
          return digits(m.personnummer) === digits(o.personnummer) || (m.notes ?? '').replace(/\D/g, '').includes(digits(o.personnummer));
        });
        expect(sameRow.map((o) => o.id)).toEqual([]);

        // Same e-mail in two tables, same pseudonym: the join still matches.
        const [sourceJoin] = await source.query<{ n: number }>('SELECT count(*)::int AS n FROM newsletter_signups s JOIN customers c ON c.email = s.email');
        const [targetJoin] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM newsletter_signups s JOIN customers c ON c.email = s.email');
        expect(sourceJoin!.n).toBeGreaterThan(0);
        expect(targetJoin!.n).toBe(sourceJoin!.n);

        // Row counts match, the masked birth date follows the masked personnummer.
        for (const table of CRM_TABLES) {
          const [a] = await source.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          const [b] = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          expect(b!.n, table).toBe(a!.n);
        }
        const incoherent = await target.query(
          "SELECT id FROM customers WHERE birth_date <> to_date(CASE WHEN length(personnummer) >= 12 THEN left(personnummer, 8) ELSE NULL END, 'YYYYMMDD')",
        );
        expect(incoherent).toEqual([]);

        const report = JSON.parse(readFileSync(reportFile, 'utf8'));
        expect(report).toMatchObject({
          command: 'copy',
          outcome: 'succeeded',
          rules: { file: 'rules/crm.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
          key: { fingerprint: expect.any(String) },
          source: { database: source.name },
          target: { database: target.name },
          schema: mode,
        });
        const customers = report.tables.find((t: { table: string }) => t.table === 'public.customers');
        expect(customers).toMatchObject({ status: 'copied', rows: 600, columns: { personnummer: 'se.personnummer', id: 'keep' } });
        expect(report.tables.find((t: { table: string }) => t.table === 'public.audit_log').status).toBe('skipped');
        const text = readFileSync(reportFile, 'utf8');
        expect(originals.some((o) => text.includes(o.email) || text.includes(o.personnummer))).toBe(false);
      } finally {
        await target.drop();
      }
    });
  }

  it('refuses to copy a database onto itself', async () => {
    const result = await runCli(['copy', '--source', source.url, '--target', source.url, '--rules', keepAll]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/target is the source/);
  });

  it('writes nothing on --dry-run and prints the plan', async () => {
    const target = await createDatabase('pgmask_crm_dry');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', 'rules/crm.yaml', '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('public.customers');
      expect(result.stdout).toContain('personnummer: se.personnummer');
      expect(await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ n: 0 }]);
    } finally {
      await target.drop();
    }
  });

  it('uses the test lists shipped with pgmask when nothing is configured, and refuses a --testdata-dir without them before writing anything', async () => {
    const target = await createDatabase('pgmask_crm_lists');
    const home = mkdtempSync(join(tmpdir(), 'pgmask-home-'));
    const env = { PGMASK_TESTDATA_DIR: '', HOME: home, XDG_CACHE_HOME: join(home, 'cache') };
    try {
      await target.runFile('fixtures/crm/schema.sql');
      const copy = ['copy', '--source', source.url, '--target', target.url, '--rules', 'rules/crm.yaml', '--schema', 'existing'];
      const missing = await runCli([...copy, '--testdata-dir', home], { env });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`test personnummer list was not found at ${join(home, 'testpersonnummer.txt')} (the test-data folder given)`);
      expect(await target.query('SELECT count(*)::int AS n FROM customers')).toEqual([{ n: 0 }]);
      const shipped = await runCli(copy, { env });
      expect(shipped.code).toBe(0);
      // Written with 12 or 10 digits, as the source wrote them: the digits are those of a number in the shipped list.
      const list = readFileSync(join(SHIPPED_TESTDATA.dir, 'testpersonnummer.txt'), 'utf8').trim().split('\n');
      const known = new Set([...list, ...list.map((n) => n.slice(2))]);
      const masked = await target.query<{ personnummer: string }>('SELECT personnummer FROM customers');
      expect(masked.length).toBeGreaterThan(0);
      for (const { personnummer } of masked) expect(known.has(personnummer.replace('-', ''))).toBe(true);
    } finally {
      await target.drop();
    }
  });

  it('loads into an existing schema, refusing non-empty tables without --yes', async () => {
    const target = await createDatabase('pgmask_crm_existing');
    try {
      await target.runFile('fixtures/crm/schema.sql');
      await target.query("INSERT INTO newsletter_signups VALUES ('stale@example.com', now())");
      // A user trigger of the application's own that must stay out of the way during the load.
      await target.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no inserts'; END $$;
        CREATE TRIGGER customers_refuse BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION refuse();`);
      const refused = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', keepAll]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/--yes/);
      expect(await target.query('SELECT count(*)::int AS n FROM newsletter_signups')).toEqual([{ n: 1 }]);

      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', 'rules/crm.yaml', '--schema', 'existing', '--yes']);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      for (const table of CRM_TABLES) {
        const [a] = await source.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        const [b] = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        expect(b!.n, table).toBe(a!.n);
      }
      expect(await target.query("SELECT count(*)::int AS n FROM newsletter_signups WHERE email = 'stale@example.com'")).toEqual([{ n: 0 }]);
      // The trigger is still there and enabled afterwards.
      expect(await target.query("SELECT tgenabled FROM pg_trigger WHERE tgname = 'customers_refuse'")).toEqual([{ tgenabled: 'O' }]);
    } finally {
      await target.drop();
    }
  });

  it('says which pg_dump it needs when the one on PATH is too old for the source server', async () => {
    const bin = join(dir, 'old-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 11.22"\n', { mode: 0o755 });
    const target = await createDatabase('pgmask_crm_olddump');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', keepAll], { env: { PATH: `${bin}:${process.env['PATH']}` } });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/pg_dump 11 cannot dump a PostgreSQL \d+ server; install pg_dump \d+ or newer, or use --schema existing/);
      expect(await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ n: 0 }]);
    } finally {
      await target.drop();
    }
  });

  it('refuses a target whose schema drifted from the source', async () => {
    const target = await createDatabase('pgmask_crm_drift');
    try {
      await target.runFile('fixtures/crm/schema.sql');
      await target.query('ALTER TABLE orders DROP COLUMN delivery_address');
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', keepAll, '--schema', 'existing', '--yes']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/public\.orders\.delivery_address: missing on the target/);
      expect(result.stderr).not.toMatch(/pending/);
    } finally {
      await target.drop();
    }
  });
});
