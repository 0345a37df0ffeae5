import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Finding, sortFindings } from '../../src/config/finding.js';
import { parseRules } from '../../src/config/parse-rules.js';
import { rulesJsonSchema } from '../../src/config/rules-schema.js';
import { testTransformers } from './fake-transformers.js';

const spec = `version: 1
tables:
  public.customers:
    columns: { id: keep }
subset:
  roots:
    - table: Customers
      where: "country = 'SE'"
      limit: 10000
    - { table: public.orders, percent: 1.5 }
  children:
    - { foreign_key: orders_customer_id_fkey, table: public.orders, limit_per_parent: 5 }
    - { foreign_key: comments_post, table: public.comments }
  virtual_keys:
    - name: comments_post
      table: public.comments
      columns: [subject_id]
      references: public.posts
      where: "subject_type = 'Post'"
    - { name: notes_customer, table: '"Sales"."Notes"', columns: [a, b], references: public.customers, referenced_columns: [x, y] }
  whole: [public.countries, countries]
  empty: [public.audit_log]
  null_outside:
    - { table: public.employees, foreign_key: employees_manager_id_fkey }
`;

const at = (line: number, column: number) => ({ file: 'rules.yaml', line, column });
const read = (text: string) => parseRules(text, 'rules.yaml', { transformers: testTransformers });
const brief = (findings: readonly Finding[]) => findings.map((f) => [f.severity, f.code, f.file?.line, f.file?.column]);
const errorsOf = (subset: string): Finding[] => read(`version: 1\ntables: {}\nsubset:\n${subset}`).findings.filter((f) => f.severity === 'error');

describe('subset: in a rules file', () => {
  it('reads every key, table names normalised as the keys of tables: are, with positions', () => {
    const { rules, findings } = read(spec);
    expect(brief(findings)).toEqual([['warning', 'RULES_TABLE_KEY_FOLDED', 7, 14]]);
    const subset = rules!.subset!;
    expect(subset.position).toEqual(at(5, 1));
    expect(subset.roots).toEqual([
      { table: 'public.customers', where: "country = 'SE'", limit: 10000, percent: undefined, position: at(7, 7) },
      { table: 'public.orders', where: undefined, limit: undefined, percent: 1.5, position: at(10, 7) },
    ]);
    expect(subset.children).toEqual([
      { foreignKey: 'orders_customer_id_fkey', table: 'public.orders', limitPerParent: 5, position: at(12, 7) },
      { foreignKey: 'comments_post', table: 'public.comments', limitPerParent: undefined, position: at(13, 7) },
    ]);
    expect(subset.virtualKeys).toEqual([
      {
        name: 'comments_post',
        table: 'public.comments',
        columns: ['subject_id'],
        references: 'public.posts',
        referencedColumns: undefined,
        where: "subject_type = 'Post'",
        position: at(15, 7),
      },
      {
        name: 'notes_customer',
        table: '"Sales"."Notes"',
        columns: ['a', 'b'],
        references: 'public.customers',
        referencedColumns: ['x', 'y'],
        where: undefined,
        position: at(20, 7),
      },
    ]);
    expect(subset.whole).toEqual(['public.countries']);
    expect(subset.wholeAt.get('public.countries')).toEqual(at(21, 11));
    expect(subset.empty).toEqual(['public.audit_log']);
    expect(subset.emptyAt.get('public.audit_log')).toEqual(at(22, 11));
    expect(subset.nullOutside).toEqual([{ table: 'public.employees', foreignKey: 'employees_manager_id_fkey', position: at(24, 7) }]);
  });

  it('defaults children to none; a file without subset: has none', () => {
    expect(read('version: 1\nsubset:\n  roots: [{ table: t }]\n').rules!.subset).toMatchObject({ children: 'none', virtualKeys: [], whole: [], empty: [], nullOutside: [] });
    expect(read('version: 1\nsubset:\n  roots: [{ table: t }]\n  children: all\n').rules!.subset!.children).toBe('all');
    expect(read('version: 1\ntables: {}\n').rules!.subset).toBeUndefined();
  });

  it('the generated JSON Schema accepts it, and refuses what the parser refuses', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(rulesJsonSchema(testTransformers));
    expect(validate(parse(spec)), JSON.stringify(validate.errors)).toBe(true);
    for (const bad of [
      '  roots: [{ table: t, limit: 1, percent: 1 }]\n',
      '  roots: [{ table: t, percent: 0 }]\n',
      '  roots: [{ table: t, percent: 100.5 }]\n',
      '  roots: [{ table: t, limit: 0 }]\n',
      '  roots: []\n',
      '  roots: [{ table: t }]\n  children: some\n',
      '  roots: [{ table: t }]\n  children: [{ table: t }]\n',
      '  roots: [{ table: t }]\n  extra: 1\n',
    ]) {
      expect(validate(parse(`version: 1\nsubset:\n${bad}`)), bad).toBe(false);
    }
  });

  describe('schema errors read well, at the right place', () => {
    it('percent out of range', () => {
      const [error] = errorsOf('  roots:\n    - { table: t, percent: 0 }\n');
      expect(error).toMatchObject({ code: 'RULES_INVALID_VALUE', file: at(5, 28), message: 'percent of root 1 of subset.roots must be a number more than 0 and at most 100' });
    });

    it('limit with percent, at the percent', () => {
      const [error, more] = errorsOf('  roots:\n    - table: t\n      limit: 10\n      percent: 5\n');
      expect(more).toBeUndefined();
      expect(error).toMatchObject({ code: 'RULES_INVALID_VALUE', file: at(7, 7), message: expect.stringContaining('has both limit and percent') });
    });

    it('a limit that is not a whole number of at least 1', () => {
      expect(errorsOf('  roots: [{ table: t, limit: 2.5 }]\n')[0]).toMatchObject({ message: 'limit of root 1 of subset.roots must be a whole number, 1 or more' });
    });

    it('unknown keys, with a did-you-mean and the keys allowed', () => {
      const errors = errorsOf('  roots: [{ table: t, limt: 3 }]\n  virtual_key: []\n');
      expect(sortFindings(errors).map((e) => [e.code, e.file?.line, e.file?.column, e.message])).toEqual([
        ['RULES_UNKNOWN_KEY', 4, 23, "unknown key 'limt' in root 1 of subset.roots; did you mean 'limit'?; it holds table, where, limit and percent"],
        [
          'RULES_UNKNOWN_KEY',
          5,
          3,
          "unknown key 'virtual_key' in subset:; did you mean 'virtual_keys'?; subset: holds roots, children, virtual_keys, whole, empty and null_outside",
        ],
      ]);
    });

    it('children that are neither all, none nor a list', () => {
      for (const children of ['some', '3', '{ a: 1 }']) {
        const errors = errorsOf(`  roots: [{ table: t }]\n  children: ${children}\n`);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ code: 'RULES_INVALID_VALUE', file: at(5, 13), message: expect.stringContaining('children must be all, none or a list of') });
      }
    });

    it('a child rule without its foreign key, a virtual key without columns, subset without roots', () => {
      expect(errorsOf('  roots: [{ table: t }]\n  children: [{ table: t }]\n')[0]).toMatchObject({
        code: 'RULES_MISSING_KEY',
        file: at(5, 14),
        message: "child rule 1 of subset.children has no 'foreign_key'; it needs foreign_key and table",
      });
      expect(errorsOf('  roots: [{ table: t }]\n  virtual_keys: [{ name: k, table: t, columns: [], references: u }]\n')[0]).toMatchObject({
        message: 'columns of virtual key 1 of subset.virtual_keys must list at least one column',
      });
      expect(errorsOf('  whole: [t]\n')[0]).toMatchObject({ code: 'RULES_MISSING_KEY', file: at(3, 1) });
      expect(errorsOf('  roots: []\n')[0]).toMatchObject({ message: 'subset.roots needs at least one table to start from' });
    });

    it('a table name that cannot be read', () => {
      expect(errorsOf('  roots: [{ table: "bad name" }]\n')[0]).toMatchObject({ code: 'RULES_TABLE_KEY', file: at(4, 20) });
    });
  });

  describe('checks that need no database', () => {
    it('two virtual keys with the same name', () => {
      const errors = errorsOf(
        '  roots: [{ table: t }]\n  virtual_keys:\n    - { name: k, table: a, columns: [x], references: b }\n    - { name: k, table: c, columns: [x], references: b }\n',
      );
      expect(errors.map((e) => [e.code, e.file?.line, e.file?.column])).toEqual([['RULES_SUBSET_DUPLICATE_KEY_NAME', 7, 15]]);
      expect(errors[0]!.message).toContain('already defined at line 6');
    });

    it('a virtual key whose column lists differ in length', () => {
      const errors = errorsOf('  roots: [{ table: t }]\n  virtual_keys:\n    - { name: k, table: a, columns: [x], references: b, referenced_columns: [x, y] }\n');
      expect(errors.map((e) => e.code)).toEqual(['RULES_SUBSET_KEY_COLUMNS']);
    });

    it('a table both whole and empty, a root left empty', () => {
      const errors = errorsOf('  roots: [{ table: public.t }]\n  whole: [countries]\n  empty: [public.countries, t]\n');
      expect(errors.map((e) => [e.code, e.table, e.file?.line, e.file?.column])).toEqual([
        ['RULES_SUBSET_WHOLE_AND_EMPTY', 'public.countries', 6, 11],
        ['RULES_SUBSET_EMPTY_ROOT', 'public.t', 4, 11],
      ]);
    });
  });
});
