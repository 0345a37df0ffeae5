import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScanResult, scanDatabase } from '../../src/pipeline/scan/scan-database.js';
import { createDatabase, type TestDatabase } from '../support/database.js';
import { buildLabelledDatabase, type ColumnLabel } from './fixtures/labelled-database.js';
import { buildWideDatabase } from './fixtures/wide-database.js';
import { scoreScan } from './score-scan.js';

describe('scan on a labelled database (Swedish and English naming, json, arrays, free text, decoys)', () => {
  let db: TestDatabase;
  let labels: ColumnLabel[];
  let result: ScanResult;
  afterAll(() => db?.drop());

  beforeAll(async () => {
    db = await createDatabase('pgmask_scan_quality');
    labels = await buildLabelledDatabase(db.url);
    result = await scanDatabase({ source: db.url });
  }, 120_000);

  it('finds at least 98 % of the personal columns (a miss is a leak), at a precision of at least 85 %', () => {
    const score = scoreScan(result.tables, labels);
    expect(score.unproposed).toEqual([]);
    expect(score.recall, `missed: ${score.misses.join(', ')}`).toBeGreaterThanOrEqual(0.98);
    expect(score.precision, `false alarms: ${score.falseAlarms.join(', ')}`).toBeGreaterThanOrEqual(0.85);
  });

  it('writes rules that pass validate against the same database', () => {
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('scan speed', () => {
  let db: TestDatabase;
  afterAll(() => db?.drop());

  it('scans 200 tables and 2,000 columns in under 10 s', async () => {
    db = await createDatabase('pgmask_scan_wide');
    const built = await buildWideDatabase(db.url);
    expect(built).toMatchObject({ tables: 200 });
    expect(built.columns).toBeGreaterThanOrEqual(2000);
    const result = await scanDatabase({ source: db.url });
    expect(result.summary.tables).toBe(200);
    expect(result.summary.milliseconds).toBeLessThan(10_000);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  }, 120_000);
});
