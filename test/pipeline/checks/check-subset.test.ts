import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/catalog/read-catalog.js';
import type { Catalog } from '../../../src/catalog/types.js';
import type { Finding } from '../../../src/config/finding.js';
import { parseRules } from '../../../src/config/parse-rules.js';
import { Session } from '../../../src/db/connection.js';
import { checkRules } from '../../../src/pipeline/checks/check-rules.js';
import { validate } from '../../../src/pipeline/checks/validate.js';
import { useDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';

const SCHEMA = `
CREATE TABLE countries (code text PRIMARY KEY, name text);
CREATE TABLE customers (id int PRIMARY KEY, country text REFERENCES countries, email text UNIQUE);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, note text);
CREATE TABLE employees (id int PRIMARY KEY, manager_id int REFERENCES employees);
CREATE TABLE posts (id bigint PRIMARY KEY, slug text);
CREATE TABLE comments (id int PRIMARY KEY, subject_type text, subject_id bigint, subject_slug text);
CREATE TABLE audit_log (id int, what text);
CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW big_orders AS SELECT * FROM orders;
INSERT INTO countries VALUES ('SE', 'Sverige');
`;

/** A rules file with `subset:` (indented two spaces) and every table kept. */
const rulesWith = (subset: string, tables = '{}'): string => `version: 1\nunlisted: keep\ntables: ${tables}\nsubset:\n${subset}`;

const brief = (findings: readonly Finding[]) => findings.map((f) => [f.severity, f.code, f.table, f.file?.line]);

describe('checkRules: subset: against a real catalog', async () => {
  const db = await useDatabase('pgmask_subset');
  await db.query(SCHEMA);
  const session = await Session.connect(db.url, 'source');
  afterAll(() => session.end());
  const catalog: Catalog = await readCatalog(session);

  const subsetFindings = (text: string): Finding[] => {
    const { rules, findings } = parseRules(text, 'rules.yaml');
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    return checkRules(rules!, catalog).filter((f) => f.code.startsWith('SUBSET_'));
  };

  it('passes a subset whose tables, keys and columns exist', () => {
    const text = rulesWith(`  roots:
    - { table: customers, where: "country = 'SE'", limit: 10 }
    - { table: events, percent: 5 }
  children:
    - { foreign_key: orders_customer_id_fkey, table: orders, limit_per_parent: 3 }
    - { foreign_key: comments_post, table: comments }
  virtual_keys:
    - { name: comments_post, table: comments, columns: [subject_id], references: posts, where: "subject_type = 'Post'" }
    - { name: comments_post_slug, table: comments, columns: [subject_slug], references: customers, referenced_columns: [email] }
  whole: [countries]
  empty: [audit_log]
  null_outside:
    - { table: employees, foreign_key: employees_manager_id_fkey }
    - { table: comments, foreign_key: comments_post }
`);
    expect(subsetFindings(text)).toEqual([]);
  });

  it('SUBSET_TABLE_NOT_FOUND: a table that does not exist (with the nearest name), or a view', () => {
    const findings = subsetFindings(rulesWith('  roots: [{ table: custmers }]\n  whole: [big_orders]\n  empty: [nowhere.audit_log]\n'));
    expect(brief(findings)).toEqual([
      ['error', 'SUBSET_TABLE_NOT_FOUND', 'public.custmers', 5],
      ['error', 'SUBSET_TABLE_NOT_FOUND', 'public.big_orders', 6],
      ['error', 'SUBSET_TABLE_NOT_FOUND', 'nowhere.audit_log', 7],
    ]);
    expect(findings[0]!.message).toContain('did you mean public.customers?');
    expect(findings[1]!.message).toContain('is a view');
  });

  it('SUBSET_FOREIGN_KEY_NOT_FOUND: children: and null_outside: name a key the table does not have', () => {
    const findings = subsetFindings(
      rulesWith(`  roots: [{ table: customers }]
  children: [{ foreign_key: orders_customer_fkey, table: orders }]
  virtual_keys: [{ name: comments_post, table: comments, columns: [subject_id], references: posts }]
  null_outside: [{ table: orders, foreign_key: comments_post }]
`),
    );
    expect(brief(findings)).toEqual([
      ['error', 'SUBSET_FOREIGN_KEY_NOT_FOUND', 'public.orders', 6],
      ['error', 'SUBSET_FOREIGN_KEY_NOT_FOUND', 'public.orders', 8],
    ]);
    expect(findings[0]!.message).toContain('did you mean orders_customer_id_fkey?');
    expect(findings[1]!.message).toContain('virtual key comments_post is a reference of public.comments, not of public.orders');
  });

  it('SUBSET_NULL_OUTSIDE_NOT_NULL: a NOT NULL reference cannot be written NULL', () => {
    const findings = subsetFindings(rulesWith('  roots: [{ table: customers }]\n  null_outside: [{ table: orders, foreign_key: orders_customer_id_fkey }]\n'));
    expect(findings).toMatchObject([{ severity: 'error', code: 'SUBSET_NULL_OUTSIDE_NOT_NULL', table: 'public.orders', column: 'customer_id' }]);
    expect(findings[0]!.message).toContain('the parent row is followed');
  });

  it('virtual keys: SUBSET_COLUMN_NOT_FOUND, SUBSET_KEY_COLUMN_COUNT, SUBSET_KEY_TYPE_MISMATCH, SUBSET_KEY_NOT_UNIQUE, SUBSET_KEY_NO_PRIMARY_KEY', () => {
    const findings = subsetFindings(
      rulesWith(`  roots: [{ table: customers }]
  virtual_keys:
    - { name: missing, table: comments, columns: [subjct_id], references: posts }
    - { name: count, table: comments, columns: [subject_id, subject_type], references: posts }
    - { name: types, table: comments, columns: [subject_slug], references: posts }
    - { name: not_unique, table: comments, columns: [subject_slug], references: posts, referenced_columns: [slug] }
    - { name: no_key, table: comments, columns: [id], references: audit_log }
`),
    );
    expect(brief(findings)).toEqual([
      ['error', 'SUBSET_COLUMN_NOT_FOUND', 'public.comments', 7],
      ['error', 'SUBSET_KEY_COLUMN_COUNT', 'public.comments', 8],
      ['error', 'SUBSET_KEY_TYPE_MISMATCH', 'public.comments', 9],
      ['error', 'SUBSET_KEY_NOT_UNIQUE', 'public.posts', 10],
      ['error', 'SUBSET_KEY_NO_PRIMARY_KEY', 'public.audit_log', 11],
    ]);
    expect(findings[0]!.message).toContain('did you mean subject_id?');
    expect(findings[2]!.message).toContain('public.comments.subject_slug is text (text) but public.posts.id is bigint (integer)');
  });

  it('SUBSET_ROOT_SKIPPED (a warning), SUBSET_ROOT_WHOLE and SUBSET_ROOT_EMPTY (through partitions too)', () => {
    const findings = subsetFindings(
      rulesWith(
        `  roots:
    - { table: orders }
    - { table: countries, where: "code = 'SE'" }
    - { table: events_2024 }
  whole: [countries]
  empty: [events]
`,
        '{ orders: { skip: true } }',
      ),
    );
    expect(brief(findings)).toEqual([
      ['warning', 'SUBSET_ROOT_SKIPPED', 'public.orders', 6],
      ['error', 'SUBSET_ROOT_WHOLE', 'public.countries', 7],
      ['error', 'SUBSET_ROOT_EMPTY', 'public.events_2024', 8],
    ]);
    expect(findings[2]!.message).toContain('public.events, listed in subset.empty, is a partitioned table it belongs to');
  });

  describe('validate --source runs the predicates through EXPLAIN', () => {
    const run = async (subset: string) => {
      const { file } = writeRulesFile('pgmask-subset-', rulesWith(subset));
      return validate({ rulesFile: file, source: db.url });
    };

    it('passes predicates that run', async () => {
      const result = await run(`  roots: [{ table: customers, where: "country = 'SE' -- Swedish customers" }]
  virtual_keys: [{ name: k, table: comments, columns: [subject_id], references: posts, where: "subject_type = 'Post'" }]
`);
      expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    });

    it('SUBSET_BAD_PREDICATE: an unknown column, a syntax error, a second statement; the database is untouched', async () => {
      const result = await run(`  roots:
    - { table: customers, where: "contry = 'SE'" }
    - { table: orders, where: "note = 'x' AND" }
    - { table: countries, where: "true); DROP TABLE audit_log; SELECT (1" }
  virtual_keys: [{ name: k, table: comments, columns: [subject_id], references: posts, where: "kind = 'Post'" }]
`);
      const bad = result.findings.filter((f) => f.code === 'SUBSET_BAD_PREDICATE');
      expect(brief(bad)).toEqual([
        ['error', 'SUBSET_BAD_PREDICATE', 'public.customers', 6],
        ['error', 'SUBSET_BAD_PREDICATE', 'public.orders', 7],
        ['error', 'SUBSET_BAD_PREDICATE', 'public.countries', 8],
        ['error', 'SUBSET_BAD_PREDICATE', 'public.comments', 9],
      ]);
      expect(bad[0]!.message).toMatch(/the where: of root public.customers does not run: column "contry" does not exist.*\[SQLSTATE 42703\]/);
      expect(bad[1]!.message).toContain('syntax error');
      expect(bad[2]!.message).toContain('cannot insert multiple commands into a prepared statement');
      expect(bad[3]!.message).toContain('the where: of virtual key k (on public.comments) does not run: column "kind" does not exist');
      expect(result.ok).toBe(false);
      expect(await db.query("SELECT to_regclass('public.audit_log') IS NOT NULL AS present")).toEqual([{ present: true }]);
    });
  });
});
