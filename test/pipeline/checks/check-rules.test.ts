import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../../src/catalog/read-catalog.js';
import type { Catalog } from '../../../src/catalog/types.js';
import type { Finding } from '../../../src/config/finding.js';
import { parseRules } from '../../../src/config/parse-rules.js';
import { Session } from '../../../src/db/connection.js';
import { checkRules } from '../../../src/pipeline/checks/check-rules.js';
import { useLimitedRole, useTrickyDatabase } from '../../catalog/tricky-database.js';
import { testTransformers } from '../../config/fake-transformers.js';

const complete = readFileSync(new URL('../../fixtures/rules/good/tricky.yaml', import.meta.url), 'utf8');

/** The complete rules with some lines changed: `edit` maps a line (as written) to its replacement lines. */
function variant(edit: Record<string, string | null>): string {
  const lines = complete.split('\n');
  for (const [from, to] of Object.entries(edit)) {
    const index = lines.indexOf(from);
    if (index < 0) throw new Error(`no line ${JSON.stringify(from)} in tricky.yaml`);
    lines.splice(index, 1, ...(to === null ? [] : to.split('\n')));
  }
  return lines.join('\n');
}

const brief = (findings: readonly Finding[]) => findings.map((f) => [f.severity, f.code, f.table, f.column]);

describe('checkRules against a real catalog', async () => {
  const db = await useTrickyDatabase();
  const role = await useLimitedRole(db);
  const session = await Session.connect(db.url, 'source');
  afterAll(() => session.end());
  const catalog: Catalog = await readCatalog(session);

  const checkAll = (text: string, against: Catalog = catalog): Finding[] => {
    const { rules, findings } = parseRules(text, 'tricky.yaml', { transformers: testTransformers });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    return checkRules(rules!, against, { transformers: testTransformers });
  };
  /** The findings without the warnings about free text kept unchanged (keep-free-text.test.ts tests those). */
  const check = (text: string, against: Catalog = catalog): Finding[] => checkAll(text, against).filter((f) => !f.code.startsWith('KEEP_FREE_TEXT'));

  it('passes complete rules: quoted, unicode and hostile names, partitions, inheritance, generated and identity columns', () => {
    expect(brief(checkAll(complete))).toEqual([
      ['warning', 'KEEP_FREE_TEXT', 'public.customers', 'name'],
      ['warning', 'KEEP_FREE_TEXT', 'public.customers', 'select'],
      ['warning', 'KEEP_FREE_TEXT', 'public.customers', 'handle'],
      ['warning', 'KEEP_FREE_TEXT', 'public.dogs', 'breed'],
    ]);
    expect(check(complete)).toEqual([]);
  });

  it('fails a column without a rule, pointing at the table entry', () => {
    const findings = check(variant({ "      'x\"); drop table t;--': null": null }));
    expect(findings).toEqual([
      {
        severity: 'error',
        code: 'COLUMN_WITHOUT_RULE',
        message: expect.stringContaining('public.customers."x""); drop table t;--" has no rule'),
        table: 'public.customers',
        column: 'x"); drop table t;--',
        file: { file: 'tricky.yaml', line: 4, column: 3 },
      },
    ]);
  });

  it('fails a table without an entry, and a column named select without a rule', () => {
    const findings = check(variant({ '  \'"a.b".c\':': null, '    columns: { id: keep }': null, '      "select": keep': null }));
    expect(brief(findings)).toEqual([
      ['error', 'COLUMN_WITHOUT_RULE', 'public.customers', 'select'],
      ['error', 'TABLE_WITHOUT_RULES', '"a.b".c', undefined],
    ]);
    expect(findings[1]!.message).toMatch(/skip: true/);
  });

  describe('unlisted', () => {
    const customersOnly = 'version: 1\nunlisted: keep\ntables:\n  public.customers:\n    columns: { email: keep }\n';

    it('the top-level unlisted: keep keeps tables without an entry, saying so', () => {
      const findings = check(customersOnly).filter((f) => f.table !== 'public.customers');
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.severity === 'info' && f.code === 'TABLE_UNLISTED_KEPT')).toBe(true);
      const kept = findings.map((f) => f.table);
      expect(kept).toContain('"Sales"."Kund"');
      expect(kept).toContain('public.events_2025');
      expect(kept).not.toContain('public.events');
    });

    it('the top-level unlisted: keep does not reach a listed table: a column without a rule there is an error', () => {
      const findings = check(customersOnly).filter((f) => f.table === 'public.customers');
      expect(findings.every((f) => f.severity === 'error' && f.code === 'COLUMN_WITHOUT_RULE')).toBe(true);
      expect(findings.map((f) => f.column).sort()).toEqual(
        ['id', 'name', 'nickname', 'nick2', 'country', 'mood', 'tags', 'scores', 'created_at', 'select', 'x"); drop table t;--', 'handle'].sort(),
      );
      expect(findings.find((f) => f.column === 'name')).toEqual({
        severity: 'error',
        code: 'COLUMN_WITHOUT_RULE',
        message:
          'public.customers.name has no rule (the top-level unlisted: keep covers only tables with no entry); give it a rule under columns: of public.customers (keep, if it holds nothing personal), or opt the table out with unlisted: keep in its entry to copy its columns without a rule unchanged; `pgmask scan --rules FILE --source URL` proposes the missing rules',
        table: 'public.customers',
        column: 'name',
        file: { file: 'tricky.yaml', line: 4, column: 3 },
      });
    });

    it('a new column in a listed table fails under the default, with what to do', () => {
      const [finding] = check(variant({ '      handle: keep': null }));
      expect(finding!.message).toBe(
        'public.customers.handle has no rule; give it a rule under columns: of public.customers (keep, if it holds nothing personal), or opt the table out with unlisted: keep in its entry to copy its columns without a rule unchanged; `pgmask scan --rules FILE --source URL` proposes the missing rules',
      );
    });

    it('a table’s own unlisted: keep copies its columns without a rule, reported as info at its entry', () => {
      const optOut = variant({ '    columns: { order_id: keep, line: keep, customer_email: keep }': '    unlisted: keep\n    columns: { order_id: keep, line: keep }' });
      expect(check(optOut)).toEqual([
        {
          severity: 'info',
          code: 'TABLE_UNLISTED_COLUMNS_KEPT',
          message:
            'table public."Order Items" says unlisted: keep: column customer_email has no rule and is copied unchanged, as will be any column added later; give each column a rule and remove the unlisted: keep to fail closed',
          table: 'public."Order Items"',
          file: { file: 'tricky.yaml', line: 21, column: 3 },
        },
      ]);
      const allRuled = check(
        variant({ '    columns: { order_id: keep, line: keep, customer_email: keep }': '    unlisted: keep\n    columns: { order_id: keep, line: keep, customer_email: keep }' }),
      );
      expect(allRuled.map((f) => [f.severity, f.code, f.message])).toEqual([
        [
          'info',
          'TABLE_UNLISTED_COLUMNS_KEPT',
          'table public."Order Items" says unlisted: keep: every column has a rule now, but a column added later will be copied unchanged; give each column a rule and remove the unlisted: keep to fail closed',
        ],
      ]);
    });

    it('unlisted: fail in an entry is the default, written out', () => {
      const findings = check(variant({ '    columns: { order_id: keep, line: keep, customer_email: keep }': '    unlisted: fail\n    columns: { order_id: keep, line: keep }' }));
      expect(brief(findings)).toEqual([['error', 'COLUMN_WITHOUT_RULE', 'public."Order Items"', 'customer_email']]);
    });

    it('a partitioned table’s opt-out covers its partitions, reported once', () => {
      const findings = check(variant({ '    columns: { id: keep, at: keep, payload: null }': '    unlisted: keep\n    columns: { id: keep, payload: null }' }));
      expect(brief(findings)).toEqual([['info', 'TABLE_UNLISTED_COLUMNS_KEPT', 'public.events', undefined]]);
      expect(findings[0]!.message).toMatch(/^table public\.events says unlisted: keep: column at has no rule/);
    });

    it('a column kept by its table’s opt-out counts as keep for foreign keys', () => {
      const findings = check(
        variant({
          '      email: keep': '      email: { transform: test.pool, unique: true }',
          '    columns: { order_id: keep, line: keep, customer_email: keep }': '    unlisted: keep\n    columns: { order_id: keep, line: keep }',
        }),
      );
      expect(brief(findings.filter((f) => f.code === 'FK_RULE_MISMATCH'))).toEqual([['warning', 'FK_RULE_MISMATCH', 'public."Order Items"', 'customer_email']]);
    });
  });

  describe('partitions', () => {
    const withoutEvents = { '  public.events:': null, '    columns: { id: keep, at: keep, payload: null }': null } as const;

    it('a partition tree without rules is one error, at its root', () => {
      const findings = check(variant({ ...withoutEvents, '  # One entry for the partitioned table covers its partitions at every level.': null }));
      expect(brief(findings)).toEqual([['error', 'TABLE_WITHOUT_RULES', 'public.events', undefined]]);
      expect(findings[0]!.message).toMatch(/public\.events_2024_a, public\.events_2025/);
    });

    it('rules on each leaf, or on an intermediate partitioned table, cover the tree', () => {
      const leaves = variant({
        ...withoutEvents,
        '  public.event_refs:':
          '  public.events_2024:\n    columns: { id: keep, at: keep, payload: null }\n  public.events_2025:\n    columns: { id: keep, at: keep, payload: keep }\n  public.event_refs:',
      });
      expect(check(leaves)).toEqual([]);
      const oneLeaf = variant({ ...withoutEvents, '  public.event_refs:': '  public.events_2025:\n    columns: { id: keep, at: keep, payload: keep }\n  public.event_refs:' });
      const findings = check(oneLeaf);
      expect(brief(findings)).toEqual([['error', 'TABLE_WITHOUT_RULES', 'public.events', undefined]]);
      expect(findings[0]!.message).toMatch(/partitions public\.events_2024_a;/);
    });

    it('a column missing from the root entry is reported once, at the root', () => {
      expect(brief(check(variant({ '    columns: { id: keep, at: keep, payload: null }': '    columns: { id: keep, at: keep }' })))).toEqual([
        ['error', 'COLUMN_WITHOUT_RULE', 'public.events', 'payload'],
      ]);
    });
  });

  it('does not apply a parent’s rules to an inheritance child', () => {
    const findings = check(variant({ '  public.dogs:': null, '    columns: { id: keep, name: null, breed: keep }': null }));
    expect(brief(findings)).toEqual([['error', 'TABLE_WITHOUT_RULES', 'public.dogs', undefined]]);
    expect(findings[0]!.message).toMatch(/rules of public\.animals do not apply/);
  });

  it('refuses a rule on a generated column, and rules naming what does not exist', () => {
    const findings = check(
      variant({
        '      handle: keep': '      handle: keep\n      full_label: null\n      emial: keep',
        '  public.scratch:': '  public."order items":\n    skip: true\n  public.customer_names:\n    skip: true\n  public.remote_rows:\n    skip: true\n  public.scratch:',
      }),
    );
    expect(findings.map((f) => [f.code, f.file?.line, f.file?.column])).toEqual([
      ['GENERATED_COLUMN_RULE', 19, 7],
      ['COLUMN_NOT_FOUND', 20, 7],
      ['TABLE_NOT_FOUND', 48, 3],
      ['RULE_ON_VIEW', 50, 3],
      ['RULE_ON_FOREIGN_TABLE', 52, 3],
    ]);
    expect(findings[1]!.message).toMatch(/no column emial; did you mean email\?/);
    expect(findings[2]!.message).toMatch(/did you mean public\."Order Items"\?/);
    expect(findings.map((f) => f.severity)).toEqual(['error', 'error', 'error', 'warning', 'warning']);
  });

  describe('keys and injectivity', () => {
    it('a unique column needs an injective transformer, or unique: true on one that enforces it', () => {
      const pool = check(variant({ '      email: keep': '      email: test.pool' }));
      expect(brief(pool)).toEqual([
        ['error', 'UNIQUE_NOT_INJECTIVE', 'public.customers', 'email'],
        ['warning', 'FK_RULE_MISMATCH', 'public."Order Items"', 'customer_email'],
      ]);
      expect(pool[1]!.message).toMatch(/masked with 'keep', the column it references with 'test.pool'/);
      expect(pool[0]!.message).toMatch(/add unique: true/);
      expect(
        brief(
          check(
            variant({
              '      email: keep': '      email: { transform: test.pool, unique: true }',
              '    columns: { order_id: keep, line: keep, customer_email: keep }':
                '    columns: { order_id: keep, line: keep, customer_email: { transform: test.pool, unique: true } }',
            }),
          ),
        ),
      ).toEqual([]);
    });

    it('injectivity may depend on options; unique: true does not help a transformer that cannot enforce it', () => {
      expect(check(variant({ '      id: keep': '      id: test.derived' }))).toEqual([]);
      const lossy = check(variant({ '      id: keep': '      id: { transform: test.derived, lossy: true, unique: true }' }));
      expect(brief(lossy)).toEqual([['error', 'UNIQUE_NOT_INJECTIVE', 'public.customers', 'id']]);
      expect(lossy[0]!.message).toMatch(/is the primary key.*cannot guarantee distinct outputs, even with unique: true/);
    });

    it('a composite key with a non-injective part is a warning', () => {
      const findings = check(
        variant({
          '    columns: { a: keep, b: keep, label: null }': '    columns: { a: { transform: test.derived, lossy: true }, b: keep, label: null }',
          '    columns: { id: keep, pa: keep, pb: keep }': '    columns: { id: keep, pa: { transform: test.derived, lossy: true }, pb: keep }',
        }),
      );
      expect(brief(findings)).toEqual([['warning', 'COMPOSITE_KEY_NOT_INJECTIVE', 'public.parent', 'a']]);
      const unique = check(variant({ '      name: keep': '      name: null' }));
      expect(brief(unique)).toEqual([['warning', 'COMPOSITE_KEY_NOT_INJECTIVE', 'public.customers', 'name']]);
    });
  });

  describe('fit', () => {
    it('output longer than varchar(n) or char(n), also through domains', () => {
      const findings = check(
        variant({ '      country: keep': '      country: { transform: test.pad, width: 5 }', '      nickname: keep': '      nickname: { transform: test.pad, width: 20 }' }),
      );
      expect(brief(findings)).toEqual([
        ['error', 'OUTPUT_TOO_LONG', 'public.customers', 'nickname'],
        ['warning', 'COMPOSITE_KEY_NOT_INJECTIVE', 'public.customers', 'nickname'],
        ['error', 'OUTPUT_TOO_LONG', 'public.customers', 'country'],
      ]);
      expect(findings[0]!.message).toMatch(/up to 20 characters.*holds 12/);
      expect(check(variant({ '      country: keep': '      country: { transform: test.pad, width: 3 }' }))).toEqual([]);
    });

    it('NULL into NOT NULL, also NOT NULL from a domain and NULL depending on options', () => {
      const findings = check(variant({ '      nick2: keep': '      nick2: null', '      created_at: keep': '      created_at: { transform: test.derived, nullable: true }' }));
      expect(brief(findings)).toEqual([
        ['error', 'NULL_INTO_NOT_NULL', 'public.customers', 'nick2'],
        ['error', 'NULL_INTO_NOT_NULL', 'public.customers', 'created_at'],
      ]);
    });

    it('a transformer that does not accept the column’s type family', () => {
      const findings = check(
        variant({
          '      mood: keep': '      mood: { transform: test.pad, width: 3 }',
          '      tags: keep': '      tags: { transform: test.pad, width: 3 }',
          '      handle: keep': '      handle: { transform: test.pad, width: 3 }',
        }),
      );
      expect(brief(findings)).toEqual([
        ['error', 'TYPE_NOT_ACCEPTED', 'public.customers', 'mood'],
        ['error', 'TYPE_NOT_ACCEPTED', 'public.customers', 'tags'],
      ]);
      expect(findings[0]!.message).toMatch(/takes text values, but public\.customers\.mood is mood \(enum\)/);
    });

    it('a rule that reads a column the table lacks, or a generated one', () => {
      const findings = check(
        variant({
          '      "select": keep': '      "select": { transform: test.derived, from: nmae }',
          '      tags: keep': '      tags: { transform: test.derived, from: full_label }',
        }),
      );
      expect(brief(findings)).toEqual([
        ['error', 'READS_GENERATED_COLUMN', 'public.customers', 'tags'],
        ['error', 'READS_UNKNOWN_COLUMN', 'public.customers', 'select'],
      ]);
      expect(findings[1]!.message).toMatch(/did you mean name\?/);
    });

    it('a rule nested at a json path that reads a column the table lacks', () => {
      const text =
        'version: 1\nunlisted: keep\ntables:\n  public.customers:\n    columns:\n      email: { transform: json, paths: { "$.a": { transform: template, template: "{nmae}" } } }\n';
      const { rules } = parseRules(text, 'nested.yaml');
      const findings = checkRules(rules!, catalog).filter((f) => f.code.startsWith('READS_'));
      expect(brief(findings)).toEqual([['error', 'READS_UNKNOWN_COLUMN', 'public.customers', 'email']]);
      expect(findings[0]!.message).toMatch(/did you mean name\?/);
    });
  });

  describe('row-level security and foreign keys', () => {
    it('fails tables whose policies would hide rows from the connecting role', async () => {
      const limited = await Session.connect(role.url, 'source');
      const seen = await readCatalog(limited).finally(() => limited.end());
      const findings = check(complete, seen);
      expect(brief(findings)).toEqual([
        ['error', 'ROW_SECURITY', 'public.forced', undefined],
        ['error', 'ROW_SECURITY', 'public.owned_forced', undefined],
        ['error', 'ROW_SECURITY', 'public.secrets', undefined],
      ]);
      expect(findings[2]!.message).toMatch(/BYPASSRLS or as the table owner/);
      expect(findings[1]!.message).toMatch(/forced, even for its owner/);
      const skipped = variant({ '  public.secrets:': '  public.secrets:\n    skip: true' });
      expect(brief(check(skipped, seen)).map((f) => f[2])).not.toContain('public.secrets');
    });

    it('warns when a skipped table is referenced by a copied one', () => {
      const findings = check(
        variant({
          '    columns: { id: keep, at: keep, payload: null }': '    skip: true',
          '  public.parent:': '  public.parent:\n    skip: true',
          '    columns: { a: keep, b: keep, label: null }': null,
        }),
      );
      expect(brief(findings)).toEqual([
        ['warning', 'SKIPPED_TABLE_REFERENCED', 'public.parent', undefined],
        ['warning', 'SKIPPED_TABLE_REFERENCED', 'public.events', undefined],
      ]);
      expect(findings[1]!.message).toMatch(/public\.event_refs references it/);
    });
  });
});
