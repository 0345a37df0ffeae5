import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/pipeline/run/report.js';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

const SCHEMA = `
CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);
CREATE TABLE employees (id int PRIMARY KEY, name text NOT NULL, manager_id int REFERENCES employees (id));
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, country char(2) NOT NULL REFERENCES countries (code), account_manager int REFERENCES employees (id));
CREATE TABLE products (id int PRIMARY KEY, title text NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), placed date NOT NULL);
CREATE TABLE order_lines (order_id int REFERENCES orders (id), line int, product_id int NOT NULL REFERENCES products (id), PRIMARY KEY (order_id, line));
CREATE INDEX ON orders (customer_id);
CREATE INDEX ON order_lines (product_id);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, what text);
`;

const RULES = `version: 1
unlisted: fail
tables:
  public.countries: { columns: { code: keep, name: keep } }
  public.employees: { columns: { id: keep, name: person.full_name, manager_id: keep } }
  public.customers: { columns: { id: keep, email: { transform: email, unique: true }, country: keep, account_manager: keep } }
  public.products: { columns: { id: keep, title: keep } }
  public.orders: { columns: { id: keep, customer_id: keep, placed: keep } }
  public.order_lines: { columns: { order_id: keep, line: keep, product_id: keep } }
  public.audit_log: { columns: { id: keep, what: keep } }
`;

const SUBSET = `subset:
  roots:
    - { table: public.customers, where: "country = 'SE'", limit: 25 }
  children:
    - { table: public.orders, foreign_key: orders_customer_id_fkey }
    - { table: public.order_lines, foreign_key: order_lines_order_id_fkey }
  whole: [public.countries]
  empty: [public.audit_log]
  null_outside:
    - { table: public.employees, foreign_key: employees_manager_id_fkey }
`;

const { dir, file: fullRules } = writeRulesFile('pgmask-subset-', RULES);
const subsetRules = join(dir, 'subset.yaml');

const ids = async (db: TestDatabase, table: string, column = 'id'): Promise<number[]> =>
  (await db.query<{ id: number }>(`SELECT ${column} AS id FROM ${table} ORDER BY 1`)).map((r) => r.id);

/** Every foreign key of the database, checked by SQL: the rows whose reference finds no row. */
async function danglingReferences(db: TestDatabase): Promise<number> {
  const [row] = await db.query<{ n: number }>(`
    SELECT (SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM countries x WHERE x.code = c.country))
         + (SELECT count(*) FROM customers c WHERE c.account_manager IS NOT NULL AND NOT EXISTS (SELECT 1 FROM employees e WHERE e.id = c.account_manager))
         + (SELECT count(*) FROM employees e WHERE e.manager_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM employees m WHERE m.id = e.manager_id))
         + (SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id))
         + (SELECT count(*) FROM order_lines l WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = l.order_id))
         + (SELECT count(*) FROM order_lines l WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = l.product_id)) AS n`);
  return Number(row!.n);
}

describe('pgmask copy and dump with a subset', async () => {
  const source = await useDatabase('pgmask_subset_src');
  beforeAll(async () => {
    await source.query(SCHEMA);
    await source.query(`
      INSERT INTO countries VALUES ('SE', 'Sverige'), ('NO', 'Norge'), ('DK', 'Danmark');
      INSERT INTO employees SELECT g, 'Employee ' || g, CASE WHEN g > 1 THEN g - 1 END FROM generate_series(1, 20) g;
      INSERT INTO customers SELECT g, 'kund' || g || '@gmail.com', (ARRAY['SE', 'NO', 'DK'])[1 + g % 3], 1 + g % 20 FROM generate_series(1, 600) g;
      INSERT INTO products SELECT g, 'Product ' || g FROM generate_series(1, 300) g;
      INSERT INTO orders SELECT g, 1 + (g * 7) % 600, DATE '2025-01-01' + g % 300 FROM generate_series(1, 3000) g;
      INSERT INTO order_lines SELECT o, l, 1 + (o * l * 13) % 300 FROM generate_series(1, 3000) o, generate_series(1, 3) l;
      INSERT INTO audit_log (what) SELECT 'event ' || g FROM generate_series(1, 100) g;
      ANALYZE;`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(subsetRules, `${RULES}${SUBSET}`);
  });

  /** The customers a subset of 25 Swedish customers in primary-key order takes. */
  const expectedCustomers = async (): Promise<number[]> => ids(source, `(SELECT id FROM customers WHERE country = 'SE' ORDER BY id LIMIT 25) c`);

  for (const schema of ['create', 'existing'] as const) {
    it(`--schema ${schema}: copies the roots, their orders and lines, every parent, and nothing else; every key holds`, await needsPgDump(), async () => {
      const target = await createDatabase('pgmask_subset_dst');
      const reportFile = join(dir, `${schema}.json`);
      try {
        if (schema === 'existing') await target.query(SCHEMA);
        const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', subsetRules, '--schema', schema, '--yes', '--report', reportFile]);
        expect(result.stderr).toContain('succeeded');
        expect(result.code).toBe(0);
        const customers = await expectedCustomers();
        expect(await ids(target, 'customers')).toEqual(customers);
        const orders = await ids(source, `(SELECT id FROM orders WHERE customer_id = ANY ('{${customers.join(',')}}'::int[])) o`);
        expect(await ids(target, 'orders')).toEqual(orders);
        const [lines] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM order_lines');
        expect(lines!.n).toBe(orders.length * 3);
        // Parents: only the products those lines name; every country (whole); no audit rows (empty).
        const products = await ids(source, `(SELECT DISTINCT product_id AS id FROM order_lines WHERE order_id = ANY ('{${orders.join(',')}}'::int[])) p`);
        expect(await ids(target, 'products')).toEqual(products);
        expect((await ids(target, 'countries', 'code')).length).toBe(3);
        expect(await ids(target, 'audit_log')).toEqual([]);
        // Employees: the customers' account managers; their managers are not followed (null_outside) but written NULL when not selected.
        const managers = await ids(source, `(SELECT DISTINCT account_manager AS id FROM customers WHERE id = ANY ('{${customers.join(',')}}'::int[])) m`);
        expect(await ids(target, 'employees')).toEqual(managers);
        expect(await danglingReferences(target)).toBe(0);
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
        expect(report.subset?.tables.find((t) => t.table === 'public.customers')).toMatchObject({ selected: 25, total: 600, totalExact: true });
        expect(report.tables.find((t) => t.table === 'public.orders')?.rows).toBe(orders.length);
      } finally {
        await target.drop();
      }
    });
  }

  it('masks a row as a full copy does, and selects the same rows in every run', await needsPgDump(), async () => {
    const [full, a, b] = await Promise.all([createDatabase('pgmask_subset_full'), createDatabase('pgmask_subset_a'), createDatabase('pgmask_subset_b')]);
    try {
      for (const [db, rules] of [
        [full, fullRules],
        [a, subsetRules],
        [b, subsetRules],
      ] as const) {
        const result = await runCli(['copy', '--source', source.url, '--target', db.url, '--rules', rules, '--yes']);
        expect(result.code, result.stderr).toBe(0);
      }
      const emails = async (db: TestDatabase) => db.query<{ id: number; email: string }>('SELECT id, email FROM customers ORDER BY id');
      const inFull = new Map((await emails(full)).map((r) => [r.id, r.email]));
      const inA = await emails(a);
      expect(inA.length).toBe(25);
      for (const row of inA) expect(row.email).toBe(inFull.get(row.id));
      expect(await emails(b)).toEqual(inA);
      expect(inA.some((r) => r.email.endsWith('@gmail.com'))).toBe(false);
    } finally {
      await Promise.all([full.drop(), a.drop(), b.drop()]);
    }
  });

  it('dump writes the same subset, which loads with every key', await needsPgDump(), async () => {
    const target = await createDatabase('pgmask_subset_dump');
    const out = join(dir, 'subset.sql');
    try {
      const dump = await runCli(['dump', '--source', source.url, '--rules', subsetRules, '--out', out]);
      expect(dump.code, dump.stderr).toBe(0);
      const { execFileSync } = await import('node:child_process');
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', target.url, '-f', out]);
      expect(await ids(target, 'customers')).toEqual(await expectedCustomers());
      expect(await danglingReferences(target)).toBe(0);
    } finally {
      await target.drop();
    }
  });

  it('says so when the source role may not create temporary tables, where the selection lives', async () => {
    const role = `pgmask_notemp_${process.pid}`;
    await source.query(`CREATE ROLE ${role} LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}; REVOKE TEMPORARY ON DATABASE "${source.name}" FROM PUBLIC`);
    const target = await createDatabase('pgmask_subset_notemp');
    try {
      const url = new URL(source.url);
      url.username = role;
      const result = await runCli(['copy', '--source', url.toString(), '--target', target.url, '--rules', subsetRules, '--dry-run']);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/a subset is selected in temporary tables of the source, which the source role may not create \(grant it TEMPORARY on the database\)/);
    } finally {
      await target.drop();
      await source.query(`GRANT TEMPORARY ON DATABASE "${source.name}" TO PUBLIC; DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('warns when a root selects no row, and copies the rest of the subset', await needsPgDump(), async () => {
    const target = await createDatabase('pgmask_subset_noroot');
    const rules = join(dir, 'noroot.yaml');
    const reportFile = join(dir, 'noroot.json');
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(rules, `${RULES}${SUBSET.replace("country = 'SE'", "country = 'FI'")}`);
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rules, '--yes', '--report', reportFile]);
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
      expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'SUBSET_ROOT_SELECTS_NOTHING' }));
      expect(await ids(target, 'customers')).toEqual([]);
      expect((await ids(target, 'countries', 'code')).length).toBe(3);
    } finally {
      await target.drop();
    }
  });

  it('--dry-run prints the rows each table would take, and writes nothing', async () => {
    const target = await createDatabase('pgmask_subset_dry');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', subsetRules, '--dry-run']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/public\.customers: 25 of 600/);
      expect(result.stdout).toMatch(/public\.audit_log: 0 of 100/);
      const [row] = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
      expect(row!.n).toBe(0);
    } finally {
      await target.drop();
    }
  });
});
