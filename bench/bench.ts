/**
 * pgmask side by side with `pg_dump | psql`, on the same synthetic database, in one run:
 *
 *   (1) pg_dump src | psql dst                      unmasked: the anchor
 *   (2) pgmask copy --source src --target dst       the shape's columns masked
 *   (3) pg_dump src | pgmask mask | psql dst        the same columns masked
 *
 * The database has one of three shapes (`--shape`, bench/shapes/):
 *   customers    (default) customers + 2 × orders, 8 masked columns; `--customers N` (1,000,000)
 *   many-tables  `--tables N` (300) tables of a real product's kind, 4 of them `--big-rows N`
 *                (100,000) rows, most 0–1,000 rows or empty, ~40 masked columns; `--empty`
 *                builds the same schema without rows (the cost of an empty table)
 *   crm          customers, 2 × orders, customers / 4 contacts, 12 ruled columns;
 *                `--customers N` (250,000 by default, for speed; the issue's figures are at 1,000,000)
 *
 * Prints wall seconds, rows/s, MB/s (COPY text), pgmask's peak RSS and CPU, the CPU the whole
 * machine spent (server included: on a small machine the tools share its cores) and the ratios
 * to (1): of the medians, and the median of each run's ratio to the anchor of its own round.
 * Writes the figures to .bench/results-<timestamp>.json (git-ignored).
 *
 *   npm run bench [-- --shape customers|many-tables|crm] [--customers N] [--tables N] [--big-rows N] [--empty]
 *                 [--runs K] [--jobs J] [--only copy,mask] [--profile]
 *   npm run bench -- --memory [--sizes 250000,2000000] [--without-unique]
 *   npm run bench -- --pgmask ../other-checkout/bin/pgmask.js   (measure another build, built there)
 *   npm run bench -- --mask-thread on                             (pgmask's --mask-thread)
 *   npm run bench -- --copy-format text                           (pgmask copy's --copy-format)
 *   npm run bench -- --masked-date                                (birth_date masked too: date.shift)
 *
 * `--without-unique` masks the e-mail without `unique: true`, whose run-wide state (about 11
 * bytes per distinct address) is the one part of pgmask's memory that grows with the data.
 *
 * Needs the built CLI (`npm run build`) and pg_dump and psql on PATH; the Skatteverket test
 * lists are those shipped in data/skatteverket (or PGMASK_TESTDATA_DIR). The server:
 * PGMASK_BENCH_DATABASE_URL (a maintenance database where the bench may create databases),
 * default postgres://postgres@127.0.0.1:5432/postgres.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { withClient } from '../test/support/with-client.js';
import { loadAverage, type RunResult, runPipeline, type Stage } from './bench-run.js';
import { type BuiltDatabase, databaseUrl, dropDatabase, ensureBuilt, recreateDatabase } from './bench-source.js';
import { crmShape } from './shapes/crm.js';
import { customersShape } from './shapes/customers.js';
import { manyTablesShape } from './shapes/many-tables.js';
import { rowCounts, type Shape, tableNames } from './shapes/shape.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');

const { values: args } = parseArgs({
  options: {
    shape: { type: 'string', default: 'customers' },
    customers: { type: 'string' },
    tables: { type: 'string', default: '300' },
    'big-rows': { type: 'string', default: '100000' },
    empty: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    jobs: { type: 'string' },
    only: { type: 'string', default: 'dump,copy,mask' },
    memory: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '250000,2000000' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'without-unique': { type: 'boolean', default: false },
    pgmask: { type: 'string' },
    'mask-thread': { type: 'string' },
    'copy-format': { type: 'string' },
    'masked-date': { type: 'boolean', default: false },
  },
});

const server = process.env['PGMASK_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const testdataDir = process.env['PGMASK_TESTDATA_DIR'] ?? resolve(ROOT, 'data/skatteverket');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The shape at the sizes asked for. */
function chosenShape(): Shape {
  switch (args.shape) {
    case 'customers':
      return customersShape(Number(args.customers ?? 1_000_000), testdataDir, { unique: !args['without-unique'], maskedDate: args['masked-date'] });
    case 'many-tables':
      return manyTablesShape({ tables: Number(args.tables), big: Number(args['big-rows']), empty: args.empty });
    case 'crm':
      return crmShape(Number(args.customers ?? 250_000));
    default:
      log(`bench: --shape must be customers, many-tables or crm, not ${args.shape}`);
      process.exit(2);
  }
}
const shape = chosenShape();
// Each shape its own target: a run of one shape does not drop another's target mid-run.
// PGMASK_BENCH_TARGET names another, so that two benches on one server (two checkouts) do not drop each other's.
const target = process.env['PGMASK_BENCH_TARGET'] ?? (shape.name === 'customers' ? 'pgmask_bench_dst' : `pgmask_bench_dst_${shape.name.replace(/-/g, '_')}`);
const targetUrl = databaseUrl(server, target);
const cli = args.pgmask ? resolve(args.pgmask) : join(ROOT, 'bin', 'pgmask.js');

if (!args.pgmask && !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  log('bench: dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (!existsSync(join(testdataDir, 'testpersonnummer.txt'))) {
  log(`bench: no testpersonnummer.txt in ${testdataDir}: set PGMASK_TESTDATA_DIR`);
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });

const RULES = shape.rules();
const rulesFile = join(OUT, `bench-rules-${shape.name}.yaml`);
writeFileSync(rulesFile, RULES);

const env: NodeJS.ProcessEnv = { ...process.env, PGMASK_KEY: randomBytes(32).toString('hex'), PGMASK_TESTDATA_DIR: testdataDir };
const dumpArgs = (src: BuiltDatabase): string[] => ['--no-owner', '--no-privileges', '--dbname', src.url];
const psqlArgs = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', targetUrl];
const profileDir = join(OUT, 'profiles');
const node = (command: string): string[] => [...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${command}-${Date.now()}.cpuprofile`] : []), cli];

/** A flag of pgmask's the bench was given, passed on. */
const passed = (name: 'mask-thread' | 'copy-format'): string[] => (args[name] ? [`--${name}`, args[name]] : []);

type Scenario = 'dump' | 'copy' | 'mask';
const LABEL: Record<Scenario, string> = {
  dump: 'pg_dump | psql (unmasked)',
  copy: `pgmask copy (${shape.maskedColumns} masked)`,
  mask: 'pg_dump | pgmask mask | psql',
};

function stages(scenario: Scenario, src: BuiltDatabase, reportFile: string): Stage[] {
  switch (scenario) {
    case 'dump':
      return [
        { command: 'pg_dump', args: dumpArgs(src) },
        { command: 'psql', args: psqlArgs },
      ];
    case 'copy': {
      const jobs = args.jobs ? ['--jobs', args.jobs] : [];
      return [
        {
          command: process.execPath,
          args: [
            ...node('copy'),
            'copy',
            '--source',
            src.url,
            '--target',
            targetUrl,
            '--rules',
            rulesFile,
            '--schema',
            'create',
            '--yes',
            '--report',
            reportFile,
            ...jobs,
            ...passed('mask-thread'),
            ...passed('copy-format'),
          ],
          measure: true,
        },
      ];
    }
    case 'mask':
      return [
        { command: 'pg_dump', args: dumpArgs(src) },
        { command: process.execPath, args: [...node('mask'), 'mask', '--rules', rulesFile, '--report', reportFile, ...passed('mask-thread')], measure: true },
        { command: 'psql', args: psqlArgs },
      ];
  }
}

interface Measured extends RunResult {
  readonly scenario: Scenario;
  readonly shape: string;
  readonly customers: number;
  readonly run: number;
  readonly load: number;
  /** COPY text bytes the run moved (from pgmask's report, when every table moved as text; the others take that figure). */
  readonly copyBytes: number | undefined;
  /** pgmask copy: the median of the seconds its report gives each empty table (its two connections, the snapshot and the COPY; keys and indexes come later). */
  readonly emptyTableSeconds: number | undefined;
}

/** A source: the database, its size and its tables' row counts (a target must hold the same). */
interface Source extends BuiltDatabase {
  readonly customers: number;
  readonly counts: ReadonlyMap<string, number>;
}

/** The shape's source, built when missing, with its row counts. */
async function ensureShapeSource(s: Shape): Promise<Source> {
  const built = await ensureBuilt(server, s.database, s.marker, (c) => s.build(c), log, s.description);
  const counts = await withClient(built.url, async (c) => rowCounts(c, await tableNames(c)));
  return { ...built, customers: s.name === 'customers' ? s.rows / 3 : 0, counts };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function runScenario(scenario: Scenario, src: Source, run: number): Promise<Measured> {
  await recreateDatabase(server, target);
  const reportFile = join(OUT, `report-${scenario}.json`);
  const load = loadAverage();
  log(`  ${LABEL[scenario]} (run ${run}, load ${load.toFixed(2)})…`);
  const result = await runPipeline(stages(scenario, src, reportFile), env, ROOT);
  const { counts, original } = await withClient(targetUrl, async (c) => ({
    counts: await rowCounts(c, [...src.counts.keys()]),
    original: Number((await c.query<{ original: string }>(shape.leakQuery)).rows[0]!.original),
  }));
  const wrong = [...src.counts].filter(([table, rows]) => counts.get(table) !== rows);
  if (wrong.length > 0) {
    const [table, rows] = wrong[0]!;
    throw new Error(`${scenario}: ${wrong.length} tables hold other row counts than the source, e.g. ${table}: ${counts.get(table)} rows, expected ${rows}`);
  }
  if (scenario !== 'dump' && original > 0) throw new Error(`${scenario}: ${original} masked e-mail values still hold an original address`);
  let copyBytes: number | undefined;
  let emptyTableSeconds: number | undefined;
  if (scenario !== 'dump') {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { tables: { bytes: number; rows: number; seconds: number; status: string; format?: string }[] };
    if (report.tables.every((t) => t.format === undefined)) copyBytes = report.tables.reduce((sum, t) => sum + t.bytes, 0);
    const empty = report.tables.filter((t) => t.rows === 0 && t.status === 'copied').map((t) => t.seconds);
    if (scenario === 'copy' && empty.length > 0) emptyTableSeconds = median(empty);
  }
  log(
    `    ${result.seconds.toFixed(1)} s, machine CPU ${result.machineCpuSeconds?.toFixed(1) ?? '?'} s${result.peakRssMiB !== undefined ? `, peak RSS ${result.peakRssMiB.toFixed(0)} MiB, CPU ${result.cpuSeconds?.toFixed(1) ?? '?'} s` : ''}`,
  );
  return { ...result, scenario, shape: shape.name, customers: src.customers, run, load, copyBytes, emptyTableSeconds };
}

const fmt = (x: number | undefined, digits = 1): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));

function summarise(results: readonly Measured[]) {
  const rows = shape.rows;
  const bytes = results.find((r) => r.copyBytes !== undefined)?.copyBytes;
  const scenarios = (['dump', 'copy', 'mask'] as const).filter((s) => results.some((r) => r.scenario === s));
  /** The anchor of each round: a run against its own round's, taken a minute apart at most, is less moved by the machine's drift than one median against another. */
  const anchorOf = new Map(results.filter((r) => r.scenario === 'dump').map((r) => [r.run, r.seconds]));
  const anchor = [...anchorOf.values()];
  return scenarios.map((scenario) => {
    const mine = results.filter((r) => r.scenario === scenario);
    const seconds = mine.map((r) => r.seconds);
    const wall = median(seconds);
    const rss = mine.map((r) => r.peakRssMiB).filter((x): x is number => x !== undefined);
    const cpu = mine.map((r) => r.cpuSeconds).filter((x): x is number => x !== undefined);
    const machineCpu = mine.map((r) => r.machineCpuSeconds).filter((x): x is number => x !== undefined);
    const emptyTable = mine.map((r) => r.emptyTableSeconds).filter((x): x is number => x !== undefined);
    return {
      scenario,
      label: LABEL[scenario],
      runs: mine.length,
      seconds: wall,
      secondsMin: Math.min(...seconds),
      secondsMax: Math.max(...seconds),
      rowsPerSecond: rows > 0 ? rows / wall : undefined,
      mbPerSecond: bytes === undefined || rows === 0 ? undefined : bytes / 1e6 / wall,
      peakRssMiB: rss.length ? Math.max(...rss) : undefined,
      cpuSeconds: cpu.length ? median(cpu) : undefined,
      machineCpuSeconds: machineCpu.length ? median(machineCpu) : undefined,
      ratio: anchor.length ? wall / median(anchor) : undefined,
      ratioPerRun: anchor.length ? median(mine.map((r) => r.seconds / anchorOf.get(r.run)!)) : undefined,
      /** Wall time over the number of tables: what each table costs when most are small. */
      msPerTable: (wall / shape.tables) * 1000,
      /** What each table costs beyond what `pg_dump | psql` pays for it: (wall − the anchor's wall) / tables. */
      msPerTableBeyondAnchor: anchor.length ? ((wall - median(anchor)) / shape.tables) * 1000 : undefined,
      /** pgmask copy's median time per empty table in its report (the tables overlap on `--jobs`). */
      emptyTableMs: emptyTable.length ? median(emptyTable) * 1000 : undefined,
    };
  });
}

function printTable(summary: ReturnType<typeof summarise>, bytes: number | undefined): void {
  const perTable = shape.tables >= 10;
  const head = ['', 'wall s', '(min–max)', 'rows/s', 'MB/s', 'peak RSS MiB', 'CPU s', 'machine CPU s', '× anchor', '(per run)', ...(perTable ? ['ms/table'] : [])];
  const lines = summary.map((s) => [
    s.label,
    fmt(s.seconds),
    s.runs > 1 ? `${fmt(s.secondsMin)}–${fmt(s.secondsMax)}` : '',
    s.rowsPerSecond === undefined ? '-' : Math.round(s.rowsPerSecond).toLocaleString('en'),
    fmt(s.mbPerSecond),
    fmt(s.peakRssMiB, 0),
    fmt(s.cpuSeconds),
    fmt(s.machineCpuSeconds),
    fmt(s.ratio, 2),
    s.runs > 1 ? fmt(s.ratioPerRun, 2) : '',
    ...(perTable ? [fmt(s.msPerTable)] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\n${shape.name}: ${shape.description}${bytes ? `, ${(bytes / 1e6).toFixed(0)} MB of COPY text` : ''}; ${cpus().length} CPUs\n`);
  process.stdout.write(`${row(head)}\n${lines.map(row).join('\n')}\n`);
  const beyond = summary.filter((s) => s.scenario !== 'dump' && s.msPerTableBeyondAnchor !== undefined);
  if (perTable && beyond.length > 0) {
    process.stdout.write(
      `per table beyond pg_dump | psql: ${beyond.map((s) => `${s.scenario === 'copy' ? 'pgmask copy' : 'pgmask mask'} ${fmt(s.msPerTableBeyondAnchor)} ms`).join(', ')}\n`,
    );
  }
  const copy = summary.find((s) => s.scenario === 'copy');
  if (copy?.emptyTableMs !== undefined)
    process.stdout.write(
      `pgmask copy: ${fmt(copy.emptyTableMs)} ms per empty table in its data phase (median of the report's per-table times: connections, snapshot, COPY; keys and indexes come after)\n`,
    );
}

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const only = new Set(args.only.split(',').map((s) => s.trim())) as Set<Scenario>;
  const runs = Math.max(1, Number(args.runs));
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const loadBefore = loadAverage();
  const results: Measured[] = [];
  const output: Record<string, unknown> = { startedAt: new Date().toISOString(), machine, loadBefore, args };

  output['shape'] = { name: shape.name, description: shape.description, tables: shape.tables, rows: shape.rows, maskedColumns: shape.maskedColumns };
  if (args.memory) {
    if (shape.name !== 'customers') throw new Error('--memory measures the customers shape only');
    const sizes = args.sizes.split(',').map(Number);
    const memory: Record<string, unknown>[] = [];
    for (const size of sizes) {
      const src = await ensureShapeSource(customersShape(size, testdataDir, { unique: !args['without-unique'], maskedDate: args['masked-date'] }));
      log(`memory check at ${size.toLocaleString('en')} customers:`);
      for (let run = 1; run <= runs; run++) {
        for (const scenario of (['copy', 'mask'] as const).filter((s) => only.has(s))) results.push(await runScenario(scenario, src, run));
      }
    }
    process.stdout.write('\npeak RSS of pgmask (MiB)\n');
    for (const scenario of (['copy', 'mask'] as const).filter((s) => only.has(s))) {
      const peaks = sizes.map((size) => Math.max(...results.filter((r) => r.scenario === scenario && r.customers === size).map((r) => r.peakRssMiB ?? 0)));
      const growth = peaks[peaks.length - 1]! / peaks[0]! - 1;
      memory.push({ scenario, sizes, peakRssMiB: peaks, growth });
      process.stdout.write(
        `  ${LABEL[scenario].padEnd(30)} ${sizes.map((s, i) => `${s.toLocaleString('en')}: ${peaks[i]!.toFixed(0)}`).join('   ')}   growth ${(growth * 100).toFixed(1)} %\n`,
      );
    }
    output['memory'] = memory;
  } else {
    const src = await ensureShapeSource(shape);
    output['source'] = { database: src.database, built: src.built, buildSeconds: src.buildSeconds };
    for (let run = 1; run <= runs; run++) {
      for (const scenario of (['dump', 'copy', 'mask'] as const).filter((s) => only.has(s))) results.push(await runScenario(scenario, src, run));
    }
    const summary = summarise(results);
    const bytes = results.find((r) => r.copyBytes !== undefined)?.copyBytes;
    printTable(summary, bytes);
    output['summary'] = summary;
    output['copyBytes'] = bytes;
  }
  if (!args.keep) await dropDatabase(server, target);
  output['runs'] = results;
  output['loadAfter'] = loadAverage();
  output['endedAt'] = new Date().toISOString();
  const file = join(OUT, `results-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`\nload average ${fmt(loadBefore, 2)} before, ${fmt(output['loadAfter'] as number, 2)} after; figures in ${file}\n`);
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
