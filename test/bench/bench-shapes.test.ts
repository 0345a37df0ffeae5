import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crmShape } from '../../bench/shapes/crm.js';
import { manyTablesShape } from '../../bench/shapes/many-tables.js';
import { rowCounts, type Shape, tableNames } from '../../bench/shapes/shape.js';
import { validate } from '../../src/pipeline/checks/validate.js';
import { useDatabase } from '../support/database.js';
import { withClient } from '../support/with-client.js';

/** Builds `shape` in a new database and validates its rules against it, as `pgmask validate --source` does. */
async function buildAndValidate(shape: Shape) {
  const db = await useDatabase('pgmask_bench_shape');
  await withClient(db.url, (c) => shape.build(c));
  const counts = await withClient(db.url, async (c) => rowCounts(c, await tableNames(c)));
  const rulesFile = join(await mkdtemp(join(tmpdir(), 'pgmask-shape-')), 'rules.yaml');
  await writeFile(rulesFile, shape.rules());
  const result = await validate({ rulesFile, source: db.url });
  return { db, counts, result };
}

describe('the many-tables bench shape, small', async () => {
  const shape = manyTablesShape({ tables: 60, big: 50, empty: false });
  const { db, counts, result } = await buildAndValidate(shape);

  it('builds the tables and rows it says, many of them empty', () => {
    expect(counts.size).toBe(60);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(shape.rows);
    expect([...counts.values()].filter((rows) => rows === 0).length).toBeGreaterThan(15);
  });

  it('has foreign keys, triggers and views', async () => {
    const [facts] = await db.query<{ fks: string; triggers: string; views: string }>(
      `SELECT (SELECT count(*) FROM pg_constraint WHERE contype = 'f') AS fks,
              (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal) AS triggers,
              (SELECT count(*) FROM pg_views WHERE schemaname = 'public') AS views`,
    );
    expect(Number(facts!.fks)).toBeGreaterThan(20);
    expect(Number(facts!.triggers)).toBe(4);
    expect(Number(facts!.views)).toBe(3);
  });

  it('gives rules that pgmask validate accepts against the source', () => {
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(shape.maskedColumns).toBeGreaterThan(25);
  });

  it('holds source e-mail addresses that the leak check counts', async () => {
    const [row] = await db.query<{ original: string }>(shape.leakQuery);
    expect(Number(row!.original)).toBeGreaterThan(0);
  });
});

describe('the many-tables bench shape, empty', async () => {
  const shape = manyTablesShape({ tables: 40, big: 50, empty: true });
  const { counts, result } = await buildAndValidate(shape);

  it('has every table and no row', () => {
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((rows) => rows === 0)).toBe(true);
    expect(result.ok).toBe(true);
  });
});

describe('the crm bench shape, small', async () => {
  const shape = crmShape(400);
  const { db, counts, result } = await buildAndValidate(shape);

  it('builds customers, twice as many orders and a quarter as many contacts', () => {
    expect(Object.fromEntries(counts)).toEqual({ 'public.contacts': 100, 'public.customers': 400, 'public.orders': 800 });
  });

  it('rules 12 columns and pgmask validate accepts them', () => {
    expect(shape.maskedColumns).toBe(12);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('holds distinct, Luhn-valid personnummer', async () => {
    const rows = await db.query<{ personnummer: string }>('SELECT personnummer FROM customers');
    const luhn = (digits: string): boolean =>
      [...digits].reduce((sum, d, i) => {
        const x = Number(d) * (i % 2 === 0 ? 2 : 1);
        return sum + Math.floor(x / 10) + (x % 10);
      }, 0) %
        10 ===
      0;
    expect(new Set(rows.map((r) => r.personnummer)).size).toBe(400);
    expect(rows.every((r) => /^\d{12}$/.test(r.personnummer) && luhn(r.personnummer.slice(2)))).toBe(true);
  });
});
