/**
 * The customers shape, the bench's first: `customers` customers (13 columns, 8 masked) and twice
 * as many orders, kept. The same source database as `ensureSource` builds and reuses.
 */
import type pg from 'pg';
import { benchRules } from '../bench-rules.js';
import { buildCustomers, marker } from '../bench-source.js';
import type { Shape } from './shape.js';

/** The customers shape; `unique` masks the e-mail with `unique: true`, `maskedDate` the birth date too (date.shift). */
export function customersShape(customers: number, testdataDir: string, options: { readonly unique: boolean; readonly maskedDate: boolean }): Shape {
  const masked = options.maskedDate ? 9 : 8;
  return {
    name: 'customers',
    database: `pgmask_bench_src_${customers}`,
    marker: marker(customers),
    description: `${customers.toLocaleString('en')} customers + ${(2 * customers).toLocaleString('en')} orders, ${masked} masked columns`,
    tables: 2,
    rows: 3 * customers,
    maskedColumns: masked,
    build: (c: pg.Client) => buildCustomers(c, customers, testdataDir),
    rules: () => benchRules(options),
    leakQuery: `SELECT count(*) AS original FROM customers WHERE email LIKE '%@mail_.se' OR notes LIKE '%@mail_.se%' OR metadata->'contact'->>'email' LIKE '%@mail_.se'`,
  };
}
