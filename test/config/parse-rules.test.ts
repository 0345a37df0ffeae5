import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, RulesError, readRulesFile } from '../../src/config/load-rules.js';
import { parseRules } from '../../src/config/parse-rules.js';
import { ConfigError, ExitCode } from '../../src/errors.js';
import { testTransformers } from './fake-transformers.js';

const good = new URL('../fixtures/rules/good/everything.yaml', import.meta.url);
const parse = (text: string) => parseRules(text, 'rules.yaml', { transformers: testTransformers });

describe('parseRules on a valid file', async () => {
  const text = await readFile(good, 'utf8');
  const { rules, findings } = parse(text);

  it('gives rules and no findings', () => {
    expect(findings).toEqual([]);
    expect(rules?.version).toBe(1);
    expect(rules?.unlisted).toBe('fail');
    expect(rules?.file).toBe('rules.yaml');
    expect(rules?.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('keys tables by tableKey, reading quoted identifiers exactly', () => {
    expect([...rules!.tables.keys()]).toEqual([
      'public.customers',
      'public.customers_archive',
      'public."Order Items"',
      '"Sales"."Kund"',
      '"a.b".c',
      '"say ""hi""".t',
      'public."ünïcødé"',
    ]);
    const kund = rules!.tables.get('"Sales"."Kund"')!;
    expect([kund.schema, kund.name]).toEqual(['Sales', 'Kund']);
    expect(rules!.tables.get('"a.b".c')).toMatchObject({ schema: 'a.b', name: 'c' });
    expect(rules!.tables.get('"say ""hi""".t')).toMatchObject({ schema: 'say "hi"', name: 't', skip: true });
    expect(rules!.tables.get('public.customers_archive')).toMatchObject({ schema: 'public', name: 'customers_archive', skip: true });
  });

  it('takes column names exactly as written, and `null` as the null transformer', () => {
    const columns = rules!.tables.get('public.customers')!.columns;
    expect([...columns.keys()]).toEqual(['id', 'email', 'notes', 'select', 'x"); drop table t;--', '123', 'true', 'code']);
    expect(columns.get('notes')?.transform).toBe('null');
    expect(columns.get('x"); drop table t;--')?.transform).toBe('null');
    expect([...rules!.tables.get('"Sales"."Kund"')!.columns.keys()]).toEqual(['Namn', 'Ålder']);
    expect([...rules!.tables.get('public."ünïcødé"')!.columns.entries()].map(([k, v]) => [k, v.transform])).toEqual([
      ['名前', 'null'],
      ['emoji 🎉', 'null'],
    ]);
  });

  it('splits a mapping rule into transform, unique, scope and options, with positions', () => {
    const columns = rules!.tables.get('public.customers')!.columns;
    expect(columns.get('email')).toEqual({
      column: 'email',
      transform: 'keep',
      options: {},
      unique: true,
      scope: undefined,
      position: { file: 'rules.yaml', line: 8, column: 7 },
    });
    expect(columns.get('code')).toMatchObject({ transform: 'test.pad', options: { width: 5, fill: '0' }, unique: false, scope: 'codes' });
    expect(rules!.tables.get('public.customers')!.position).toEqual({ file: 'rules.yaml', line: 5, column: 3 });
  });
});

describe('parseRules', () => {
  it('reads unlisted: keep and an empty tables mapping', () => {
    const { rules } = parse('version: 1\nunlisted: keep\ntables: {}\n');
    expect(rules?.unlisted).toBe('keep');
    expect(rules?.tables.size).toBe(0);
  });

  it('reads a table’s own unlisted: fail by default, keep or fail when written, apart from the top-level one', () => {
    const { rules, findings } = parse(
      'version: 1\nunlisted: keep\ntables:\n  a:\n    columns: { id: keep }\n  b:\n    unlisted: keep\n    columns: { id: keep }\n  c:\n    unlisted: fail\n  d:\n    skip: true\n    unlisted: keep\n',
    );
    expect(findings).toEqual([]);
    expect(rules?.unlisted).toBe('keep');
    expect(['a', 'b', 'c', 'd'].map((t) => rules?.tables.get(`public.${t}`)?.unlisted)).toEqual(['fail', 'keep', 'fail', 'keep']);
  });

  it('refuses a table’s unlisted other than fail or keep, at its value, saying what each means', () => {
    for (const value of ['maybe', 'true', 'KEEP', '[keep]']) {
      const { rules, findings } = parse(`version: 1\ntables:\n  public.users:\n    unlisted: ${value}\n    columns: { id: keep }\n`);
      expect(rules).toBeUndefined();
      expect(findings.map((f) => [f.severity, f.code, f.table, f.file?.line, f.file?.column, f.message])).toEqual([
        [
          'error',
          'RULES_INVALID_VALUE',
          'public.users',
          4,
          15,
          "unlisted of table public.users must be 'fail' (a column of it without a rule fails validation) or 'keep' (its columns without a rule are copied unchanged)",
        ],
      ]);
    }
  });

  it('names unlisted among a table’s keys when a key is unknown', () => {
    const { findings } = parse('version: 1\ntables:\n  t:\n    unlisetd: keep\n');
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      ['RULES_UNKNOWN_KEY', "unknown key 'unlisetd' in table public.t; did you mean 'unlisted'?; a table holds columns, skip, unlisted and subject"],
    ]);
  });

  it('accepts a file with no tables key', () => {
    expect(parse('version: 1\n').rules?.tables.size).toBe(0);
  });

  it('says where the masking key comes from when a file tries to hold one', () => {
    const { findings } = parse('version: 1\nkey: abc\n');
    expect(findings[0]?.message).toMatch(/PGMASK_KEY/);
    expect(findings[0]?.message).toMatch(/--key-file/);
    expect(findings[0]?.message).not.toMatch(/abc/);
  });

  it('suggests the nearest transformer name', () => {
    const message = (name: string): string => parse(`version: 1\ntables:\n  t:\n    columns:\n      a: ${name}\n`).findings[0]!.message;
    expect(message('nul')).toMatch(/did you mean 'null'\?/);
    expect(message('kepe')).toMatch(/did you mean 'keep'\?/);
    expect(message('test.pda')).toMatch(/did you mean 'test.pad'\?/);
    expect(message('fancy.unknown')).toMatch(/the transformers are keep, null, test\.pad/);
  });

  it('suggests the nearest key for a misspelt one', () => {
    expect(parse('version: 1\ntabels: {}\n').findings[0]?.message).toMatch(/did you mean 'tables'\?/);
    expect(parse('version: 1\ntables:\n  t:\n    colums: {}\n').findings[0]?.message).toMatch(/did you mean 'columns'\?/);
    expect(parse('version: 1\ntables:\n  t:\n    columns:\n      a: { transform: test.pad, widht: 3 }\n').findings.map((f) => f.message)).toContainEqual(
      expect.stringMatching(/no option 'widht'; did you mean 'width'\?/),
    );
  });

  it('warns when an unquoted table key is folded to lower case', () => {
    const { rules, findings } = parse('version: 1\ntables:\n  Public.Customers:\n    skip: true\n');
    expect(findings).toMatchObject([{ severity: 'warning', code: 'RULES_TABLE_KEY_FOLDED', table: 'public.customers', file: { line: 3, column: 3 } }]);
    expect(rules?.tables.has('public.customers')).toBe(true);
  });

  it('warns about column rules under skip: true', () => {
    const { rules, findings } = parse('version: 1\ntables:\n  t:\n    columns: { a: keep }\n    skip: true\n');
    expect(findings).toMatchObject([{ severity: 'warning', code: 'RULES_SKIP_WITH_COLUMNS', file: { line: 5, column: 5 } }]);
    expect(rules?.tables.get('public.t')?.skip).toBe(true);
  });

  it('warns when unique: true asks what the transformer cannot give', () => {
    const text =
      'version: 1\ntables:\n  t:\n    columns:\n      a: { transform: null, unique: true }\n      b: { transform: test.pool, unique: true }\n      c: { transform: keep, unique: true }\n      d: { transform: test.derived, lossy: true, unique: true }\n';
    const { rules, findings } = parse(text);
    expect(findings.map((f) => [f.severity, f.code, f.column, f.file?.line, f.file?.column])).toEqual([
      ['warning', 'RULES_UNIQUE_UNSUPPORTED', 'a', 5, 29],
      ['warning', 'RULES_UNIQUE_UNSUPPORTED', 'd', 8, 50],
    ]);
    expect(rules?.tables.get('public.t')?.columns.get('b')?.unique).toBe(true);
  });

  it('reports YAML warnings (unknown tags) as warnings', () => {
    const { rules, findings } = parse('version: 1\ntables:\n  t:\n    columns: { a: !weird keep }\n');
    expect(findings).toMatchObject([{ severity: 'warning', code: 'RULES_YAML_WARNING', file: { line: 4, column: 19 } }]);
    expect(rules?.tables.get('public.t')?.columns.get('a')?.transform).toBe('keep');
  });

  it('resolves YAML aliases', () => {
    const { rules, findings } = parse('version: 1\ntables:\n  a:\n    columns: &cols { id: keep, n: null }\n  b:\n    columns: *cols\n');
    expect(findings).toEqual([]);
    expect([...rules!.tables.get('public.b')!.columns.keys()]).toEqual(['id', 'n']);
  });

  it('names every error of a file at once', () => {
    const { findings } = parse('version: 3\nunlisted: no\ntables:\n  t:\n    columns: { a: nope, b: { transform: keep, x: 1 } }\n');
    expect(findings.map((f) => [f.code, f.file?.line, f.file?.column])).toEqual([
      ['RULES_VERSION', 1, 10],
      ['RULES_INVALID_VALUE', 2, 11],
      ['RULES_UNKNOWN_TRANSFORMER', 5, 19],
      ['RULES_UNKNOWN_OPTION', 5, 47],
    ]);
  });

  it('checks options with each transformer’s own schema', () => {
    const ok = parse('version: 1\ntables:\n  t:\n    columns:\n      a: { transform: test.nested, paths: { "$.x": keep, "$.y": "null" } }\n');
    expect(ok.findings).toEqual([]);
    expect(ok.rules?.tables.get('public.t')?.columns.get('a')?.options).toEqual({ paths: { '$.x': 'keep', '$.y': 'null' } });
  });

  it('uses the registry when no transformers are given', () => {
    const { rules, findings } = parseRules('version: 1\ntables:\n  t:\n    columns: { a: keep, b: null }\n', 'r.yaml');
    expect(findings).toEqual([]);
    expect(rules?.tables.get('public.t')?.columns.get('b')?.transform).toBe('null');
    expect(parseRules('version: 1\ntables:\n  t:\n    columns: { a: test.pad }\n', 'r.yaml').findings[0]?.code).toBe('RULES_UNKNOWN_TRANSFORMER');
  });

  it('gives one finding for an option value outside the values its context allows, listing those values', () => {
    const registry = (column: string) => parseRules(`version: 1\ntables:\n  t:\n    columns:\n      ${column}\n`, 'r.yaml').findings;
    const month = registry('pnr: { transform: se.personnummer, keep_birth: month }');
    expect(month.map((f) => [f.code, f.file?.line, f.file?.column])).toEqual([['RULES_INVALID_OPTION', 5, 54]]);
    expect(month[0]?.message).toBe(`option 'keep_birth' of transformer 'se.personnummer' must be one of "age", "none", "decade", "year" with pool: official (the default)`);
    const synthetic = registry('pnr: { transform: se.personnummer, pool: synthetic, keep_birth: month }');
    expect(synthetic.map((f) => f.message)).toEqual([`option 'keep_birth' of transformer 'se.personnummer' must be one of "decade", "year", "date" with pool: synthetic`]);
    // A value the option knows but its context does not allow: the same message.
    expect(registry('pnr: { transform: se.personnummer, keep_birth: date }').map((f) => f.message)).toEqual(month.map((f) => f.message));
    const nested = registry('notes: { transform: text.scrub, personnummer: { keep_birth: month } }');
    expect(nested.map((f) => f.message)).toEqual([
      `option 'personnummer.keep_birth' of transformer 'text.scrub' must be one of "age", "none", "decade", "year" with personnummer.pool: official (the default)`,
    ]);
    const strict = parse('version: 1\ntables:\n  t:\n    columns:\n      a: { transform: test.modal, mode: strict, level: low }\n').findings;
    expect(strict.map((f) => f.message)).toEqual([`option 'level' of transformer 'test.modal' must be one of "mid", "high", "max" with mode: strict`]);
  });

  it('positions with CRLF line ends', () => {
    const { findings } = parse('version: 1\r\ntables:\r\n  t:\r\n    columns:\r\n      a: nope\r\n');
    expect(findings.map((f) => [f.code, f.file?.line, f.file?.column])).toEqual([['RULES_UNKNOWN_TRANSFORMER', 5, 10]]);
  });
});

describe('loadRules and readRulesFile', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pgmask-rules-'));

  it('loads a file and hashes its bytes', async () => {
    const file = join(dir, 'ok.yaml');
    const bytes = Buffer.from('\ufeffversion: 1\ntables:\n  t:\n    columns: { a: keep }\n');
    await writeFile(file, bytes);
    const rules = await loadRules(file);
    expect(rules.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(rules.tables.get('public.t')?.columns.get('a')?.position).toEqual({ file, line: 4, column: 16 });
  });

  it('throws a RulesError (ConfigError, exit 1) naming file:line:column of the first error', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'version: 1\ntables:\n  t:\n    columns: { a: nope, b: nada }\n');
    const error = await loadRules(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RulesError);
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as RulesError;
    expect(e.exitCode).toBe(ExitCode.validation);
    expect(e.code).toBe('RULES_UNKNOWN_TRANSFORMER');
    expect(e.position).toEqual({ file, line: 4, column: 19 });
    expect(e.message.startsWith(`${file}:4:19: unknown transformer 'nope'`)).toBe(true);
    expect(e.message).toMatch(/and 1 more error/);
    expect(e.findings).toHaveLength(2);
  });

  it('reports a missing file and a file that is not UTF-8 as findings', async () => {
    expect((await readRulesFile(join(dir, 'missing.yaml'))).findings).toMatchObject([{ code: 'RULES_READ', severity: 'error' }]);
    const file = join(dir, 'latin1.yaml');
    await writeFile(file, Buffer.concat([Buffer.from('version: 1\ntables:\n  kund:\n    columns: { '), Buffer.from([0xc5]), Buffer.from('lder: keep }\n')]));
    expect((await readRulesFile(file)).findings).toMatchObject([{ code: 'RULES_ENCODING', file: { file, line: 4, column: 16 } }]);
    await expect(loadRules(file)).rejects.toMatchObject({ code: 'RULES_ENCODING' });
  });
});
