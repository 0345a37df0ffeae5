/**
 * pgmask's own CPU per row, in this process, on the bench's customers rows: what each masked
 * column's transformer costs, and what the whole row path (split, mask 8 columns, escape,
 * write) costs. The end-to-end bench (`npm run bench`) shares two cores with PostgreSQL; this
 * one shows where pgmask's share goes.
 *
 *   npm run bench:columns [-- --rows 200000] [--customers 1000000] [--runs 3]
 *
 * Reads the first `--rows` customers of the bench source database (built as `npm run bench`
 * builds it, on PGMASK_BENCH_DATABASE_URL) with COPY, once, into memory.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import { to as copyTo } from 'pg-copy-streams';
import { parseRules, type ColumnRule } from '../src/config/rules.js';
import { RowSplitter } from '../src/copy/row-splitter.js';
import type { BinaryForm } from '../src/catalog/types.js';
import { createBinaryRowRewriter, createRowRewriter } from '../src/copy/row-rewriter.js';
import { RowMasker } from '../src/pipeline/row-masker.js';
import { maskingKeyFromBytes } from '../src/random/key.js';
import { buildTransform, createMaskingSession, type MaskingSession } from '../src/transformers/build-transform.js';
import type { RowValues, TransformFn } from '../src/transformers/transformer.js';
import { withClient } from '../test/support/with-client.js';
import { benchRules } from './bench-rules.js';
import { ensureSource } from './bench-source.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    customers: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
  },
});
const ROOT = resolve(import.meta.dirname, '..');
const server = process.env['PGMASK_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const testdataDir = process.env['PGMASK_TESTDATA_DIR'] ?? resolve(ROOT, '../shared/data/skatteverket');
const runs = Math.max(1, Number(args.runs));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const COLUMNS = ['id', 'personnummer', 'first_name', 'last_name', 'email', 'phone', 'street', 'postal_code', 'city', 'birth_date', 'created_at', 'notes', 'metadata'];
const FAMILY: Record<string, 'text' | 'json'> = { metadata: 'json' };

/** Each column's form in COPY's binary format, as `pgmask copy` reads them. */
const FORMS: readonly BinaryForm[] = COLUMNS.map((c) => (c === 'metadata' ? 'jsonb' : c === 'id' || c === 'birth_date' || c === 'created_at' ? 'opaque' : 'text'));

async function readRows(url: string, rows: number, format: 'text' | 'binary'): Promise<Buffer> {
  return withClient(url, async (client) => {
    const chunks: Buffer[] = [];
    const stream = client.query(copyTo(`COPY (SELECT ${COLUMNS.join(', ')} FROM customers ORDER BY id LIMIT ${rows}) TO STDOUT (FORMAT ${format})`));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  });
}

/** The masked columns of the bench's customers rules. */
const RULES = [...parseRules(benchRules({ unique: true }), 'bench-rules.yaml').rules!.tables.get('public.customers')!.columns.values()].filter(
  (rule) => rule.transform !== 'keep',
);

/** One masked column of the bench, its transform built in `session`. */
function maskedColumn(session: MaskingSession, rule: ColumnRule): { name: string; index: number; transform: TransformFn } {
  return {
    name: rule.column,
    index: COLUMNS.indexOf(rule.column),
    transform: buildTransform(
      session,
      { transform: rule.transform, options: rule.options, unique: rule.unique },
      { table: 'public.customers', column: rule.column, family: FAMILY[rule.column] ?? 'text' },
    ),
  };
}

/** Every masked column of the bench, in one masking session. */
const maskedColumns = (session: MaskingSession) => RULES.map((rule) => maskedColumn(session, rule));

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
  process.stdout.write(`${'sum of the 8'.padEnd(34)}${sum.toFixed(0).padStart(9)}\n\n`);

  const interleaved = best(() => {
    const columns = maskedColumns(createMaskingSession({ key }));
    const row: RowValues = { original: () => null, masked: () => null };
    const t = performance.now();
    for (let r = 0; r < rows; r++) for (const c of columns) c.transform(decoded[c.index]![r]!, row);
    return ((performance.now() - t) * 1e6) / rows;
  });
  process.stdout.write(`${'the 8, row by row'.padEnd(34)}${interleaved.toFixed(0).padStart(9)}\n\n`);

  /** ns per row of a rewriter over `input`, fed 64 KiB at a time as a socket would. */
  const rowPath = (input: Buffer, rewriter: (masker: RowMasker) => Transform): number =>
    best(() => {
      const masker = new RowMasker('public.customers', COLUMNS, maskedColumns(createMaskingSession({ key })));
      const stream = rewriter(masker);
      stream.on('data', () => {});
      const t = performance.now();
      for (let at = 0; at < input.length; at += 65536) stream.write(input.subarray(at, at + 65536));
      stream.end();
      return ((performance.now() - t) * 1e6) / rows;
    });
  const whole = rowPath(data, (masker) => createRowRewriter({ table: 'public.customers', columns: COLUMNS.length, rewrite: (row) => masker.mask(row) }));
  const wholeBinary = rowPath(binaryData, (masker) => createBinaryRowRewriter({ table: 'public.customers', forms: FORMS, rewrite: (row) => masker.mask(row) }));
  process.stdout.write(`split only                         ${split.toFixed(0).padStart(9)} ns/row\n`);
  process.stdout.write(`whole row path (split, mask, write) ${whole.toFixed(0).padStart(8)} ns/row  = ${(1e9 / whole).toFixed(0)} rows/s, ${((data.length / rows) * (1e3 / whole)).toFixed(0)} MB/s\n`);
  process.stdout.write(`the same in COPY's binary format   ${wholeBinary.toFixed(0).padStart(9)} ns/row  = ${(1e9 / wholeBinary).toFixed(0)} rows/s\n`);
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
});
