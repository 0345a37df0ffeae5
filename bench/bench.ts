/**
 * pgmask side by side with `pg_dump | psql`, on the same synthetic database, in one run:
 *
 *   (1) pg_dump src | psql dst                      unmasked: the anchor
 *   (2) pgmask copy --source src --target dst       8 columns masked
 *   (3) pg_dump src | pgmask mask | psql dst        the same 8 columns masked
 *
 * Prints wall seconds, rows/s, MB/s (COPY text), pgmask's peak RSS and CPU, the CPU the whole
 * machine spent (server included: on a small machine the tools share its cores) and the ratios
 * to (1): of the medians, and the median of each run's ratio to the anchor of its own round.
 * Writes the figures to .bench/results-<timestamp>.json (git-ignored).
 *
 *   npm run bench [-- --customers N] [--runs K] [--jobs J] [--only copy,mask] [--profile]
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
import { benchRules } from './bench-rules.js';
import { loadAverage, type RunResult, runPipeline, type Stage } from './bench-run.js';
import { type BenchSource, databaseUrl, dropDatabase, ensureSource, recreateDatabase, targetFacts } from './bench-source.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
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
const target = 'pgmask_bench_dst';
const targetUrl = databaseUrl(server, target);
const cli = args.pgmask ? resolve(args.pgmask) : join(ROOT, 'bin', 'pgmask.js');
const log = (line: string): void => void process.stderr.write(`${line}\n`);

if (!args.pgmask && !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  log('bench: dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (!existsSync(join(testdataDir, 'testpersonnummer.txt'))) {
  log(`bench: no testpersonnummer.txt in ${testdataDir}: set PGMASK_TESTDATA_DIR`);
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });

const RULES = benchRules({ unique: !args['without-unique'], maskedDate: args['masked-date'] });
const rulesFile = join(OUT, 'bench-rules.yaml');
writeFileSync(rulesFile, RULES);

const env: NodeJS.ProcessEnv = { ...process.env, PGMASK_KEY: randomBytes(32).toString('hex'), PGMASK_TESTDATA_DIR: testdataDir };
const dumpArgs = (src: BenchSource): string[] => ['--no-owner', '--no-privileges', '--dbname', src.url];
const psqlArgs = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--dbname', targetUrl];
const profileDir = join(OUT, 'profiles');
const node = (command: string): string[] => [...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${command}-${Date.now()}.cpuprofile`] : []), cli];

/** A flag of pgmask's the bench was given, passed on. */
const passed = (name: 'mask-thread' | 'copy-format'): string[] => (args[name] ? [`--${name}`, args[name]] : []);

type Scenario = 'dump' | 'copy' | 'mask';
const LABEL: Record<Scenario, string> = {
  dump: 'pg_dump | psql (unmasked)',
  copy: `pgmask copy (${args['masked-date'] ? 9 : 8} masked)`,
  mask: 'pg_dump | pgmask mask | psql',
};

function stages(scenario: Scenario, src: BenchSource, reportFile: string): Stage[] {
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
  readonly customers: number;
  readonly run: number;
  readonly load: number;
  /** COPY text bytes the run moved (from pgmask's report, when every table moved as text; the others take that figure). */
  readonly copyBytes: number | undefined;
}

async function runScenario(scenario: Scenario, src: BenchSource, run: number): Promise<Measured> {
  await recreateDatabase(server, target);
  const reportFile = join(OUT, `report-${scenario}.json`);
  const load = loadAverage();
  log(`  ${LABEL[scenario]} (run ${run}, load ${load.toFixed(2)})…`);
  const result = await runPipeline(stages(scenario, src, reportFile), env, ROOT);
  const facts = await targetFacts(targetUrl);
  if (facts.customers !== src.customers || facts.orders !== 2 * src.customers) {
    throw new Error(`${scenario}: the target holds ${facts.customers} customers and ${facts.orders} orders, expected ${src.customers} and ${2 * src.customers}`);
  }
  if (scenario !== 'dump' && facts.originalEmails > 0) throw new Error(`${scenario}: ${facts.originalEmails} customers still hold an original e-mail address`);
  let copyBytes: number | undefined;
  if (scenario !== 'dump') {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { tables: { bytes: number; format?: string }[] };
    if (report.tables.every((t) => t.format === undefined)) copyBytes = report.tables.reduce((sum, t) => sum + t.bytes, 0);
  }
  log(
    `    ${result.seconds.toFixed(1)} s, machine CPU ${result.machineCpuSeconds?.toFixed(1) ?? '?'} s${result.peakRssMiB !== undefined ? `, peak RSS ${result.peakRssMiB.toFixed(0)} MiB, CPU ${result.cpuSeconds?.toFixed(1) ?? '?'} s` : ''}`,
  );
  return { ...result, scenario, customers: src.customers, run, load, copyBytes };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (x: number | undefined, digits = 1): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));

function summarise(results: readonly Measured[], customers: number) {
  const rows = 3 * customers;
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
    return {
      scenario,
      label: LABEL[scenario],
      runs: mine.length,
      seconds: wall,
      secondsMin: Math.min(...seconds),
      secondsMax: Math.max(...seconds),
      rowsPerSecond: rows / wall,
      mbPerSecond: bytes === undefined ? undefined : bytes / 1e6 / wall,
      peakRssMiB: rss.length ? Math.max(...rss) : undefined,
      cpuSeconds: cpu.length ? median(cpu) : undefined,
      machineCpuSeconds: machineCpu.length ? median(machineCpu) : undefined,
      ratio: anchor.length ? wall / median(anchor) : undefined,
      ratioPerRun: anchor.length ? median(mine.map((r) => r.seconds / anchorOf.get(r.run)!)) : undefined,
    };
  });
}

function printTable(summary: ReturnType<typeof summarise>, customers: number, bytes: number | undefined): void {
  const head = ['', 'wall s', '(min–max)', 'rows/s', 'MB/s', 'peak RSS MiB', 'CPU s', 'machine CPU s', '× anchor', '(per run)'];
  const lines = summary.map((s) => [
    s.label,
    fmt(s.seconds),
    s.runs > 1 ? `${fmt(s.secondsMin)}–${fmt(s.secondsMax)}` : '',
    Math.round(s.rowsPerSecond).toLocaleString('en'),
    fmt(s.mbPerSecond),
    fmt(s.peakRssMiB, 0),
    fmt(s.cpuSeconds),
    fmt(s.machineCpuSeconds),
    fmt(s.ratio, 2),
    s.runs > 1 ? fmt(s.ratioPerRun, 2) : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(
    `\n${customers.toLocaleString('en')} customers + ${(2 * customers).toLocaleString('en')} orders${bytes ? `, ${(bytes / 1e6).toFixed(0)} MB of COPY text` : ''}; ${cpus().length} CPUs\n`,
  );
  process.stdout.write(`${row(head)}\n${lines.map(row).join('\n')}\n`);
}

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const only = new Set(args.only.split(',').map((s) => s.trim())) as Set<Scenario>;
  const runs = Math.max(1, Number(args.runs));
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const loadBefore = loadAverage();
  const results: Measured[] = [];
  const output: Record<string, unknown> = { startedAt: new Date().toISOString(), machine, loadBefore, args };

  if (args.memory) {
    const sizes = args.sizes.split(',').map(Number);
    const memory: Record<string, unknown>[] = [];
    for (const size of sizes) {
      const src = await ensureSource(server, size, testdataDir, log);
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
    const customers = Number(args.customers);
    const src = await ensureSource(server, customers, testdataDir, log);
    output['source'] = src;
    for (let run = 1; run <= runs; run++) {
      for (const scenario of (['dump', 'copy', 'mask'] as const).filter((s) => only.has(s))) results.push(await runScenario(scenario, src, run));
    }
    const summary = summarise(results, customers);
    const bytes = results.find((r) => r.copyBytes !== undefined)?.copyBytes;
    printTable(summary, customers, bytes);
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
