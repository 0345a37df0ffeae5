import { cpus } from 'node:os';
import type { Session } from '../../db/connection.js';
import { requirePgDump } from '../../db/pg-tools.js';
import { systemIdentity } from '../../db/system-identity.js';
import { UsageError } from '../../errors.js';
import { type Prepared, prepare } from '../run/prepare.js';
import { reportServer } from '../run/report.js';
import { selectRows, subsetReport, subsetWarnings } from '../run/select-rows.js';
import type { CopyRun } from './copy-run.js';
import { copySwapPlan } from './copy-swap-plan.js';
import { inspectTarget, type TargetInspection } from './inspect-target.js';

/** A copy that may go ahead: both connections, what `prepare` decided, what the target holds. */
export interface ConfirmedCopy {
  readonly source: Session;
  readonly target: Session;
  readonly prepared: Prepared;
  readonly inspected: TargetInspection;
  /** Tables copied at a time. */
  readonly jobs: number;
}

/**
 * The first phase: connects to both databases (refusing a target that is the source), checks
 * the rules against the source and plans every table, inspects the target, and fills the
 * report's plan. Returns undefined on `--dry-run`; else confirms overwriting target tables that
 * hold rows (`--yes`, or the caller's `confirm`) and, for `--schema create`, that pg_dump can dump
 * the source.
 */
export async function connectAndConfirm(run: CopyRun): Promise<ConfirmedCopy | undefined> {
  const { options, report } = run;
  options.progress?.phase?.('validate');
  const source = await run.connect('source');
  const target = await run.connect('target');
  run.target = target;
  Object.assign(report, { source: reportServer(source.info), target: reportServer(target.info) });
  if ((await systemIdentity(source)) === (await systemIdentity(target))) {
    throw new UsageError('the target is the source database: refusing to copy a database onto itself');
  }

  const prepared = await prepare(source, { ...options, env: run.env });
  report.warnings.push(...prepared.warnings);
  for (const plan of prepared.plans) {
    report.tables.push({ table: plan.key, status: plan.skip ? 'skipped' : 'pending', rows: 0, bytes: 0, seconds: 0, columns: plan.transforms });
  }
  const inspected = await inspectTarget(target, prepared.plans, options.schema);
  report.schema = inspected.mode;
  if (options.swap && inspected.mode !== 'existing') {
    throw new UsageError('--swap replaces the tables of an existing schema: the target has none of them yet (copy once without --swap, or pass --schema existing)');
  }
  // A subset is read through the one session that selected it (see copyData).
  const jobs = options.rules.subset ? 1 : Math.max(1, options.jobs ?? cpus().length);
  report.jobs = jobs;
  options.progress?.planned?.(prepared.plans.filter((p) => !p.skip).map((p) => ({ table: p.key, rowEstimate: Math.max(0, p.table.rowEstimate) })));

  if (options.dryRun) {
    // Whether the swap could carry over what depends on the tables: a refusal now, not tonight.
    if (options.swap) await copySwapPlan(target, prepared, inspected);
    if (options.rules.subset) {
      // What the subset selects, in a transaction of its own that leaves nothing behind.
      await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ; SET row_security = off');
      const selection = await selectRows(source, prepared.catalog, options.rules.subset);
      if (selection) {
        report.subset = subsetReport(selection);
        report.warnings.push(...subsetWarnings(selection));
      }
      await source.query('ROLLBACK');
    }
    report.outcome = 'planned';
    return undefined;
  }
  await confirmOverwrite(run, inspected);
  if (inspected.mode === 'create') await requirePgDump(prepared.catalog.serverVersion, run.env, 'use --schema existing');
  return { source, target, prepared, inspected, jobs };
}

/** Target tables that hold rows are overwritten only with `--yes`, or when the caller's `confirm` says so. */
async function confirmOverwrite(run: CopyRun, inspected: TargetInspection): Promise<void> {
  const { nonEmpty, mode } = inspected;
  if (!nonEmpty.length || run.options.yes) return;
  const what = mode === 'create' ? 'exist and will be dropped and made anew' : run.options.swap ? 'hold rows that will be replaced' : 'hold rows and will be emptied';
  const question = `${nonEmpty.length} target table(s) ${what} (first: ${nonEmpty[0]}). Go on?`;
  if (run.options.confirm && (await run.options.confirm(question))) return;
  const alternative = mode === 'create' ? ', or --schema existing to load into them' : '';
  throw new UsageError(`${nonEmpty.length} target table(s) ${what} (first: ${nonEmpty[0]}); pass --yes to overwrite them${alternative}`);
}
