import { describe, expect, test } from 'vitest';
import { loadRules } from '../../src/config/load-rules.js';
import { parseRules } from '../../src/config/parse-rules.js';
import { ConfigError } from '../../src/errors.js';
import { completeRules } from '../../src/scan/complete-rules.js';
import { writeRules } from '../../src/scan/write-rules.js';
import { writeRulesFile } from '../support/rules-file.js';
import { column, PROPOSALS, table } from './proposals.js';

const generatedAt = new Date('2026-12-07T06:00:00Z');

/** A hand-written file full of comments, styles and spellings. */
const COMMENTED = `# yaml-language-server: $schema=./schema.json
# Rules for the CRM, kept by hand.

version: 1
unlisted: fail                 # fail closed

tables:
  # customers first
  public.customers:
    columns:
      id: keep   # the key
      personnummer: { transform: se.personnummer, unique: true }
      email:
        transform: email       # block style
        unique: true
      # notes were reviewed in May
      notes: text.scrub

  # the shop
  public."Order Items":
    columns: { order_id: keep }
  public.audit_log:
    skip: true                 # schema only
  public.dropped:              # gone from the database
    columns:
      id: keep
# end of rules
`;

const CUSTOMERS = table('public', 'customers', 'public.customers', [
  column('id', 'keep'),
  column('personnummer', { transform: 'se.personnummer', unique: true }, { kind: 'personnummer' }),
  column('email', { transform: 'email', unique: true }, { kind: 'email' }),
  column('notes', 'text.scrub', { kind: 'free_text' }),
]);
const ORDER_ITEMS = table('public', 'Order Items', 'public."Order Items"', [column('order_id', 'keep')]);
const AUDIT = table('public', 'audit_log', 'public.audit_log', [column('id', 'keep'), column('actor_email', 'email', { kind: 'email' })]);

/** Whether every line of `old` appears in `text`, in order. */
function keepsLines(old: string, text: string): boolean {
  const lines = text.split('\n');
  let at = 0;
  for (const line of old.split('\n')) {
    const found = lines.indexOf(line, at);
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}

describe('completeRules', () => {
  test('gives a file with nothing missing back byte for byte', () => {
    const result = completeRules(COMMENTED, [CUSTOMERS, ORDER_ITEMS, AUDIT], { generatedAt });
    expect(result.text).toBe(COMMENTED);
    expect(result.added).toEqual([]);
  });

  test('gives a file it wrote itself back byte for byte', () => {
    const text = writeRules(PROPOSALS, { source: 'crm', generatedAt });
    expect(completeRules(text, PROPOSALS).text).toBe(text);
  });

  test('adds missing columns and tables, keeping every line there in order', () => {
    const result = completeRules(
      COMMENTED,
      [
        table('public', 'customers', 'public.customers', [
          ...CUSTOMERS.columns,
          column('Full Name', 'person.full_name', { kind: 'full_name', evidence: ['name "Full Name"'] }),
          column('phone', 'se.phone', { kind: 'phone', evidence: ['name "phone"'], review: 'few values sampled' }),
        ]),
        table('public', 'Order Items', 'public."Order Items"', [column('order_id', 'keep')]),
        AUDIT,
        table('public', 'newsletter', 'public.newsletter', [column('email', { transform: 'email', unique: true }, { kind: 'email', evidence: ['name "email"'] })]),
        table('Sales', 'Kund', '"Sales"."Kund"', []),
      ],
      { generatedAt },
    );
    expect(keepsLines(COMMENTED, result.text)).toBe(true);
    expect(result.text).toBe(
      COMMENTED.replace(
        '      notes: text.scrub\n',
        '      notes: text.scrub\n      Full Name: person.full_name # name "Full Name"\n      phone: se.phone # review: few values sampled; name "phone"\n',
      ).replace(
        '      id: keep\n# end of rules\n',
        [
          '      id: keep',
          '  # added by pgmask scan on 2026-12-07',
          '  public.newsletter:',
          '    columns:',
          '      email: { transform: email, unique: true } # name "email"',
          '  # added by pgmask scan on 2026-12-07',
          `  '"Sales"."Kund"':`,
          '    columns: {}',
          '# end of rules',
          '',
        ].join('\n'),
      ),
    );
    expect(result.added).toEqual([
      { table: 'public.customers', column: 'Full Name' },
      { table: 'public.customers', column: 'phone' },
      { table: 'public.newsletter' },
      { table: 'public.newsletter', column: 'email' },
      { table: '"Sales"."Kund"' },
    ]);
    const { findings } = parseRules(result.text, 'rules.yaml');
    expect(findings).toEqual([]);
  });

  test('adds to a flow mapping inside its braces, the evidence in a comment line above', () => {
    const result = completeRules(
      COMMENTED,
      [table('public', 'Order Items', 'public."Order Items"', [column('order_id', 'keep'), column('note', 'text.scrub', { evidence: ['type text'] })])],
      {
        generatedAt,
      },
    );
    expect(result.text).toContain('  public."Order Items":\n    # note: type text\n    columns: { order_id: keep, note: text.scrub }\n');
    expect(parseRules(result.text, 'rules.yaml').findings).toEqual([]);
  });

  test('matches table keys as SQL reads them, and leaves skipped tables alone', () => {
    const text = 'version: 1\ntables:\n  Customers:\n    columns:\n      id: keep\n  public.audit_log:\n    skip: true\n';
    const result = completeRules(text, [table('public', 'customers', 'public.customers', [column('id', 'keep'), column('x', 'keep')]), AUDIT]);
    expect(result.text).toBe('version: 1\ntables:\n  Customers:\n    columns:\n      id: keep\n      x: keep\n  public.audit_log:\n    skip: true\n');
  });

  test('fills a table or columns entry with nothing written after it', () => {
    const text = 'version: 1\ntables:\n  public.a:\n  public.b:\n    columns:\n  public.c: {}\n  public.d:\n    skip: false\n';
    const result = completeRules(
      text,
      ['a', 'b', 'c', 'd'].map((n) => table('public', n, `public.${n}`, [column('id', 'keep')])),
    );
    expect(result.text).toBe(
      'version: 1\ntables:\n  public.a:\n    columns:\n      id: keep\n  public.b:\n    columns:\n      id: keep\n  public.c: { columns: { id: keep } }\n  public.d:\n    skip: false\n    columns:\n      id: keep\n',
    );
    expect(parseRules(result.text, 'rules.yaml').findings).toEqual([]);
  });

  test('adds tables under an empty tables: and to a file without a final line break', () => {
    const added = [table('public', 't', 'public.t', [column('id', 'keep')])];
    const expected = 'version: 1\ntables:\n  # added by pgmask scan on 2026-12-07\n  public.t:\n    columns:\n      id: keep\n';
    expect(completeRules('version: 1\ntables:\n', added, { generatedAt }).text).toBe(expected);
    expect(completeRules('version: 1\ntables: {}\n', added, { generatedAt }).text).toBe(expected);
    expect(completeRules('version: 1\ntables:\n  public.u:\n    columns:\n      id: keep', added, { generatedAt }).text).toBe(
      'version: 1\ntables:\n  public.u:\n    columns:\n      id: keep\n  # added by pgmask scan on 2026-12-07\n  public.t:\n    columns:\n      id: keep\n',
    );
  });

  test('adds after a block-style last rule and before keys that follow columns:', () => {
    const text = [
      'version: 1',
      'tables:',
      '  public.t:',
      '    columns:',
      '      email:',
      '        transform: email # block',
      '        unique: true',
      '      # a trailing note',
      '    skip: false',
      '  public.u:',
      '    columns:',
      '      id: keep',
      '',
    ].join('\n');
    const result = completeRules(text, [
      table('public', 't', 'public.t', [column('email', 'email'), column('x', 'keep')]),
      table('public', 'u', 'public.u', [column('id', 'keep')]),
    ]);
    expect(result.text).toBe(text.replace('        unique: true\n', '        unique: true\n      x: keep\n'));
    expect(parseRules(result.text, 'rules.yaml').findings).toEqual([]);
  });

  test('keeps CRLF line endings', () => {
    const text = 'version: 1\r\ntables:\r\n  public.t:\r\n    columns:\r\n      id: keep\r\n';
    const result = completeRules(text, [table('public', 't', 'public.t', [column('id', 'keep'), column('x', 'keep')])]);
    expect(result.text).toBe('version: 1\r\ntables:\r\n  public.t:\r\n    columns:\r\n      id: keep\r\n      x: keep\r\n');
  });

  test('refuses a file that is not a mapping, has no tables: mapping, or is not YAML', () => {
    const attempt = (text: string) => {
      try {
        completeRules(text, [], { file: 'rules.yaml' });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return { code: (error as ConfigError).code, position: (error as ConfigError).position, message: (error as Error).message };
      }
      throw new Error('expected an error');
    };
    expect(attempt('- a\n- b\n')).toMatchObject({ code: 'RULES_NOT_MAPPING', position: { file: 'rules.yaml', line: 1, column: 1 } });
    expect(attempt('version: 1\nunlisted: keep\n')).toMatchObject({ code: 'RULES_NO_TABLES', position: { line: 1 } });
    expect(attempt('version: 1\ntables: secret-value\n')).toMatchObject({ code: 'RULES_NO_TABLES', position: { line: 2, column: 9 } });
    expect(attempt('version: 1\ntables: { public.t: { columns: {} } }\n')).toMatchObject({ code: 'RULES_TABLES_FLOW' });
    const syntax = attempt('version: 1\ntables:\n  a: [secret\n');
    expect(syntax.code).toBe('RULES_YAML_SYNTAX');
    expect(syntax.message).not.toContain('secret');
    expect(attempt('version: 1\ntables: secret-value\n').message).not.toContain('secret');
  });

  test('a completed file loads with loadRules', async () => {
    const result = completeRules(COMMENTED, PROPOSALS, { generatedAt });
    const { file } = writeRulesFile('pgmask-scan-', result.text);
    const rules = await loadRules(file);
    expect(rules.tables.get('public.customers')!.columns.get('Full Name')?.transform).toBe('person.full_name');
    expect(rules.tables.has('public.dropped')).toBe(true);
  });
});
