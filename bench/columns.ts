/**
 * pgmask's own CPU per row, in this process, on the bench's customers rows: what each masked
 * column's transformer costs, and what the whole row path (split, mask 8 columns, escape,
 * write) costs. The end-to-end bench (`npm run bench`) shares two cores with PostgreSQL; this
 * one shows where pgmask's share goes.
 *
 *   npm run bench:columns [-- --rows 200000] [--customers 1000000] [--runs 3] [--masked-date]
 *
 * Reads the first `--rows` customers of the bench source database (built as `npm run bench`
 * builds it, on PGMASK_BENCH_DATABASE_URL) with COPY, once, into memory.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RowSplitter } from '../src/copy/row-splitter.js';
import { createMaskingSession } from '../src/masking/masking-session.js';
import { maskingKeyFromBytes } from '../src/random/key.js';
import type { RowValues } from '../src/transformers/transformer.js';
import { ensureSource } from './bench-source.js';
import { COLUMNS, customersMasker, customersRewriter, customersRules, maskedColumn, maskedColumns, readRows } from './customers-rows.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    customers: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    /** birth_date masked too (date.shift): a date read and written in binary. */
    'masked-date': { type: 'boolean', default: false },
  },
});
const ROOT = resolve(import.meta.dirname, '..');
const server = process.env['PGMASK_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const testdataDir = process.env['PGMASK_TESTDATA_DIR'] ?? resolve(ROOT, 'data/skatteverket');
const runs = Math.max(1, Number(args.runs));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const RULES = customersRules(args['masked-date']);
const best = (fn: () => number): number => Math.min(...Array.from({ length: runs }, fn));

async function main(): Promise<void> {
  process.env['PGMASK_TESTDATA_DIR'] = testdataDir;
  const src = await ensureSource(server, Number(args.customers), testdataDir, log);
  const data = await readRows(src.url, Number(args.rows), 'text');
  const binaryData = await readRows(src.url, Number(args.rows), 'binary');
  const key = maskingKeyFromBytes(randomBytes(32), 'bench');

  const decoded: (string | null)[][] = COLUMNS.map(() => []);
  const splitter = new RowSplitter({ columns: COLUMNS.length });
  splitter.push(data, (row) => {
    for (let i = 0; i < COLUMNS.length; i++) decoded[i]!.push(row.get(i));
  });
  splitter.end();
  const rows = splitter.rows;
  process.stdout.write(`${rows.toLocaleString('en')} customers rows, ${(data.length / 1e6).toFixed(1)} MB of COPY text; best of ${runs}\n\n`);

  const split = best(() => {
    const s = new RowSplitter({ columns: COLUMNS.length });
    const t = performance.now();
    s.push(data, () => {});
    return ((performance.now() - t) * 1e6) / rows;
  });

  process.stdout.write(`${'column'.padEnd(14)}${'transformer'.padEnd(20)}${'ns/value'.padStart(9)}\n`);
  let sum = 0;
  for (const rule of RULES) {
    const values = decoded[COLUMNS.indexOf(rule.column)]!;
    const row: RowValues = { original: () => null, masked: () => null };
    const ns = best(() => {
      // A fresh session per run: uniqueness state starts empty, as in a real run.
      const fn = maskedColumn(createMaskingSession({ key }), rule).transform;
      const t = performance.now();
      for (const value of values) fn(value, row);
      return ((performance.now() - t) * 1e6) / rows;
    });
    sum += ns;
    process.stdout.write(`${rule.column.padEnd(14)}${(rule.transform + (rule.unique ? ' unique' : '')).padEnd(20)}${ns.toFixed(0).padStart(9)}\n`);
  }
  process.stdout.write(`${`sum of the ${RULES.length}`.padEnd(34)}${sum.toFixed(0).padStart(9)}\n\n`);

  const interleaved = best(() => {
    const columns = maskedColumns(createMaskingSession({ key }), undefined, RULES);
    const row: RowValues = { original: () => null, masked: () => null };
    const t = performance.now();
    for (let r = 0; r < rows; r++) for (const c of columns) c.transform(decoded[c.index]![r]!, row);
    return ((performance.now() - t) * 1e6) / rows;
  });
  process.stdout.write(`${`the ${RULES.length}, row by row`.padEnd(34)}${interleaved.toFixed(0).padStart(9)}\n\n`);

  /** ns per row of the row path over `input`, fed 64 KiB at a time as a socket would. */
  const rowPath = (input: Buffer, format: 'text' | 'binary'): number =>
    best(() => {
      const stream = customersRewriter(format, customersMasker(createMaskingSession({ key }), undefined, RULES));
      stream.on('data', () => {});
      const t = performance.now();
      for (let at = 0; at < input.length; at += 65536) stream.write(input.subarray(at, at + 65536));
      stream.end();
      return ((performance.now() - t) * 1e6) / rows;
    });
  const whole = rowPath(data, 'text');
  const wholeBinary = rowPath(binaryData, 'binary');
  process.stdout.write(`split only                         ${split.toFixed(0).padStart(9)} ns/row\n`);
  process.stdout.write(
    `whole row path (split, mask, write) ${whole.toFixed(0).padStart(8)} ns/row  = ${(1e9 / whole).toFixed(0)} rows/s, ${((data.length / rows) * (1e3 / whole)).toFixed(0)} MB/s\n`,
  );
  process.stdout.write(`the same in COPY's binary format   ${wholeBinary.toFixed(0).padStart(9)} ns/row  = ${(1e9 / wholeBinary).toFixed(0)} rows/s\n`);
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
