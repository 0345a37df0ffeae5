import { describe, expect, test } from 'vitest';
import { parseRules } from '../../src/config/parse-rules.js';
import { RULES_SCHEMA_URL, writeRules } from '../../src/scan/write-rules.js';
import { column, PROPOSALS, table } from './proposals.js';

const generatedAt = new Date('2026-12-07T06:00:00Z');

describe('writeRules', () => {
  test('writes the header, one entry per table and a comment per rule', () => {
    const text = writeRules(
      [
        table('public', 'customers', 'public.customers', [
          column('id', 'keep'),
          column('email', { transform: 'email', unique: true }, { kind: 'email', evidence: ['name "email"', '1,000 of 1,000 sampled values are e-mail addresses'] }),
          column('notes', 'text.scrub', { kind: 'free_text', evidence: ['type text'], review: '31 of 200 sampled values hold names or numbers in free text' }),
          column('birth_date', { transform: 'se.birth_date', options: { from: 'personnummer' } }, { kind: 'birth_date' }),
        ]),
        table('public', 'audit', 'public.audit', []),
      ],
      { source: 'database crm', generatedAt },
    );
    expect(text).toBe(
      [
        `# yaml-language-server: $schema=${RULES_SCHEMA_URL}`,
        '# Written by pgmask scan from database crm on 2026-12-07: 2 tables, 4 columns, 3 personal, 1 to review.',
        '# Review every line marked "review:" before using this file.',
        'version: 1',
        'unlisted: fail',
        'tables:',
        '  public.customers:',
        '    columns:',
        '      id: keep',
        '      email: { transform: email, unique: true } # name "email"; 1,000 of 1,000 sampled values are e-mail addresses',
        '      notes: text.scrub # review: 31 of 200 sampled values hold names or numbers in free text; type text',
        '      birth_date: { transform: se.birth_date, from: personnummer }',
        '  public.audit:',
        '    columns: {}',
        '',
      ].join('\n'),
    );
  });

  test('writes a file that pgmask reads back with the same rules and no finding', () => {
    const text = writeRules(PROPOSALS, { source: 'crm', generatedAt });
    const { rules, findings } = parseRules(text, 'scan.yaml');
    expect(findings).toEqual([]);
    expect(rules?.unlisted).toBe('fail');
    expect([...rules!.tables.keys()]).toEqual(PROPOSALS.map((t) => t.key));
    for (const proposal of PROPOSALS) {
      const parsed = rules!.tables.get(proposal.key)!;
      expect([...parsed.columns.keys()]).toEqual(proposal.columns.map((c) => c.column));
      for (const c of proposal.columns) {
        const rule = parsed.columns.get(c.column)!;
        expect({ transform: rule.transform, unique: rule.unique, options: rule.options }).toEqual({
          transform: c.rule.transform,
          unique: c.rule.unique === true,
          options: c.rule.options ?? {},
        });
      }
    }
    expect(text).toContain('metadata: { transform: json, paths: { "$.contact.email": email, "$.contact.phone": se.phone } } # e-mail addresses at $.contact.email');
    expect(text).toContain('"null": "null" # review: a column named null');
    expect(text).toContain('  \'"Sales"."Kund"\':\n');
    expect(text).toContain('  public."Order Items":\n');
    expect(text).toContain('      Full Name: person.full_name');
  });

  test('writes a rule too long for one line as a block mapping, its comment on the transform line', () => {
    const paths = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`$.contacts[${i}].email`, 'email']));
    const text = writeRules(
      [table('public', 't', 'public.t', [column('doc', { transform: 'json', options: { paths } }, { kind: 'email', evidence: ['e-mail addresses in json'] })])],
      {
        source: 'x',
        generatedAt,
      },
    );
    expect(text).toContain('      doc:\n        transform: json # e-mail addresses in json\n        paths:\n');
    expect(text.split('\n').every((line) => line.length <= 160)).toBe(true);
    const { rules, findings } = parseRules(text, 'scan.yaml');
    expect(findings).toEqual([]);
    expect(rules!.tables.get('public.t')!.columns.get('doc')!.options).toEqual({ paths });
  });

  test('keeps comments on one line and counts in the header', () => {
    const text = writeRules([table('public', 't', 'public.t', [column('a', 'keep', { evidence: ['one\ntwo'] })])], { source: 'db\nx', generatedAt });
    expect(text).toContain('# Written by pgmask scan from db x on 2026-12-07: 1 table, 1 column, 0 personal, 0 to review.');
    expect(text).toContain('      a: keep # one two\n');
    expect(parseRules(text, 'scan.yaml').findings).toEqual([]);
  });
});
