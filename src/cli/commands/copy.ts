import { loadRules } from '../../config/load-rules.js';
import { UsageError } from '../../errors.js';
import { copyDatabase } from '../../pipeline/copy/copy-database.js';
import type { RunReport } from '../../pipeline/run/report.js';
import { type Command, type FlagValues, oneOf } from '../command.js';
import { keyFileFlag, maskThreadFlag, maskThreadValue, readKey, stallTimeoutFlag, stallTimeoutValue, testdataDirFlag } from '../masking-flags.js';
import { lineProgress, terminalProgress } from '../progress-view.js';
import { reportedRun } from '../reported-run.js';
import { sourceConnection, sourceFlag } from '../source-flag.js';
import { formatSummary } from '../summary.js';
import { terminalConfirm } from '../terminal-confirm.js';
import { version } from '../version.js';

const text = (flags: FlagValues, name: string): string | undefined => flags[name] as string | undefined;

function jobsFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64`);
  return jobs;
}

export const copyCommand: Command = {
  name: 'copy',
  summary: 'Copy a database into another, masking personal columns on the way',
  usage:
    'pgmask copy --source URL --target URL --rules FILE [--jobs N] [--mask-thread auto|on|off] [--copy-format auto|text] [--schema create|existing] [--swap] [--stall-timeout SECONDS] [--report FILE] [--testdata-dir DIR] [--key-file PATH] [--yes] [--dry-run]',
  flags: [
    sourceFlag,
    { name: 'target', type: 'string', value: 'URL', description: 'Target connection (libpq URL or key=value)' },
    { name: 'rules', type: 'string', value: 'FILE', description: 'The YAML rules file' },
    { name: 'jobs', type: 'string', value: 'N', description: 'Tables copied at a time (default: number of CPUs)' },
    { name: 'schema', type: 'string', value: 'MODE', description: "'create' (pg_dump the schema; default for an empty target) or 'existing'" },
    {
      name: 'swap',
      type: 'boolean',
      description:
        'With an existing schema: load beside the tables and swap the new rows in at the end in one short transaction (readers see the old rows or the new, never empty tables)',
    },
    { name: 'report', type: 'string', value: 'FILE', description: 'Write a JSON run report (no data values, no passwords)' },
    testdataDirFlag,
    maskThreadFlag,
    {
      name: 'copy-format',
      type: 'string',
      value: 'FORMAT',
      description: "'auto' (default: COPY's binary format for tables whose column types allow it, when both servers run the same major version) or 'text'",
    },
    stallTimeoutFlag,
    keyFileFlag,
    { name: 'yes', type: 'boolean', description: 'Overwrite target tables that hold rows without asking' },
    { name: 'dry-run', type: 'boolean', description: 'Print the plan and write nothing' },
  ],
  async run(flags, _positionals, io) {
    const rulesFile = text(flags, 'rules');
    if (!rulesFile) throw new UsageError('--rules FILE is required');
    const source = sourceConnection(flags, io);
    if (!text(flags, 'target')) throw new UsageError('--target URL is required');
    const jobs = jobsFlag(text(flags, 'jobs'));
    const maskThread = maskThreadValue(flags);
    const schema = oneOf(flags, 'schema', ['create', 'existing'] as const);
    const copyFormat = oneOf(flags, 'copy-format', ['auto', 'text'] as const);
    const stallTimeout = stallTimeoutValue(flags);
    const key = readKey(flags, io);
    const rules = await loadRules(rulesFile);
    const tty = Boolean(io.stderr.isTTY);
    const progress = tty ? terminalProgress(io.stderr) : lineProgress(io.stderr);
    const print = (report: RunReport): void => void (report.outcome === 'planned' ? io.stdout.write(formatPlan(report)) : io.stderr.write(formatSummary(report)));
    await reportedRun({ io, reportFile: text(flags, 'report'), print }, async (onReport) => {
      try {
        return await copyDatabase({
          source,
          target: text(flags, 'target'),
          rules,
          key,
          ...(jobs ? { jobs } : {}),
          ...(maskThread ? { maskThread } : {}),
          ...(schema ? { schema } : {}),
          swap: Boolean(flags['swap']),
          ...(copyFormat ? { copyFormat } : {}),
          ...(stallTimeout !== undefined ? { stallTimeout } : {}),
          yes: Boolean(flags['yes']),
          dryRun: Boolean(flags['dry-run']),
          ...(tty && process.stdin.isTTY ? { confirm: terminalConfirm(progress, process.stdin, io.stderr) } : {}),
          ...(text(flags, 'testdata-dir') ? { testdataDir: text(flags, 'testdata-dir')! } : {}),
          env: io.env,
          signal: io.signal,
          progress,
          version,
          onReport,
        });
      } finally {
        progress.stop();
      }
    });
    return 0;
  },
};

function formatPlan(report: RunReport): string {
  const lines = [`Plan (schema ${report.schema}, ${report.jobs} job(s)), largest first:`];
  for (const t of report.tables) {
    const masked = Object.entries(t.columns).filter(([, transform]) => transform !== 'keep');
    lines.push(`  ${t.table}${t.status === 'skipped' ? ' (skip: schema only)' : ''}`);
    for (const [column, transform] of masked) lines.push(`      ${column}: ${transform}`);
  }
  if (report.subset) {
    lines.push(`Subset (${report.subset.rounds} rounds), rows selected of the total:`);
    for (const t of report.subset.tables) lines.push(`  ${t.table}: ${t.selected.toLocaleString('en-US')} of ${t.totalExact ? '' : '~'}${t.total.toLocaleString('en-US')}`);
  }
  for (const w of report.warnings) lines.push(`warning: ${w.code} ${w.message}`);
  return `${lines.join('\n')}\n`;
}
