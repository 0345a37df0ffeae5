import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/parse-rules.js';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';
import { ANNA, BERTIL, CRM_RULES, createCrm } from './crm-fixture.js';

/** The CRM rules with a `subject:` policy per table: invoices retained, customers and devices masked, the rest deleted. */
function eraseRules(policies: Record<string, string>): string {
  let text = CRM_RULES;
  const listed = ['customers', 'contacts', 'notes', 'newsletter_signups', 'devices', 'customer_archive'];
  for (const table of listed) {
    if (policies[table]) text = text.replace(`  public.${table}:\n`, `  public.${table}:\n    subject: ${policies[table]}\n`);
  }
  const others = Object.entries(policies)
    .filter(([table]) => !listed.includes(table))
    .map(([table, policy]) => `  public.${table}:\n    unlisted: keep\n    subject: ${policy}\n`)
    .join('');
  return text.replace('subset:\n', `${others}subset:\n`);
}

const POLICIES: Record<string, string> = {
  customers: 'mask',
  contacts: 'delete',
  orders: 'delete',
  order_lines: 'delete',
  invoices: '{ retain: "bokföringslagen" }',
  notes: 'delete',
  newsletter_signups: 'delete',
  devices: 'mask',
  customer_archive: 'delete',
  events: 'delete',
  audit_entries: 'delete',
};

/** Every row that is not Anna's, as JSON: none of them may change. */
async function othersDump(db: TestDatabase): Promise<string> {
  const parts: string[] = [];
  for (const [table, where] of [
    ['customers', 'id = 2'],
    ['contacts', 'id = 2'],
    ['orders', 'id = 20'],
    ['order_lines', 'order_id = 20'],
    ['invoices', 'id IN (200, 300)'],
    ['notes', 'id IN (3, 4)'],
    ['newsletter_signups', `email IN ('${BERTIL.email}', 'x${ANNA.emailStored}')`],
    ['devices', 'id IN (2, 3)'],
    ['customer_archive', 'id = 2'],
    ['products', 'true'],
    ['events', 'id = 3'],
    ['audit_entries', 'id IN (2, 3)'],
  ]) {
    const rows = await db.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM ${table} t WHERE ${where} ORDER BY 1`);
    parts.push(`${table}: ${rows.map((r) => r.j).join(' | ')}`);
  }
  return parts.join('\n');
}

const tmp = (name: string): string => join(tmpdir(), `pgmask-erase-${process.pid}-${Math.random().toString(36).slice(2)}-${name}`);

describe('subject: policies in the rules file', () => {
  it('reads delete, mask and { retain: reason }, and refuses a retain without a reason, with its position', () => {
    const good = parseRules('version: 1\ntables:\n  a:\n    subject: delete\n  b:\n    subject: mask\n  c:\n    subject: { retain: "bokföringslagen" }\n', 'r.yaml');
    expect(good.findings).toEqual([]);
    expect([...good.rules!.tables.values()].map((t) => t.subject)).toEqual([{ kind: 'delete' }, { kind: 'mask' }, { kind: 'retain', reason: 'bokföringslagen' }]);
    for (const bad of ['{ retain: "" }', '{ retain: "  " }', 'keep', '{ retain: x, why: y }', '{ reason: x }']) {
      const parsed = parseRules(`version: 1\ntables:\n  a:\n    subject: ${bad}\n`, 'r.yaml');
      expect(parsed.rules).toBeUndefined();
      expect(parsed.findings).toHaveLength(1);
      expect(parsed.findings[0]).toMatchObject({ code: 'RULES_INVALID_VALUE', table: 'public.a', file: { line: 4 } });
      expect(parsed.findings[0]!.message).toMatch(/subject of table public\.a must be delete, mask or \{ retain: "reason" \}/);
    }
  });
});

describe('pgmask subject erase: plans and refusals', () => {
  let db: TestDatabase;
  afterAll(() => db?.drop());
  let rules: string;

  beforeAll(async () => {
    db = await createDatabase('pgmask_subject_erase_plan');
    await createCrm(db);
    rules = writeRulesFile('pgmask-subject-erase-', eraseRules(POLICIES)).file;
  }, 60_000);

  const erase = (rulesFile: string, ...more: string[]) => runCli(['subject', 'erase', '--source', db.url, '--rules', rulesFile, '--personnummer', ANNA.personnummerAsked, ...more]);

  it('without --execute changes nothing: prints the plan and writes the script (mode 0600) in foreign-key order', async () => {
    const before = await db.allRowsText();
    const script = tmp('erase.sql');
    const audit = tmp('audit.json');
    const run = await erase(rules, '--script', script, '--audit', audit);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/nothing changed \(--execute runs it\)/);
    expect(run.stdout).toMatch(/^ {2}public\.invoices: 1 row to retain: bokföringslagen$/m);
    expect(run.stdout).toMatch(/^ {2}public\.order_lines: 3 rows to delete$/m);
    expect(run.stdout).toMatch(/^ {2}public\.customers: 1 row to mask$/m);
    expect(await db.allRowsText()).toBe(before);
    expect(statSync(script).mode & 0o777).toBe(0o600);
    const sql = readFileSync(script, 'utf8');
    expect(sql).toMatch(/^BEGIN;$/m);
    expect(sql).toMatch(/COMMIT;\n$/);
    expect(sql).toMatch(/^DELETE FROM ONLY "public"\."order_lines" WHERE \("order_id", "line"\) IN \(\('10', '1'\), \('10', '2'\), \('11', '1'\)\);$/m);
    expect(sql.indexOf('DELETE FROM ONLY "public"."order_lines"')).toBeLessThan(sql.indexOf('DELETE FROM ONLY "public"."orders"'));
    expect(sql).toMatch(/^UPDATE ONLY "public"\."customers" SET .* WHERE \("id"\) = \('1'\);$/m);
    expect(sql).not.toContain(ANNA.personnummerStored);
    expect(sql).not.toMatch(/"invoices"/);
    const record = JSON.parse(readFileSync(audit, 'utf8'));
    expect(record).toMatchObject({ command: 'erase', by: 'personnummer', executed: false, retained: [{ table: 'public.invoices', rows: 1, reason: 'bokföringslagen' }] });
  });

  it('refuses a table with rows and no policy, naming it; nothing changes', async () => {
    const before = await db.allRowsText();
    const { invoices: _, ...rest } = POLICIES;
    const run = await erase(writeRulesFile('pgmask-subject-erase-', eraseRules(rest)).file, '--execute');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/table public\.invoices holds rows of the person but no subject: policy/);
    expect(await db.allRowsText()).toBe(before);
  });

  it('refuses to delete a parent that a retained row references, naming both tables and the key', async () => {
    const before = await db.allRowsText();
    const run = await erase(writeRulesFile('pgmask-subject-erase-', eraseRules({ ...POLICIES, customers: 'delete' })).file, '--execute');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/retained rows of public\.invoices reference rows of public\.customers to be deleted, through foreign key invoices_customer_id_fkey/);
    expect(run.stderr).toMatch(/subject: mask/);
    expect(await db.allRowsText()).toBe(before);
  });

  it('a failure while erasing rolls everything back and says so', async () => {
    await db.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no deletes today'; END $$;
      CREATE TRIGGER refuse BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION refuse();`);
    try {
      const before = await db.allRowsText();
      const run = await erase(rules, '--execute');
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/subject erase failed and was rolled back, nothing changed/);
      expect(await db.allRowsText()).toBe(before);
    } finally {
      await db.query('DROP TRIGGER refuse ON orders; DROP FUNCTION refuse();');
    }
  });

  it('refuses deletes along foreign keys in a cycle', async () => {
    await db.query(`CREATE TABLE cyc_a (id int PRIMARY KEY, b_id int);
      CREATE TABLE cyc_b (id int PRIMARY KEY, a_id int REFERENCES cyc_a);
      ALTER TABLE cyc_a ADD FOREIGN KEY (b_id) REFERENCES cyc_b;
      INSERT INTO cyc_a VALUES (1, NULL); INSERT INTO cyc_b VALUES (1, 1); UPDATE cyc_a SET b_id = 1;`);
    try {
      const file = writeRulesFile(
        'pgmask-subject-erase-',
        `${eraseRules(POLICIES).replace('subset:\n', '  public.cyc_a: { unlisted: keep, subject: delete }\n  public.cyc_b: { unlisted: keep, subject: delete }\nsubset:\n')}`,
      ).file;
      const run = await runCli(['subject', 'erase', '--source', db.url, '--rules', file, '--where', 'public.cyc_a: id = 1', '--execute']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/the foreign keys between public\.cyc_a, public\.cyc_b form a cycle/);
      expect(await db.query('SELECT count(*)::int AS n FROM cyc_b')).toEqual([{ n: 1 }]);
    } finally {
      await db.query('DROP TABLE cyc_a, cyc_b CASCADE');
    }
  });

  it('find and export write an audit record too: counts, no value', async () => {
    const audit = tmp('find-audit.json');
    const find = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, '--email', ANNA.emailAsked, '--audit', audit]);
    expect(find.code, find.stderr).toBe(0);
    const text = readFileSync(audit, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ command: 'find', by: 'email', executed: false, summary: { found: Number(find.stdout.match(/found (\d+) rows/)![1]) } });
    for (const secret of [ANNA.emailStored, ANNA.personnummerStored]) expect(text.toLowerCase()).not.toContain(secret);
    const exportAudit = tmp('export-audit.json');
    const exported = await runCli(['subject', 'export', '--source', db.url, '--rules', rules, '--email', ANNA.emailAsked, '--out', tmp('export.json'), '--audit', exportAudit]);
    expect(exported.code, exported.stderr).toBe(0);
    const record = JSON.parse(readFileSync(exportAudit, 'utf8'));
    expect(record.command).toBe('export');
    expect(record.summary.exported).toBe(record.summary.found);
  });

  it('a person with no rows: nothing to do, exit 0', async () => {
    const run = await runCli(['subject', 'erase', '--source', db.url, '--rules', rules, '--phone', '0709999999', '--execute']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/nothing to erase/);
  });
});

describe('pgmask subject erase --execute', () => {
  let db: TestDatabase;
  afterAll(() => db?.drop());
  let rules: string;

  beforeAll(async () => {
    db = await createDatabase('pgmask_subject_erase_run');
    await createCrm(db);
    rules = writeRulesFile('pgmask-subject-erase-', eraseRules(POLICIES)).file;
  }, 60_000);

  it('erases by every identifier in one transaction each; find then finds only the retained invoice and the masked customer; the others are untouched', async () => {
    const others = await othersDump(db);
    const audit = tmp('audit.json');
    const run = await runCli(['subject', 'erase', '--source', db.url, '--rules', rules, '--personnummer', ANNA.personnummerAsked, '--execute', '--audit', audit]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^erased the person's rows/);
    expect(run.stdout).toMatch(/^ {2}public\.order_lines: 3 rows deleted$/m);
    expect(run.stdout).toMatch(/^ {2}public\.customers: 1 row masked$/m);
    expect(run.stdout).toMatch(/^ {2}public\.invoices: 1 row retained: bokföringslagen$/m);
    for (const [flag, value] of [
      ['--email', ANNA.emailAsked],
      ['--phone', ANNA.phoneAsked],
    ]) {
      const more = await runCli(['subject', 'erase', '--source', db.url, '--rules', rules, flag!, value!, '--execute']);
      expect(more.code, more.stderr).toBe(0);
    }

    // By the identifier: nothing any more (the masked rows no longer hold it).
    for (const [flag, value] of [
      ['--personnummer', ANNA.personnummerAsked],
      ['--email', ANNA.emailAsked],
      ['--phone', ANNA.phoneAsked],
    ]) {
      const find = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, flag!, value!, '--json']);
      expect(find.code, find.stderr).toBe(0);
      expect(JSON.parse(find.stdout).tables).toEqual([]);
    }
    // By her customer row: only the masked customer and the retained invoice remain.
    const where = await runCli(['subject', 'find', '--source', db.url, '--rules', rules, '--where', 'public.customers: id = 1', '--json']);
    expect(where.code, where.stderr).toBe(0);
    expect(JSON.parse(where.stdout).tables.map((t: { table: string; rows: unknown[] }) => [t.table, t.rows.length])).toEqual([
      ['public.customers', 1],
      ['public.invoices', 1],
    ]);
    const [customer] = await db.query<{ personnummer: string; email: string; phone: string; name: string }>('SELECT * FROM customers WHERE id = 1');
    expect(customer!.personnummer).not.toBe(ANNA.personnummerStored);
    expect(customer!.email).not.toBe(ANNA.emailStored);
    expect(customer!.name).not.toBe('Anna Svensson');
    expect(await db.query('SELECT id, customer_id, amount::text FROM invoices WHERE id = 100')).toEqual([{ id: 100, customer_id: 1, amount: '50' }]);
    expect((await db.allRowsText()).toLowerCase()).not.toMatch(/(^|[^x])anna\.svensson@example\.se/m);

    expect(await othersDump(db)).toBe(others);

    const text = readFileSync(audit, 'utf8');
    const record = JSON.parse(text);
    expect(record).toMatchObject({ command: 'erase', by: 'personnummer', executed: true, summary: { found: 13, deleted: 11, masked: 1, retained: 1 } });
    expect(record.rules.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const secret of [ANNA.personnummerStored, '811218', ANNA.emailStored, '"key"', '"id"', 'ctid']) expect(text.toLowerCase()).not.toContain(secret);
  });
});
