import type { RunReport } from '../run/report.js';
import { RunFailedError } from '../run/run-failed-error.js';
import { exportSnapshot } from '../run/source-snapshot.js';
import { connectAndConfirm } from './connect-and-confirm.js';
import { copyData } from './copy-data.js';
import type { CopyOptions } from './copy-options.js';
import { CopyRun } from './copy-run.js';
import { finishCopy } from './finish-copy.js';
import { makeSchema } from './make-schema.js';
import { dropTables, emptyTables, removeShadows } from './target-cleanup.js';

export type { CopyOptions } from './copy-options.js';

/**
 * Copies a database into another, masking every column the rules name, under one
 * consistent snapshot, `jobs` tables at a time. Nothing is written when validation fails.
 * The phases: connect and confirm, snapshot, schema, data, post-data and finish; a failure
 * cleans up what the run made and throws a `RunFailedError` carrying the report.
 *
 * @example
 * ```ts
 * const report = await copyDatabase({ source, target, rules: await loadRules('rules.yaml'), key: loadKey({ env: process.env }), version });
 * ```
 */
export async function copyDatabase(options: CopyOptions): Promise<RunReport> {
  const run = new CopyRun(options);
  try {
    const copy = await connectAndConfirm(run);
    if (!copy) return run.report; // --dry-run: the plan only
    const snapshot = await exportSnapshot(copy.source, copy.prepared.plans, run.options.rules.subset !== undefined);
    const loading = await makeSchema(run, copy, snapshot);
    await copyData(run, loading, snapshot);
    await finishCopy(run, loading);
    run.report.outcome = 'succeeded';
    return run.report;
  } catch (error) {
    throw await cleanUp(run, error);
  } finally {
    await run.end();
  }
}

/**
 * After a failure: the report says what failed; the post-data builder stops; a `--schema
 * create` run drops the tables it made; a `--schema existing` run empties the tables a failure
 * left half-loaded, or with `--swap` drops its shadows. Each step gives up after the stall
 * timeout (the target may be what stalled). Returns the error to throw.
 */
async function cleanUp(run: CopyRun, error: unknown): Promise<RunFailedError> {
  const { report, options } = run;
  const failure = run.failure(error);
  report.outcome = run.interrupted ? 'interrupted' : 'failed';
  report.error = { code: failure.code, message: failure.message, table: run.failedTable };
  // A failure after the table's rows were in (its index or key would not build) fails the table too.
  const failedEntry = report.tables.find((t) => t.table === run.failedTable);
  if (failedEntry && failedEntry.status !== 'failed') Object.assign(failedEntry, { status: 'failed', error: failure.message });
  // Each step is bounded by the stall timeout: the target may be what stalled.
  const bounded = <T>(step: () => Promise<T>, otherwise: T): Promise<T> => run.watchdog.during(undefined, 'target', () => {}, step).catch(() => otherwise);
  const { postData, target } = run;
  if (postData && target) await bounded(() => postData.stop(target), undefined);
  if (run.createdTables.length && (await bounded(() => dropTables(options.target, run.createdTables), false))) report.droppedTables = run.createdTables.length;
  // --swap before its commit: the real tables were never touched; the shadows go.
  if (run.swap && !run.swap.swapped) await bounded(() => removeShadows(target, options.target), false);
  // Also a failed table the report counts no row of: a COMMIT whose answer was lost may have committed them.
  const partial = report.tables.filter((t) => t.status === 'failed' && run.loadedTables.has(t.table));
  if (partial.length && (await bounded(() => emptyTables(options.target, [...new Set(partial.map((t) => run.loadedTables.get(t.table)!))]), false))) {
    for (const t of partial) Object.assign(t, { rows: 0, bytes: 0 });
  }
  return new RunFailedError(report, failure);
}
