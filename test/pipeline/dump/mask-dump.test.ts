import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/parse-rules.js';
import type { Rules } from '../../../src/config/rules.js';
import { DumpError } from '../../../src/dump/dump-error.js';
import { maskDump } from '../../../src/pipeline/dump/mask-dump.js';
import type { RunReport } from '../../../src/pipeline/run/report.js';
import { RunFailedError } from '../../../src/pipeline/run/run-failed-error.js';
import { maskingKeyFromBytes } from '../../../src/random/key.js';

const key = maskingKeyFromBytes(Buffer.alloc(32, 7));

function rules(yaml: string): Rules {
  const parsed = parseRules(yaml, 'rules.yaml');
  if (!parsed.rules) throw new Error(parsed.findings.map((f) => f.message).join('\n'));
  return parsed.rules;
}

async function mask(dump: string, yaml: string): Promise<{ output: string; report: RunReport }> {
  const chunks: Buffer[] = [];
  const output = new PassThrough();
  output.on('data', (c: Buffer) => chunks.push(c));
  // Small chunks, so that blocks and statements are cut in many places.
  const input = Readable.from(Array.from({ length: Math.ceil(dump.length / 7) }, (_, i) => Buffer.from(dump.slice(i * 7, i * 7 + 7))));
  const report = await maskDump({ input, output, rules: rules(yaml), key, version: 'test' });
  return { output: Buffer.concat(chunks).toString(), report };
}

async function refusal(dump: string, yaml: string): Promise<{ error: DumpError; output: string; report: RunReport }> {
  const chunks: Buffer[] = [];
  const output = new PassThrough();
  output.on('data', (c: Buffer) => chunks.push(c));
  try {
    await maskDump({ input: Readable.from([Buffer.from(dump)]), output, rules: rules(yaml), key, version: 'test' });
  } catch (error) {
    expect(error).toBeInstanceOf(RunFailedError);
    const cause = (error as RunFailedError).cause;
    expect(cause).toBeInstanceOf(DumpError);
    return { error: cause as DumpError, output: Buffer.concat(chunks).toString(), report: (error as RunFailedError).report };
  }
  throw new Error('maskDump accepted the dump');
}

const PARTITIONED = `CREATE TABLE public.people (
    id integer,
    email text,
    zip integer
)
PARTITION BY RANGE (id);

CREATE TABLE public.people_1 (
    id integer,
    email text,
    zip integer
);

CREATE TABLE public.people_2 (
    zip integer,
    id integer,
    email text
);

CREATE TABLE public.child (
    extra text
)
INHERITS (public.people_base);

ALTER TABLE ONLY public.people ATTACH PARTITION public.people_1 FOR VALUES FROM (0) TO (10);

ALTER TABLE ONLY public.people ATTACH PARTITION public.people_2 FOR VALUES FROM (10) TO (20);

COPY public.people_1 (id, email, zip) FROM stdin;
1	anna@mail.se	41106
2	\\N	11422
\\.

COPY public.people_2 (zip, id, email) FROM stdin;
75313	11	bo@mail.se
\\.

`;

const PEOPLE_RULES = `version: 1
unlisted: fail
tables:
  public.people:
    columns:
      id: keep
      email: email
      zip: se.postal_code
`;

describe('maskDump', () => {
  it('applies a partitioned table’s rules to its partitions, by column name, with the types of CREATE TABLE', async () => {
    const { output, report } = await mask(PARTITIONED, PEOPLE_RULES);
    const rows = (table: string): string[][] => {
      const block = output.split(`COPY public.${table} `)[1]!.split('\n\\.\n')[0]!.split('\n').slice(1);
      return block.map((line) => line.split('\t'));
    };
    const [anna, nobody] = rows('people_1') as [string[], string[]];
    expect(anna[0]).toBe('1');
    expect(anna[1]).toMatch(/@example\.(com|org|net)$|@.*\.test$/);
    expect(anna[1]).not.toBe('anna@mail.se');
    expect(anna[2]).toMatch(/^[1-9]\d{4}$/); // an integer column: no space in the postal code
    expect(nobody[1]).toBe('\\N');
    const [bo] = rows('people_2') as [string[]];
    expect(bo[1]).toBe('11');
    expect(bo[0]).toMatch(/^[1-9]\d{4}$/);
    expect(bo[2]).not.toBe('bo@mail.se');
    expect(output).not.toMatch(/anna@mail\.se\t|bo@mail\.se\n/);
    // Everything but the rows is unchanged.
    expect(output.replace(/FROM stdin;\n[\s\S]*?\\\.\n/g, '')).toBe(PARTITIONED.replace(/FROM stdin;\n[\s\S]*?\\\.\n/g, ''));
    expect(report).toMatchObject({ command: 'mask', outcome: 'succeeded', key: { fingerprint: key.fingerprint } });
    expect(report.tables).toEqual([
      { table: 'public.people_1', status: 'copied', rows: 2, bytes: 32, seconds: expect.any(Number), columns: { id: 'keep', email: 'email', zip: 'se.postal_code' } },
      { table: 'public.people_2', status: 'copied', rows: 1, bytes: 20, seconds: expect.any(Number), columns: { zip: 'se.postal_code', id: 'keep', email: 'email' } },
    ]);
  });

  it('stops at a table with no rules before writing any of its block, naming line, table and what to add', async () => {
    const { error, output, report } = await refusal(`${PARTITIONED}COPY public.secrets (id, pin) FROM stdin;\n1\t1234\n\\.\n`, PEOPLE_RULES);
    expect(error.code).toBe('COPY_TABLE_WITHOUT_RULES');
    expect(error.exitCode).toBe(1);
    expect(error.line).toBe(PARTITIONED.split('\n').length);
    expect(error.message).toMatch(
      /^dump line \d+: table public\.secrets has no rules; add it under tables: in rules\.yaml with a rule for each of its columns \(id, pin\), or with skip: true/,
    );
    expect(output).not.toContain('COPY public.secrets');
    expect(report).toMatchObject({ outcome: 'failed', error: { code: 'COPY_TABLE_WITHOUT_RULES', table: 'public.secrets' } });
  });

  it('stops at a column with no rule, naming it and the entry to add it to', async () => {
    const { error } = await refusal(
      PARTITIONED.replace('(id, email, zip) FROM stdin;\n1\tanna@mail.se\t41106\n2\t\\N\t11422', '(id, email, zip, pin) FROM stdin;\n1\tanna@mail.se\t41106\t1\n2\t\\N\t11422\t2'),
      PEOPLE_RULES,
    );
    expect(error.code).toBe('COPY_COLUMN_WITHOUT_RULE');
    expect(error.column).toBe('pin');
    expect(error.message).toBe(
      `dump line ${error.line}: column pin of table public.people_1 has no rule (the rules of public.people cover its partition public.people_1); give it a rule under columns: of public.people in rules.yaml (keep, if it holds nothing personal), or opt the table out with unlisted: keep in its entry to copy its columns without a rule unchanged`,
    );
  });

  describe('a new column in a listed table', () => {
    const withPin = PARTITIONED.replace(
      '(id, email, zip) FROM stdin;\n1\tanna@mail.se\t41106\n2\t\\N\t11422',
      '(id, email, zip, pin) FROM stdin;\n1\tanna@mail.se\t41106\t1234\n2\t\\N\t11422\t5678',
    );
    const topKeep = PEOPLE_RULES.replace('unlisted: fail', 'unlisted: keep');

    it('is refused under the top-level unlisted: keep, before any of its block is written', async () => {
      const { error, output } = await refusal(withPin, topKeep);
      expect(error.code).toBe('COPY_COLUMN_WITHOUT_RULE');
      expect(error.column).toBe('pin');
      expect(error.message).toMatch(/column pin of table public\.people_1 has no rule .*or opt the table out with unlisted: keep in its entry/);
      expect(output).not.toContain('COPY public.people_1');
      expect(output).not.toMatch(/1234|5678/);
    });

    it('is written unchanged when the table’s entry (its partitioned parent’s) says unlisted: keep', async () => {
      const { output, report } = await mask(withPin, topKeep.replace('  public.people:\n', '  public.people:\n    unlisted: keep\n'));
      expect(output).toMatch(/\n1\t[^\t]+\t\d+\t1234\n2\t\\N\t\d+\t5678\n/);
      expect(output).not.toContain('anna@mail.se');
      expect(report.tables[0]).toMatchObject({ table: 'public.people_1', status: 'copied', columns: { id: 'keep', email: 'email', zip: 'se.postal_code', pin: 'keep' } });
    });
  });

  it('does not lend a parent’s rules to an inheritance child', async () => {
    const dump = `${PARTITIONED}COPY public.child (id, email, zip, extra) FROM stdin;\n5\tc@mail.se\t11122\tx\n\\.\n`;
    const { error } = await refusal(dump, PEOPLE_RULES.replace('public.people:', 'public.people_base:\n    columns: { id: keep, email: email, zip: keep }\n  public.people:'));
    expect(error.code).toBe('COPY_TABLE_WITHOUT_RULES');
    expect(error.message).toMatch(/table public\.child has no rules.*the rules of public\.people_base do not apply to it: an inheritance child is a table of its own/);
  });

  it('names the partitioned root when neither a partition nor its parent has rules', async () => {
    const { error } = await refusal(PARTITIONED, 'version: 1\nunlisted: fail\ntables:\n  public.other:\n    skip: true\n');
    expect(error.message).toMatch(/table public\.people_1 is a partition of public\.people, and neither has rules; add public\.people under tables:/);
  });

  it('says a --data-only dump cannot carry partition rules', async () => {
    const dataOnly = PARTITIONED.slice(PARTITIONED.indexOf('COPY public.people_1'));
    const { error } = await refusal(dataOnly, PEOPLE_RULES);
    expect(error.message).toMatch(/table public\.people_1 has no rules.*--data-only.*name the partition itself/);
  });

  it('keeps everything under unlisted: keep, byte for byte', async () => {
    const { output, report } = await mask(PARTITIONED, 'version: 1\nunlisted: keep\ntables: {}\n');
    expect(output).toBe(PARTITIONED);
    expect(report.tables.map((t) => [t.table, t.rows])).toEqual([
      ['public.people_1', 2],
      ['public.people_2', 1],
    ]);
  });

  it('empties the block of a skipped table, keeping its header and end line', async () => {
    const { output, report } = await mask(PARTITIONED, 'version: 1\nunlisted: fail\ntables:\n  public.people:\n    skip: true\n');
    expect(output).toContain('COPY public.people_1 (id, email, zip) FROM stdin;\n\\.\n');
    expect(output).toContain('COPY public.people_2 (zip, id, email) FROM stdin;\n\\.\n');
    expect(output).not.toContain('mail.se');
    expect(report.tables.map((t) => [t.table, t.status, t.rows])).toEqual([
      ['public.people_1', 'skipped', 0],
      ['public.people_2', 'skipped', 0],
    ]);
  });

  it('refuses a rule that reads a column the block does not hold', async () => {
    const { error } = await refusal(PARTITIONED, PEOPLE_RULES.replace('email: email', 'email: { transform: template, template: "{nope}@example.com" }'));
    expect(error.code).toBe('COPY_READS_UNKNOWN_COLUMN');
    expect(error.message).toMatch(/reads nope/);
    // A template nested in a json path reads the row too.
    const nested = await refusal(PARTITIONED, PEOPLE_RULES.replace('email: email', 'email: { transform: json, paths: { "$.a": { transform: template, template: "{nope}" } } }'));
    expect(nested.error.code).toBe('COPY_READS_UNKNOWN_COLUMN');
  });

  it('warns about rules that matched no COPY block', async () => {
    const { report } = await mask(
      PARTITIONED,
      `${PEOPLE_RULES}  public.gone:\n    skip: true\n  public.people_2:\n    columns: { id: keep, email: email, zip: keep, old: keep }\n`,
    );
    expect(report.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['RULE_TABLE_NOT_IN_DUMP', 'RULE_COLUMN_NOT_IN_DUMP']));
    expect(report.warnings.find((w) => w.code === 'RULE_TABLE_NOT_IN_DUMP')!.message).toContain('public.gone');
    // A leaf's own entry replaces its parent's: zip is kept in people_2.
    expect(report.tables[1]!.columns).toEqual({ zip: 'keep', id: 'keep', email: 'email' });
  });
});
