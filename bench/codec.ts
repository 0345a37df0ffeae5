/**
 * COPY codec throughput: split and re-encode a 1,000,000-row, 13-column COPY text file,
 * decoding and re-encoding one column per row (get + set), file stream in, null sink out,
 * single process. Run with `npm run bench:codec` (options: --rows N, --column N, --runs N).
 *
 * The input is generated once into .bench/ (git-ignored) and reused.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { prng } from '../fixtures/prng.js';
import { createRowRewriter } from '../src/copy/row-rewriter.js';

const COLUMNS = ['id', 'customer_no', 'first_name', 'last_name', 'email', 'phone', 'street', 'city', 'notes', 'birth_date', 'created_at', 'active', 'metadata'] as const;

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    column: { type: 'string', default: String(COLUMNS.indexOf('email')) },
    runs: { type: 'string', default: '3' },
  },
});
const rows = Number(args.rows);
const column = Number(args.column);
const runs = Number(args.runs);

const FIRST = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Eva', 'Per', 'Åsa', 'Björn', 'Märta', 'Oskar', 'Linnéa', 'Sven'];
const LAST = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Ström', 'Öberg'];
const STREETS = ['Storgatan', 'Drottninggatan', 'Kungsgatan', 'Vasagatan', 'Södra vägen', 'Östra Långgatan', 'Björkvägen'];
const CITIES = ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Västerås', 'Örebro', 'Linköping', 'Umeå'];
const NOTES = [
  'Called about invoice\\tpaid in full',
  'Prefers e-mail.\\nDo not call before 10:00',
  'VIP customer',
  'Address changed; see ticket #4471\\nConfirmed by phone',
  'Allergic to "nuts" \\\\ see notes',
  '',
];

function pick<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() * list.length)]!;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function line(i: number, r: () => number): string {
  const first = pick(FIRST, r);
  const last = pick(LAST, r);
  const year = 1940 + Math.floor(r() * 65);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const email = `${first}.${last}${i}@example.com`.toLowerCase();
  const created = `20${pad(10 + Math.floor(r() * 15), 2)}-${pad(month, 2)}-${pad(day, 2)} ${pad(Math.floor(r() * 24), 2)}:${pad(Math.floor(r() * 60), 2)}:${pad(Math.floor(r() * 60), 2)}.${pad(Math.floor(r() * 1e6), 6)}+00`;
  const notes = r() < 0.2 ? '\\N' : pick(NOTES, r);
  const metadata = `{"tags": ["${r() < 0.5 ? 'b2b' : 'b2c'}", "nl"], "score": ${Math.floor(r() * 1000)}, "contact": {"email": "${email}", "sms": ${r() < 0.5}}}`;
  return [
    i,
    `C-${pad(Math.floor(r() * 1e8), 8)}`,
    first,
    last,
    email,
    `+46 70 ${pad(Math.floor(r() * 1e7), 7)}`,
    `${pick(STREETS, r)} ${1 + Math.floor(r() * 120)}`,
    pick(CITIES, r),
    notes,
    `${year}-${pad(month, 2)}-${pad(day, 2)}`,
    created,
    r() < 0.9 ? 't' : 'f',
    metadata,
  ].join('\t');
}

async function generate(path: string, count: number): Promise<void> {
  const r = prng(42);
  const out = createWriteStream(path);
  let batch: string[] = [];
  for (let i = 1; i <= count; i++) {
    batch.push(line(i, r));
    if (batch.length === 5000 || i === count) {
      if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
      batch = [];
    }
  }
  out.end();
  await once(out, 'finish');
}

interface Result {
  readonly seconds: number;
  readonly rows: number;
}

async function run(path: string, touch: boolean): Promise<Result> {
  const rewriter = createRowRewriter({
    table: 'bench.customers',
    columns: COLUMNS.length,
    rewrite: touch ? (row) => row.set(column, row.get(column)) : undefined,
  });
  let outBytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      outBytes += chunk.length;
      callback();
    },
  });
  const started = performance.now();
  await pipeline(createReadStream(path), rewriter, sink); // 64 KiB reads, like a socket's chunks
  const seconds = (performance.now() - started) / 1000;
  if (outBytes !== statSync(path).size) throw new Error('the re-encoded output differs in size from the input');
  return { seconds, rows: rewriter.rows };
}

async function main(): Promise<void> {
  const dir = join(import.meta.dirname, '..', '.bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `codec-${rows}.copy`);
  if (!existsSync(path)) {
    process.stdout.write(`generating ${path} ...\n`);
    await generate(path, rows);
  }
  const megabytes = statSync(path).size / 1e6;
  process.stdout.write(`input: ${rows} rows, ${COLUMNS.length} columns, ${megabytes.toFixed(1)} MB; node ${process.version}\n`);
  const report = (label: string, results: Result[]): void => {
    const best = results.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
    const all = results.map((x) => `${Math.round(x.rows / x.seconds / 1000)}k`).join(' ');
    process.stdout.write(
      `${label}: ${Math.round(best.rows / best.seconds).toLocaleString('en')} rows/s, ${(megabytes / best.seconds).toFixed(0)} MB/s (best of ${results.length}: ${all} rows/s)\n`,
    );
  };
  await run(path, true); // warm-up
  const touched: Result[] = [];
  for (let i = 0; i < runs; i++) touched.push(await run(path, true));
  report(`get + set column ${column} (${COLUMNS[column]})`, touched);
  const untouched: Result[] = [];
  for (let i = 0; i < runs; i++) untouched.push(await run(path, false));
  report('no rewrite (split and check only)', untouched);
}

await main();
