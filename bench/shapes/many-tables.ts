/**
 * The many-tables shape: what a real product's database looks like. `tables` tables (default
 * 300): 22 core tables of a Swedish shop with an English admin part, 4 of them holding `big`
 * rows (kund, order_huvud, order_rad, audit_log; default 100,000), the others 0–1,000 rows, and
 * the rest small `modul_sak` tables, more than half of them empty; primary keys, unique and
 * secondary indexes, foreign keys, 4 triggers and 3 views. About 40 masked columns (names,
 * e-mail, se.phone, se.personnummer with the synthetic pool where the column is unique,
 * text.scrub on notes, a json path, date.shift on a birth date, ip, number.noise); the rules
 * keep the rest (`keep` rules in the listed tables, `unlisted: keep` for the others). `empty` builds the same schema with no rows at all.
 */
import type pg from 'pg';
import { CORE_OBJECTS, coreTables } from './many-tables-core.js';
import { fillerTables } from './many-tables-fillers.js';
import type { Shape } from './shape.js';
import { buildTables, leakQuery, maskedCount, rulesYaml, type TableSpec } from './table-spec.js';

/** Bump when the generated schema or data change: older builds are then rebuilt. */
const VERSION = 2;

/** Options of the many-tables shape. */
export interface ManyTablesOptions {
  /** Tables in all (at least 22, the core). */
  readonly tables: number;
  /** Rows of each of the 4 big tables. */
  readonly big: number;
  /** No rows in any table. */
  readonly empty: boolean;
}

/** The many-tables shape. */
export function manyTablesShape(options: ManyTablesOptions): Shape {
  const core = coreTables(options.big, options.empty);
  if (options.tables < core.length) throw new Error(`--tables must be at least ${core.length} (the core tables)`);
  const kund = core.find((t) => t.name === 'kund')!.rows;
  const users = core.find((t) => t.name === 'users')!.rows;
  const specs: TableSpec[] = [...core, ...fillerTables(options.tables - core.length, options.empty, kund, users)];
  const rows = specs.reduce((sum, t) => sum + t.rows, 0);
  const emptyTables = specs.filter((t) => t.rows === 0).length;
  const maskedColumns = maskedCount(specs);
  const size = options.empty ? 'empty' : `big${options.big}`;
  return {
    name: 'many-tables',
    database: `pgmask_bench_many_${options.tables}_${size}`,
    marker: `pgmask bench many-tables v${VERSION}, tables=${options.tables}, ${size}`,
    description: `${options.tables} tables (${options.empty ? 'all empty' : `${emptyTables} empty, 4 × ${options.big.toLocaleString('en')} rows`}), ${rows.toLocaleString('en')} rows, ${maskedColumns} masked columns`,
    tables: specs.length,
    rows,
    maskedColumns,
    build: (c: pg.Client) => buildTables(c, specs, CORE_OBJECTS),
    rules: () => rulesYaml(specs, `pgmask bench, many-tables shape: ${maskedColumns} masked columns in ${options.tables} tables; the rest kept.`),
    leakQuery: leakQuery(specs),
  };
}
