import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../../src/config/load-rules.js';
import type { Rules } from '../../../src/config/rules.js';
import { findSubject, type SubjectFindings } from '../../../src/pipeline/subject/find-subject.js';
import { describeHowFound } from '../../../src/subject/how-found.js';
import { SubjectError } from '../../../src/subject/subject-error.js';
import { createDatabase, type TestDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';
import { ANNA, BERTIL, CRM_RULES, createCrm } from './crm-fixture.js';

/** table → key text (`col=value, ...`) → how each row was found. */
function rowsOf(found: SubjectFindings): Record<string, Record<string, string[]>> {
  return Object.fromEntries(
    found.tables.map((t) => [
      t.table,
      Object.fromEntries(
        t.rows.map((r) => [
          Object.entries(r.key)
            .map(([c, v]) => `${c}=${v}`)
            .join(','),
          r.found.map(describeHowFound),
        ]),
      ),
    ]),
  );
}

const ANNAS_CHILDREN = {
  'public.contacts': { 'id=1': ['references public.customers(id) via contacts_customer_id_fkey'] },
  'public.orders': { 'id=10': ['references public.customers(id) via orders_customer_id_fkey'], 'id=11': ['references public.customers(id) via orders_customer_id_fkey'] },
  'public.order_lines': {
    'order_id=10,line=1': ['references public.orders(id) via order_lines_order_id_fkey'],
    'order_id=10,line=2': ['references public.orders(id) via order_lines_order_id_fkey'],
    'order_id=11,line=1': ['references public.orders(id) via order_lines_order_id_fkey'],
  },
  'public.invoices': { 'id=100': ['references public.customers(id) via invoices_customer_id_fkey'] },
  'public.events': {
    'id=1,at=2025-03-03': ['references public.customers(id) via events_customer_id_fkey'],
    'id=2,at=2026-03-03': ['references public.customers(id) via events_customer_id_fkey'],
  },
  'public.audit_entries': { 'id=1': ['references public.customers(id) via virtual key audit_customer'] },
};

describe('findSubject', () => {
  let db: TestDatabase;
  afterAll(() => db?.drop());
  let rules: Rules;

  beforeAll(async () => {
    db = await createDatabase('pgmask_subject_find');
    await createCrm(db);
    rules = await loadRules(writeRulesFile('pgmask-subject-', CRM_RULES).file);
  }, 60_000);

  it('finds a person by a 10-digit personnummer with - when the database holds 12 digits, in text, integer and free-text columns, and every row referencing them', async () => {
    const found = await findSubject({ source: db.url, rules, identifier: { kind: 'personnummer', value: ANNA.personnummerAsked } });
    expect(rowsOf(found)).toEqual({
      'public.customers': { 'id=1': ['column personnummer (personnummer)'] },
      ...ANNAS_CHILDREN,
      'public.notes': { 'id=2': ['free text body'] },
      'public.customer_archive': { 'id=1': ['column pnr (personnummer)'] },
    });
    const search = (table: string, column: string) => found.searches.find((s) => s.table === table && 'column' in s.how && s.how.column === column);
    expect(search('public.customers', 'personnummer')).toMatchObject({ rows: 1, scanned: false });
    expect(search('public.customer_archive', 'pnr')).toMatchObject({ rows: 1, scanned: true });
    expect(search('public.notes', 'body')).toMatchObject({ rows: 1, scanned: true });
    expect(search('public.devices', 'settings')).toMatchObject({ rows: 0, scanned: true });
    expect(found.summary).toMatchObject({ tables: 9, rows: 13 });
  });

  it('finds a person by e-mail in another case: the column, free text, and a signup table without a primary key (by ctid)', async () => {
    const found = await findSubject({ source: db.url, rules, identifier: { kind: 'email', value: ANNA.emailAsked } });
    const rows = rowsOf(found);
    expect(rows).toMatchObject({ 'public.customers': { 'id=1': ['column email (email)'] }, ...ANNAS_CHILDREN, 'public.notes': { 'id=1': ['free text body'] } });
    const signups = found.tables.find((t) => t.table === 'public.newsletter_signups')!;
    expect(signups).toMatchObject({ keyColumns: ['ctid'], stableKey: false });
    expect(signups.rows).toHaveLength(1);
    const [signup] = await db.query<{ signed_up: string }>(`SELECT signed_up::text FROM newsletter_signups WHERE ctid = $1::tid`, [signups.rows[0]!.key['ctid']]);
    expect(signup?.signed_up).toBe('2025-05-05');
    const search = (table: string) => found.searches.find((s) => s.table === table && s.how.kind === 'column');
    expect(search('public.customers')).toMatchObject({ rows: 1, scanned: false });
    expect(search('public.newsletter_signups')).toMatchObject({ rows: 1, scanned: true });
    expect(Object.keys(rows).sort()).toEqual([
      'public.audit_entries',
      'public.contacts',
      'public.customers',
      'public.events',
      'public.invoices',
      'public.newsletter_signups',
      'public.notes',
      'public.order_lines',
      'public.orders',
    ]);
  });

  it('finds a person by phone in another format: the column and a JSON document', async () => {
    const found = await findSubject({ source: db.url, rules, identifier: { kind: 'phone', value: ANNA.phoneAsked } });
    expect(rowsOf(found)).toEqual({
      'public.customers': { 'id=1': ['column phone (phone)'] },
      ...ANNAS_CHILDREN,
      'public.devices': { 'id=1': ['json settings'] },
    });
  });

  it('finds the second person without the first', async () => {
    const found = await findSubject({ source: db.url, rules, identifier: { kind: 'personnummer', value: BERTIL.personnummer } });
    const rows = rowsOf(found);
    expect(rows['public.customers']).toEqual({ 'id=2': ['column personnummer (personnummer)'] });
    expect(Object.keys(rows['public.orders'] ?? {})).toEqual(['id=20']);
    expect(Object.keys(rows['public.order_lines'] ?? {})).toEqual(['order_id=20,line=1']);
    expect(rows['public.notes']).toBeUndefined();
  });

  it('finds by a predicate on one table, and follows references from there', async () => {
    const found = await findSubject({ source: db.url, rules, identifier: { kind: 'where', table: 'orders', predicate: 'id = 11' } });
    expect(rowsOf(found)).toEqual({
      'public.orders': { 'id=11': ['where'] },
      'public.order_lines': { 'order_id=11,line=1': ['references public.orders(id) via order_lines_order_id_fkey'] },
    });
  });

  it('gives an empty result for a person with no rows', async () => {
    const found = await findSubject({ source: db.url, rules, identifier: { kind: 'email', value: 'nobody@example.se' } });
    expect(found.tables).toEqual([]);
    expect(found.summary).toMatchObject({ tables: 0, rows: 0 });
  });

  it('refuses an identifier that is not of its kind without naming it', async () => {
    const error = await findSubject({ source: db.url, rules, identifier: { kind: 'personnummer', value: 'abc-secret' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubjectError);
    expect((error as SubjectError).exitCode).toBe(2);
    expect((error as Error).message).not.toContain('abc-secret');
  });
});
