import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, type TestDatabase, useDatabase } from '../../support/database.js';
import { writeRulesFile } from '../../support/rules-file.js';

const TABLE = 'CREATE TABLE t (id int PRIMARY KEY, b bytea UNIQUE, big bytea, note text); CREATE TABLE u (code text UNIQUE)';

// b: every 1-byte value, 2,000 2-byte values, and values of 0, 3–9, 16, 32 and 2,000 bytes; big: 100,000 bytes (too big for an index once masked).
const ROWS = `
  INSERT INTO t SELECT i, set_byte('\\x00'::bytea, 0, i), 'one' FROM generate_series(0, 255) i;
  INSERT INTO t SELECT 1000 + i, decode(lpad(to_hex(i * 31), 4, '0'), 'hex'), 'two' FROM generate_series(0, 1999) i;
  INSERT INTO t SELECT 5000 + n, decode(repeat('5c', n), 'hex'), 'n' FROM unnest(ARRAY[0, 3, 4, 5, 6, 7, 8, 9, 16, 32, 2000]) n;
  INSERT INTO t VALUES (9000, NULL, decode(repeat('5c00', 50000), 'hex'), 'null');`;

type Row = { id: number; b: string | null; n: number | null; big: string | null; big_n: number | null };
const rows = (db: TestDatabase) => db.query<Row>('SELECT id, b::text AS b, octet_length(b) AS n, md5(big) AS big, octet_length(big) AS big_n FROM t ORDER BY id');
const rulesFile = (table: string, column: string, rule: string) =>
  writeRulesFile('pgmask-bytea-', `version: 1\nunlisted: keep\ntables:\n  ${table}:\n    unlisted: keep\n    columns:\n      ${column}: ${rule}\n`).file;

describe('hash on a bytea column', async () => {
  const source = await useDatabase('pgmask_bytea_src');
  // The same rows, read with bytea_output = escape.
  const escaped = await useDatabase('pgmask_bytea_esc');
  const targets: TestDatabase[] = [];
  const copy = async (from: TestDatabase, rule: string, env: NodeJS.ProcessEnv = {}): Promise<TestDatabase> => {
    const target = await createDatabase('pgmask_bytea_dst');
    targets.push(target);
    await target.query(TABLE);
    const rules = rulesFile('public.t', 'b', `${rule}\n      big: ${rule}`);
    const result = await runCli(['copy', '--source', from.url, '--target', target.url, '--rules', rules], { env });
    expect(result.stderr).toContain('succeeded');
    expect(result.code).toBe(0);
    return target;
  };

  beforeAll(async () => {
    for (const db of [source, escaped]) await db.query(`${TABLE}; ${ROWS}`);
    await escaped.query(`ALTER DATABASE "${escaped.name}" SET bytea_output = 'escape'`);
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
  });

  it('keeps every value bytea of its length, distinct values distinct (the target column is UNIQUE), NULL and empty as they were', async () => {
    const before = await rows(source);
    const after = await rows(await copy(source, 'hash'));
    expect(after.map((r) => [r.id, r.n, r.big_n])).toEqual(before.map((r) => [r.id, r.n, r.big_n]));
    expect(after.at(-1)!.big).not.toBe(before.at(-1)!.big);
    expect(after.find((r) => r.id === 5000)?.b).toBe('\\x');
    expect(after.find((r) => r.id === 9000)?.b).toBeNull();
    // A keyed permutation may leave a short value as it was (one 1-byte value in 256, on average); a value of 8 bytes or more, never.
    const unchanged = after.filter((r, i) => r.n !== null && r.n > 0 && r.b === before[i]!.b);
    expect(unchanged.filter((r) => r.n! >= 8)).toEqual([]);
    expect(unchanged.length).toBeLessThan(8);
  });

  it('is deterministic and keyed, and reads the escape form as the same bytes', async () => {
    const plain = await copy(source, 'hash');
    const fromEscape = await copy(escaped, '{ transform: hash, unique: true }');
    expect((await fromEscape.copyOut('t')).equals(await plain.copyOut('t'))).toBe(true);
    // pgmask mask takes the column's type from the dump's CREATE TABLE: the same rows come out.
    const dump = `CREATE TABLE public.t (\n    id integer NOT NULL,\n    b bytea,\n    big bytea,\n    note text\n);\n\nCOPY public.t (id, b, big, note) FROM stdin;\n${(await source.copyOut('t')).toString()}\\.\n`;
    const masked = await runCli(['mask', '--rules', rulesFile('public.t', 'b', 'hash\n      big: hash')], { input: dump });
    expect(masked.code).toBe(0);
    expect(masked.stdout.split('FROM stdin;\n')[1]!.split('\\.\n')[0]).toBe((await plain.copyOut('t')).toString());
    const [mine, theirs] = [await rows(plain), await rows(await copy(source, 'hash', { PGMASK_KEY: 'ab'.repeat(32) }))];
    expect(theirs.map((r) => r.n)).toEqual(mine.map((r) => r.n));
    expect(theirs.filter((r, i) => r.n !== null && r.n >= 8 && r.b === mine[i]!.b)).toEqual([]);
  });

  it('passes validate on a UNIQUE bytea column whatever length: says, and fails the same rule on a UNIQUE text column', async () => {
    const validate = (table: string, column: string) => runCli(['validate', '--source', source.url, '--rules', rulesFile(table, column, '{ transform: hash, length: 8 }')]);
    const bytea = await validate('public.t', 'b');
    expect(bytea.stdout + bytea.stderr).not.toContain('UNIQUE_NOT_INJECTIVE');
    expect(bytea.code).toBe(0);
    const text = await validate('public.u', 'code');
    expect(text.stdout + text.stderr).toContain('UNIQUE_NOT_INJECTIVE');
    expect(text.code).toBe(1);
  });
});
