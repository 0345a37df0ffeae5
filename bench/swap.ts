/**
 * `pgmask copy --swap`: the lock window of the swap, the extra disk it needs while both copies
 * exist, and what a reader of the target sees meanwhile. Runs taken in turn, on the same source:
 *
 *   (1) pg_dump src | psql fresh                           unmasked, into a new database: the anchor
 *   (2) pgmask copy --schema existing --yes               the target's tables emptied and loaded in place
 *   (3) pgmask copy --swap --yes                           loaded into shadow tables, swapped in at the end
 *
 * The target is made once per bench run by a plain `pgmask copy` into an empty database. Before
 * each swap, one row of each watched table is deleted on the target, so that a reader can tell
 * the old rows from the new. During (2) and (3) a reader loops `SELECT count(*)` over the
 * biggest table and a few small ones (bench/swap-reader.ts): the longest one count waited, and
 * whether any count was neither the old nor the new one (an empty or half-loaded table) or an
 * old one after a new one was seen (the tables not replaced at once). The target's size
 * (pg_database_size) is taken before and sampled during the swap: its peak growth beside the
 * report's shadowBytes, as bytes and as a fraction of the copied tables' size.
 *
 *   npm run bench:swap [-- --shape many-tables|crm] [--tables N] [--big-rows N] [--customers N]
 *                      [--runs K] [--jobs J] [--reader-pause MS] [--keep]
 *   npm run bench:swap -- --profile [--tables N]    one swap, its lock window statement by statement
 *
 * Shapes as in bench/bench.ts (bench/shapes/, built once per size and cached): many-tables
 * (`--tables` 300, 4 tables of `--big-rows` 100,000 rows) by default, or crm (`--customers`
 * 250,000). Needs the built CLI (`npm run build`), pg_dump and psql on PATH. The server:
 * PGMASK_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres). Writes the
 * figures to .bench/swap-<timestamp>.json (git-ignored).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { withClient } from '../test/support/with-client.js';
import { loadAverage, runPipeline, type Stage } from './bench-run.js';
import { databaseUrl, dropDatabase, ensureBuilt, recreateDatabase } from './bench-source.js';
import { crmShape } from './shapes/crm.js';
import { manyTablesShape } from './shapes/many-tables.js';
import { rowCounts, type Shape, tableNames } from './shapes/shape.js';
import { profileSwap } from './swap-profile.js';
import { type ReaderResult, startReader, startSizeSampler, type WatchedTable } from './swap-reader.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');

const { values: args } = parseArgs({
  options: {
    shape: { type: 'string', default: 'many-tables' },
    tables: { type: 'string', default: '300' },
    'big-rows': { type: 'string', default: '100000' },
    customers: { type: 'string', default: '250000' },
    runs: { type: 'string', default: '3' },
    jobs: { type: 'string' },
    'reader-pause': { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const server = process.env['PGMASK_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const testdataDir = process.env['PGMASK_TESTDATA_DIR'] ?? resolve(ROOT, 'data/skatteverket');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function chosenShape(): Shape {
  switch (args.shape) {
    case 'many-tables':
      return manyTablesShape({ tables: Number(args.tables), big: Number(args['big-rows']), empty: false });
    case 'crm':
      return crmShape(Number(args.customers));
    default:
      log(`bench:swap: --shape must be many-tables or crm, not ${args.shape}`);
      process.exit(2);
  }
}
const shape = chosenShape();
const target = `pgmask_bench_swap_${shape.name.replace(/-/g, '_')}`;
const anchor = 'pgmask_bench_swap_anchor';
const targetUrl = databaseUrl(server, target);
const anchorUrl = databaseUrl(server, anchor);
const cli = join(ROOT, 'bin', 'pgmask.js');

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  log('bench:swap: dist/ is missing: run `npm run build` first');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });
const rulesFile = join(OUT, `bench-rules-swap-${shape.name}.yaml`);
writeFileSync(rulesFile, shape.rules());
const env: NodeJS.ProcessEnv = { ...process.env, PGMASK_KEY: randomBytes(32).toString('hex'), PGMASK_TESTDATA_DIR: testdataDir };

type Scenario = 'anchor' | 'inplace' | 'swap';
const LABEL: Record<Scenario, string> = {
  anchor: 'pg_dump | psql (new database)',
  inplace: 'pgmask copy --schema existing (in place)',
  swap: 'pgmask copy --swap',
};

interface SwapFigures {
  readonly lockSeconds: number;
  readonly lockAttempts: number;
  readonly shadowBytes: number;
  readonly tables: number;
  /** pg_database_size of the target before the run. */
  readonly sizeBefore: number;
  /** The largest pg_database_size seen during the run, and after it. */
  readonly sizePeak: number;
  readonly sizeAfter: number;
  /** The copied tables' size on the target before the run (tables, indexes, TOAST). */
  readonly tablesBytes: number;
}

interface Measured {
  readonly scenario: Scenario;
  readonly run: number;
  readonly seconds: number;
  readonly load: number;
  readonly reader: ReaderResult | undefined;
  readonly swap: SwapFigures | undefined;
}

function pgmaskCopy(extra: readonly string[], reportFile: string, src: string): Stage[] {
  const jobs = args.jobs ? ['--jobs', args.jobs] : [];
  return [
    {
      command: process.execPath,
      args: [cli, 'copy', '--source', src, '--target', targetUrl, '--rules', rulesFile, '--yes', '--report', reportFile, ...jobs, ...extra],
    },
  ];
}

/** The size of the database and of its user tables (with their indexes and TOAST). */
async function sizes(url: string): Promise<{ database: number; tables: number }> {
  return withClient(url, async (c) => {
    const r = await c.query<{ database: string; tables: string }>(
      `SELECT pg_database_size(current_database()) AS database,
              (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%') AS tables`,
    );
    return { database: Number(r.rows[0]!.database), tables: Number(r.rows[0]!.tables) };
  });
}

/** The target must hold the source's row counts, and no source e-mail address in a masked column. */
async function checkTarget(counts: ReadonlyMap<string, number>, scenario: Scenario): Promise<void> {
  const { got, original } = await withClient(targetUrl, async (c) => ({
    got: await rowCounts(c, [...counts.keys()]),
    original: Number((await c.query<{ original: string }>(shape.leakQuery)).rows[0]!.original),
  }));
  const wrong = [...counts].filter(([table, rows]) => got.get(table) !== rows);
  if (wrong.length > 0) throw new Error(`${scenario}: ${wrong.length} tables hold other row counts than the source, e.g. ${wrong[0]![0]}`);
  if (original > 0) throw new Error(`${scenario}: ${original} masked e-mail values still hold an original address`);
  const left = await withClient(targetUrl, (c) => c.query(`SELECT 1 FROM pg_namespace WHERE nspname ~ '^pgmask_(shadow|old)_'`));
  if (left.rowCount) throw new Error(`${scenario}: shadow or old-table schemas are left on the target`);
}

/** Deletes one row of each watched table on the target (no trigger, no foreign key check), so that the old count differs from the new. */
async function shrinkWatched(watched: readonly WatchedTable[]): Promise<void> {
  await withClient(targetUrl, async (c) => {
    await c.query('SET session_replication_role = replica');
    for (const t of watched) await c.query(`DELETE FROM ${t.name} WHERE ctid = (SELECT ctid FROM ${t.name} LIMIT 1)`);
  });
}

/** The biggest table and three small ones (the smallest with rows, and two between). */
function watchedTables(counts: ReadonlyMap<string, number>): string[] {
  const withRows = [...counts].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  if (withRows.length <= 4) return withRows.map(([t]) => t);
  const small = withRows.filter(([, n]) => n <= 1000);
  const pick = small.length >= 3 ? [small[small.length - 1]!, small[Math.floor(small.length / 2)]!, small[0]!] : withRows.slice(-3);
  return [withRows[0]![0], ...pick.map(([t]) => t)];
}

async function runScenario(scenario: Scenario, run: number, src: string, counts: ReadonlyMap<string, number>, watch: readonly string[]): Promise<Measured> {
  const load = loadAverage();
  log(`  ${LABEL[scenario]} (run ${run}, load ${load.toFixed(2)})…`);
  if (scenario === 'anchor') {
    await recreateDatabase(server, anchor);
    const result = await runPipeline(
      [
        { command: 'pg_dump', args: ['--no-owner', '--no-privileges', '--dbname', src] },
        { command: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', anchorUrl] },
      ],
      env,
      ROOT,
    );
    await dropDatabase(server, anchor);
    log(`    ${result.seconds.toFixed(2)} s`);
    return { scenario, run, seconds: result.seconds, load, reader: undefined, swap: undefined };
  }
  const reportFile = join(OUT, `report-swap-${scenario}.json`);
  const watched: WatchedTable[] = [];
  if (scenario === 'swap') await shrinkWatched(watch.map((name) => ({ name, old: 0, new: 0 })));
  const old = await withClient(targetUrl, (c) => rowCounts(c, watch));
  for (const name of watch) watched.push({ name, old: old.get(name)!, new: counts.get(name)! });
  const before = await sizes(targetUrl);
  const sampler = scenario === 'swap' ? await startSizeSampler(targetUrl, 200) : undefined;
  const reader = await startReader(targetUrl, watched, Number(args['reader-pause']));
  let seconds: number;
  let readerResult: ReaderResult;
  let peak: number | undefined;
  try {
    seconds = (await runPipeline(pgmaskCopy(scenario === 'swap' ? ['--swap'] : ['--schema', 'existing'], reportFile, src), env, ROOT)).seconds;
  } finally {
    readerResult = await reader.stop();
    peak = await sampler?.stop();
  }
  await checkTarget(counts, scenario);
  let swap: SwapFigures | undefined;
  if (scenario === 'swap') {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { swap?: { tables: number; lockSeconds: number; lockAttempts: number; shadowBytes: number } };
    if (!report.swap) throw new Error('swap: the report has no swap section');
    const after = await sizes(targetUrl);
    swap = {
      lockSeconds: report.swap.lockSeconds,
      lockAttempts: report.swap.lockAttempts,
      shadowBytes: report.swap.shadowBytes,
      tables: report.swap.tables,
      sizeBefore: before.database,
      sizePeak: peak!,
      sizeAfter: after.database,
      tablesBytes: before.tables,
    };
  }
  const r = readerResult;
  log(
    `    ${seconds.toFixed(2)} s${swap ? `, lock ${swap.lockSeconds.toFixed(3)} s (${swap.lockAttempts} attempt(s)), shadows ${mb(swap.shadowBytes)} MB` : ''}; reader: ${r.queries} counts, max ${r.maxMs.toFixed(0)} ms, ${r.unexpected} neither old nor new, ${r.staleAfterNew} old after new, errors ${JSON.stringify(r.errors)}`,
  );
  return { scenario, run, seconds, load, reader: readerResult, swap };
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const fmt = (x: number | undefined, digits = 2): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));
const range = (xs: readonly number[], digits = 2): string => (xs.length > 1 ? `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}` : fmt(xs[0], digits));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function summarise(results: readonly Measured[]) {
  const anchorOf = new Map(results.filter((r) => r.scenario === 'anchor').map((r) => [r.run, r.seconds]));
  const scenarios = (['anchor', 'inplace', 'swap'] as const).map((scenario) => {
    const mine = results.filter((r) => r.scenario === scenario);
    const seconds = mine.map((r) => r.seconds);
    const readers = mine.map((r) => r.reader).filter((x): x is ReaderResult => x !== undefined);
    return {
      scenario,
      label: LABEL[scenario],
      seconds: median(seconds),
      secondsAll: seconds,
      ratioPerRun: median(mine.map((r) => r.seconds / anchorOf.get(r.run)!)),
      reader: readers.length
        ? {
            queries: readers.reduce((s, r) => s + r.queries, 0),
            maxMs: readers.map((r) => r.maxMs),
            p99Ms: readers.map((r) => r.p99Ms),
            medianMs: median(readers.map((r) => r.medianMs)),
            unexpected: readers.reduce((s, r) => s + r.unexpected, 0),
            staleAfterNew: readers.reduce((s, r) => s + r.staleAfterNew, 0),
            errors: readers.reduce((s, r) => s + Object.values(r.errors).reduce((a, b) => a + b, 0), 0),
          }
        : undefined,
    };
  });
  const swaps = results.map((r) => r.swap).filter((x): x is SwapFigures => x !== undefined);
  const swap = {
    tables: swaps[0]?.tables,
    lockSeconds: swaps.map((s) => s.lockSeconds),
    lockAttempts: swaps.map((s) => s.lockAttempts),
    shadowBytes: swaps.map((s) => s.shadowBytes),
    tablesBytes: swaps.map((s) => s.tablesBytes),
    shadowFraction: swaps.map((s) => s.shadowBytes / s.tablesBytes),
    peakGrowthBytes: swaps.map((s) => s.sizePeak - s.sizeBefore),
    peakGrowthFraction: swaps.map((s) => (s.sizePeak - s.sizeBefore) / s.tablesBytes),
    sizeBefore: swaps.map((s) => s.sizeBefore),
    sizeAfter: swaps.map((s) => s.sizeAfter),
  };
  return { scenarios, swap };
}

function printSummary(summary: ReturnType<typeof summarise>, watch: readonly string[]): void {
  const head = ['', 'wall s', '(min–max)', '× anchor', 'reader max wait ms', 'p99 ms', 'neither old nor new', 'old after new', 'errors'];
  const lines = summary.scenarios.map((s) => [
    s.label,
    fmt(s.seconds),
    range(s.secondsAll),
    fmt(s.ratioPerRun),
    s.reader ? range(s.reader.maxMs, 0) : '',
    s.reader ? range(s.reader.p99Ms, 0) : '',
    s.reader ? String(s.reader.unexpected) : '',
    s.reader ? String(s.reader.staleAfterNew) : '',
    s.reader ? String(s.reader.errors) : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\n${shape.name}: ${shape.description}; ${cpus().length} CPUs; reader counts ${watch.join(', ')}\n`);
  process.stdout.write(`${row(head)}\n${lines.map(row).join('\n')}\n`);
  const w = summary.swap;
  process.stdout.write(
    `swap of ${w.tables} tables: lock window ${range(w.lockSeconds, 3)} s (median ${fmt(median(w.lockSeconds), 3)} s), attempts ${w.lockAttempts.join(', ')}; ` +
      `shadows ${range(
        w.shadowBytes.map((b) => b / 1e6),
        1,
      )} MB = ${range(w.shadowFraction)} × the copied tables (${mb(median(w.tablesBytes))} MB); ` +
      `database grew by ${range(
        w.peakGrowthBytes.map((b) => b / 1e6),
        1,
      )} MB at its peak (${range(w.peakGrowthFraction)} ×), ${mb(median(w.sizeBefore))} MB before\n`,
  );
}

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const loadBefore = loadAverage();
  const built = await ensureBuilt(server, shape.database, shape.marker, (c) => shape.build(c), log, shape.description);
  const counts = await withClient(built.url, async (c) => rowCounts(c, await tableNames(c)));
  log(`making the target ${target} (pgmask copy into an empty database)…`);
  await recreateDatabase(server, target);
  const first = await runPipeline(pgmaskCopy(['--schema', 'create'], join(OUT, 'report-swap-create.json'), built.url), env, ROOT);
  log(`  ${first.seconds.toFixed(2)} s`);
  const output: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    loadBefore,
    args,
    shape: { name: shape.name, description: shape.description, tables: shape.tables, rows: shape.rows },
  };
  if (args.profile) {
    log('one swap, its lock window statement by statement…');
    const profile = await profileSwap(built.url, targetUrl, rulesFile, testdataDir);
    await checkTarget(counts, 'swap');
    process.stdout.write(
      `\n${shape.name}: ${shape.description}\nlock window ${profile.windowSeconds.toFixed(3)} s as timed here, statements sent one at a time (the report: ${fmt(profile.reportedLockSeconds, 3)} s); a reader waited ${fmt(profile.readerBlockedSeconds, 3)} s\n`,
    );
    for (const line of profile.lines) {
      process.stdout.write(
        `  ${line.kind.padEnd(40)} ${String(line.statements).padStart(5)}  ${line.seconds.toFixed(3).padStart(7)} s  ${((line.seconds / profile.windowSeconds) * 100).toFixed(0).padStart(3)} %\n`,
      );
    }
    output['profile'] = profile;
  } else {
    const watch = watchedTables(counts);
    output['watched'] = watch;
    const results: Measured[] = [];
    for (let run = 1; run <= Math.max(1, Number(args.runs)); run++) {
      for (const scenario of ['anchor', 'inplace', 'swap'] as const) results.push(await runScenario(scenario, run, built.url, counts, watch));
    }
    const summary = summarise(results);
    printSummary(summary, watch);
    output['summary'] = summary;
    output['runs'] = results;
  }
  if (!args.keep) await dropDatabase(server, target);
  output['loadAfter'] = loadAverage();
  output['endedAt'] = new Date().toISOString();
  const file = join(OUT, `swap-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`load average ${fmt(loadBefore)} before, ${fmt(output['loadAfter'] as number)} after; figures in ${file}\n`);
}

main().catch((error: unknown) => {
  log(`bench:swap: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
