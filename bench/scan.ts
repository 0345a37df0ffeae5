/**
 * `pgmask scan` measured: its wall time beside `pg_dump --schema-only` (the same catalog read) and
 * `pg_dump | psql` (the copy scan prepares), runs taken in turn on each database, and its quality
 * (recall and precision of personal columns) on the labelled databases:
 *
 *   wide          200 tables, 2,000 columns, most tables small or empty (the speed target: < 10 s)
 *   labelled      50 tables, 437 labelled columns, one table of 200,000 rows
 *   labelled-big  the same with that table at --big-rows (default 2,000,000): the scan's cost must not grow
 *   held-out      a second labelled database, of another domain, that scan was not tuned on
 *
 *   npm run build && npm run bench:scan -- [--runs 3] [--big-rows 2000000] [--keep]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scanDatabase } from '../src/pipeline/scan/scan-database.js';
import { buildLabelledDatabase } from '../test/scan/fixtures/labelled-database.js';
import { buildWideDatabase } from '../test/scan/fixtures/wide-database.js';
import { buildHeldOutDatabase } from '../test/scan/held-out/held-out-database.js';
import { type Label, scoreScan } from '../test/scan/score-scan.js';
import { runPipeline, type Stage } from './bench-run.js';
import { databaseUrl, dropDatabase, recreateDatabase } from './bench-source.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'big-rows': { type: 'string', default: '2000000' },
    keep: { type: 'boolean', default: false },
  },
});
const server = process.env['PGMASK_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cli = join(ROOT, 'bin', 'pgmask.js');
const log = (line: string): void => void process.stderr.write(`${line}\n`);
if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  log('bench: dist/ is missing: run `npm run build` first');
  process.exit(2);
}

interface Source {
  readonly name: string;
  readonly build: (url: string) => Promise<readonly Label[] | undefined>;
}
const SOURCES: readonly Source[] = [
  { name: 'wide', build: async (url) => (await buildWideDatabase(url), undefined) },
  { name: 'labelled', build: (url) => buildLabelledDatabase(url) },
  { name: 'labelled-big', build: (url) => buildLabelledDatabase(url, { bigRows: Number(args['big-rows']) }) },
  { name: 'held-out', build: (url) => buildHeldOutDatabase(url) },
];

const target = 'pgmask_bench_scan_dst';
const targetUrl = databaseUrl(server, target);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (s: number): string => `${s.toFixed(2)} s`;

const scenarios = (url: string): Record<string, Stage[]> => ({
  'pgmask scan': [{ command: process.execPath, args: [cli, 'scan', '--source', url], measure: true }],
  'pg_dump --schema-only': [{ command: 'pg_dump', args: ['--schema-only', '--dbname', url] }],
  'pg_dump | psql': [
    { command: 'pg_dump', args: ['--no-owner', '--no-privileges', '--dbname', url] },
    { command: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', targetUrl] },
  ],
});

const rows: string[] = [];
const quality: string[] = [];
for (const source of SOURCES) {
  const database = `pgmask_bench_scan_${source.name.replace('-', '_')}`;
  const url = databaseUrl(server, database);
  await recreateDatabase(server, database);
  const started = performance.now();
  const labels = await source.build(url);
  log(`${source.name}: built in ${fmt((performance.now() - started) / 1000)}`);
  const times: Record<string, number[]> = {};
  let rssMiB = 0;
  for (let run = 0; run < Number(args.runs); run++) {
    for (const [name, stages] of Object.entries(scenarios(url))) {
      if (name === 'pg_dump | psql') await recreateDatabase(server, target);
      const result = await runPipeline(stages, process.env, ROOT);
      (times[name] ??= []).push(result.seconds);
      if (result.peakRssMiB) rssMiB = Math.max(rssMiB, result.peakRssMiB);
    }
  }
  const scan = median(times['pgmask scan']!);
  const cells = Object.entries(times).map(([name, t]) => `${name} ${fmt(median(t))}`);
  rows.push(`${source.name.padEnd(13)} ${cells.join('  ')}  scan / pg_dump|psql ${(scan / median(times['pg_dump | psql']!)).toFixed(2)}×  scan peak RSS ${Math.round(rssMiB)} MiB`);
  if (labels) {
    const result = await scanDatabase({ source: url });
    const s = scoreScan(result.tables, labels);
    quality.push(
      `${source.name.padEnd(13)} ${labels.filter((l) => l.kind).length} personal of ${labels.length} columns: recall ${s.recall.toFixed(3)}, precision ${s.precision.toFixed(3)}, right kind ${s.rightKind}/${s.truePositives}; missed: ${s.misses.join(', ') || 'none'}; false alarms: ${s.falseAlarms.join(', ') || 'none'}`,
    );
  }
  if (!args.keep) await dropDatabase(server, database);
}
await dropDatabase(server, target);
console.log(`medians of ${args.runs} runs, taken in turn:\n${rows.join('\n')}\n\nquality:\n${quality.join('\n')}`);
