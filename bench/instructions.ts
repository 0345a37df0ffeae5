/**
 * pgmask's row path counted in CPU instructions, which, unlike seconds, do not move with what
 * else the machine is doing: to compare two builds or a change on a noisy machine.
 *
 *   npm run bench:instructions [-- --format binary|text] [--rows 20000,60000] [--dist DIR] [--masked-date]
 *   npm run bench:instructions -- --shape crm [--customers 250000] [--rows 20000,60000] [--dist DIR]
 *
 * Runs the row path (split, mask the bench's 8 customers columns, write) over the first rows of
 * the bench source under `valgrind --tool=cachegrind` (node --single-threaded, so that no
 * background thread adds its own count), once per size, and prints the instructions per row:
 * the difference between the sizes over the difference in rows, so that start-up and compiling
 * cancel out. Repeated runs agree to within about 2 %. `--dist` counts another build's compiled
 * library (its `dist/`). Needs valgrind and the bench source (`npm run bench` builds it).
 *
 * `--shape crm` counts the crm shape's row path instead (bench/shapes/crm.ts, built by
 * `npm run bench -- --shape crm`): per customer, its share of every table (1 customers row,
 * 2 orders rows, a quarter of a contacts row), masked in one session as `pgmask copy` masks them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt, ensureSource } from './bench-source.js';
import { CRM_TABLES, crmMasker, crmRewriter, readCrmRows } from './crm-rows.js';
import { customersMasker, customersRewriter, customersRules, type RowPathLibrary, readRows } from './customers-rows.js';
import { crmShape } from './shapes/crm.js';

const { values: args } = parseArgs({
  options: {
    format: { type: 'string', default: 'binary' },
    rows: { type: 'string', default: '20000,60000' },
    dist: { type: 'string' },
    customers: { type: 'string' },
    shape: { type: 'string', default: 'customers' },
    /** birth_date masked too (date.shift). */
    'masked-date': { type: 'boolean', default: false },
    // Internal: the counted process.
    child: { type: 'string' },
  },
});
const ROOT = resolve(import.meta.dirname, '..');
const format = args.format === 'text' ? 'text' : 'binary';
const crm = args.shape === 'crm';
const customers = Number(args.customers ?? (crm ? 250000 : 1000000));
const dist = resolve(args.dist ?? join(ROOT, 'dist'));

/** The counted process: masks the first `rows` rows of `file` with the library in `dist`. */
async function child(file: string, rows: number): Promise<void> {
  // The first path that the build holds: builds made before the masking room keep the older paths.
  const load = (...paths: string[]) => import(pathToFileURL(join(dist, paths.find((path) => existsSync(join(dist, path))) ?? paths[0]!)).href);
  const { createBinaryRowRewriter, createRowRewriter } = await load('copy/row-rewriter.js');
  const { RowMasker } = await load('masking/row-masker.js', 'pipeline/row-masker.js');
  const { maskingKeyFromBytes } = await load('random/key.js');
  const { buildTransform } = await load('masking/build-transform.js', 'transformers/build-transform.js');
  const { createMaskingSession } = await load('masking/masking-session.js', 'transformers/build-transform.js');
  const lib: RowPathLibrary = { buildTransform, RowMasker, createRowRewriter, createBinaryRowRewriter };
  if (crm) {
    const { tableMasker } = await load('masking/table-masker.js');
    const session = createMaskingSession({ key: maskingKeyFromBytes(Buffer.alloc(32, 7), 'bench') });
    for (const table of CRM_TABLES) {
      const masker = crmMasker(session, table, tableMasker);
      const limit = Math.floor(rows * table.perCustomer);
      let masked = 0;
      const stream = crmRewriter(format, table, { mask: (row) => void (masked++ < limit && masker.mask(row)) }, lib);
      stream.on('data', () => {});
      const data = readFileSync(crmFile(table.name, file));
      for (let at = 0; at < data.length && masked < limit; at += 65536) stream.write(data.subarray(at, at + 65536));
    }
    return;
  }
  const masker = customersMasker(createMaskingSession({ key: maskingKeyFromBytes(Buffer.alloc(32, 7), 'bench') }), lib, customersRules(args['masked-date']));
  let seen = 0;
  const first = {
    mask: (row: Parameters<typeof masker.mask>[0]): void => {
      if (seen++ < rows) masker.mask(row);
    },
  };
  const stream = customersRewriter(format, first, lib);
  stream.on('data', () => {});
  const data = readFileSync(file);
  for (let at = 0; at < data.length && seen < rows; at += 65536) stream.write(data.subarray(at, at + 65536));
}

/** The file of a crm table's rows, named after the customers file `file`. */
const crmFile = (table: string, file: string): string => file.replace(/crm-customers-/, `crm-${table}-`);

/** Instructions valgrind counted for masking `rows` rows of `file`. */
function count(file: string, rows: number): number {
  const run = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      '--import',
      'tsx',
      import.meta.filename,
      '--child',
      file,
      '--rows',
      String(rows),
      '--format',
      format,
      '--dist',
      dist,
      ...(args['masked-date'] ? ['--masked-date'] : []),
      '--shape',
      crm ? 'crm' : 'customers',
    ],
    { encoding: 'utf8', cwd: ROOT, env: { ...process.env, PGMASK_TESTDATA_DIR: testdataDir() } },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr ?? '');
  if (run.status !== 0 || !refs)
    throw new Error(`valgrind ${run.error ? `could not run (${run.error.message})` : `exited with ${run.status}`}: ${(run.stderr ?? '').slice(-2000)}`);
  return Number(refs[1]!.replaceAll(',', ''));
}

function testdataDir(): string {
  return process.env['PGMASK_TESTDATA_DIR'] ?? resolve(ROOT, 'data/skatteverket');
}

async function main(): Promise<void> {
  if (args.child) return child(args.child, Number(args.rows));
  const sizes = args.rows.split(',').map(Number);
  if (sizes.length !== 2 || !(sizes[0]! < sizes[1]!)) throw new Error('--rows takes two sizes, the smaller first: 20000,60000');
  const server = process.env['PGMASK_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  let file: string;
  if (crm) {
    const shape = crmShape(customers);
    const { url } = await ensureBuilt(
      server,
      shape.database,
      shape.marker,
      (c) => shape.build(c),
      (line) => void process.stderr.write(`${line}\n`),
      shape.description,
    );
    file = join(ROOT, '.bench', `crm-customers-${sizes[1]}.${format}`);
    for (const table of CRM_TABLES) {
      const path = crmFile(table.name, file);
      if (!existsSync(path)) writeFileSync(path, await readCrmRows(url, table, Math.ceil(sizes[1]! * table.perCustomer) + 1000, format));
    }
  } else {
    const src = await ensureSource(server, customers, testdataDir(), (line) => void process.stderr.write(`${line}\n`));
    file = join(ROOT, '.bench', `customers-${sizes[1]}.${format}`);
    if (!existsSync(file)) writeFileSync(file, await readRows(src.url, sizes[1]! + 1000, format));
  }
  const [small, large] = sizes.map((rows) => count(file, rows));
  process.stdout.write(
    `${crm ? 'crm ' : ''}${format} row path of ${dist}: ${((large! - small!) / (sizes[1]! - sizes[0]!)).toFixed(0)} instructions per ${crm ? 'customer (1 customers, 2 orders, 0.25 contacts rows)' : 'row'} (${small} at ${sizes[0]} rows, ${large} at ${sizes[1]})\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
