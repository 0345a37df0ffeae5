import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/read-catalog.js';
import type { Catalog } from '../../src/catalog/types.js';
import { Session } from '../../src/db/connection.js';
import { sampleTable } from '../../src/scan/sample-table.js';
import { scanTargets } from '../../src/scan/scan-targets.js';
import { createDatabase, type TestDatabase } from '../support/database.js';

/** Reads a sample of a table in a transaction and returns it with the heap blocks the transaction fetched. */
async function sampleCost(url: string, catalog: Catalog, name: string, rows = 1000) {
  const target = scanTargets(catalog).find((t) => t.table.name === name)!;
  const session = await Session.connect(url, 'source');
  try {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const sample = await sampleTable(session, target.table, target.sampled, { rows, rowEstimate: target.rowEstimate, bytes: target.bytes });
    const [row] = await session.query<{ blocks: string; pages: string }>(
      `SELECT pg_stat_get_xact_blocks_fetched($1::regclass)::text AS blocks, relpages::text AS pages FROM pg_class WHERE oid = $1::regclass`,
      [target.table.sqlName],
    );
    await session.query('COMMIT');
    return { sample, blocks: Number(row!.blocks), pages: Number(row!.pages) };
  } finally {
    await session.end();
  }
}

describe('sampleTable', () => {
  let db: TestDatabase;
  afterAll(() => db?.drop());
  let catalog: Catalog;

  beforeAll(async () => {
    db = await createDatabase('pgmask_sample');
    await db.query(`
      CREATE TABLE big (id bigint PRIMARY KEY, email text, note text);
      INSERT INTO big SELECT g, 'person' || g || '@example.org', 'anteckning nummer ' || g FROM generate_series(1, 400000) g;
      CREATE TABLE small (id bigint PRIMARY KEY, email text, note text);
      INSERT INTO small SELECT g, 'person' || g || '@example.org', 'anteckning nummer ' || g FROM generate_series(1, 4000) g;
      CREATE TABLE tiny (id int PRIMARY KEY, email text);
      INSERT INTO tiny SELECT g, CASE WHEN g % 2 = 0 THEN 'p' || g || '@example.org' END FROM generate_series(1, 37) g;
      CREATE TABLE stale (id int PRIMARY KEY, email text);
      ANALYZE;
      INSERT INTO stale SELECT g, 'p' || g || '@example.org' FROM generate_series(1, 120) g;`);
    const session = await Session.connect(db.url, 'source');
    catalog = await readCatalog(session);
    await session.end();
  }, 120_000);

  it('reads a big table at the cost of a small one: a bounded number of blocks, whatever its size', async () => {
    const big = await sampleCost(db.url, catalog, 'big');
    const small = await sampleCost(db.url, catalog, 'small');
    expect(big.sample.read).toBeGreaterThanOrEqual(500);
    expect(big.sample.read).toBeLessThanOrEqual(1000);
    expect(big.sample.exact).toBe(false);
    expect(big.sample.rows).toBeGreaterThan(300_000);
    expect(big.pages).toBeGreaterThan(2000);
    // About three samples' worth of pages out of thousands; the small table reads its first ones.
    expect(big.blocks).toBeLessThan(big.pages / 20);
    expect(big.blocks).toBeLessThan(small.blocks * 8 + 50);
  });

  it('reads the same rows in every run', async () => {
    const a = await sampleCost(db.url, catalog, 'big');
    const b = await sampleCost(db.url, catalog, 'big');
    expect(a.sample.values.get('email')).toEqual(b.sample.values.get('email'));
  });

  it('counts a table it reads whole, and leaves NULLs out of the values', async () => {
    const tiny = await sampleCost(db.url, catalog, 'tiny');
    expect(tiny.sample).toMatchObject({ rows: 37, exact: true, read: 37 });
    expect(tiny.sample.values.get('email')).toHaveLength(18);
    expect(tiny.sample.values.has('id')).toBe(false);
  });

  it('reads a table whose statistics are stale from its start', async () => {
    const stale = await sampleCost(db.url, catalog, 'stale');
    expect(stale.sample).toMatchObject({ rows: 120, exact: true, read: 120 });
  });
});
