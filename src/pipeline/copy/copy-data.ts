import { isLocalHost, useMaskThread } from '../../masking/lanes/thread-policy.js';
import { asPgmaskError } from '../run/as-pgmask-error.js';
import type { TableReport } from '../run/report.js';
import { selectRows, subsetCopyOutSql, subsetReport, subsetWarnings } from '../run/select-rows.js';
import type { ConfirmedCopy } from './connect-and-confirm.js';
import { binaryTables } from './copy-format.js';
import { copyPiece, type PieceContext } from './copy-piece.js';
import { type CopyPiece, type CopyTask, planTasks, rangePiece, SPLIT_MIN_BYTES, splittable, taskRuns, wholePiece } from './copy-pieces.js';
import type { CopyRun } from './copy-run.js';
import { findEmptyTables } from './find-empty-tables.js';
import { JobSessions } from './job-sessions.js';

/** Per table: when its first piece started, the pieces being copied and their rows and bytes so far, and whether it is finished. */
interface TableProgress {
  started: number;
  running: number;
  finished: boolean;
  readonly moving: Map<CopyPiece, { rows: number; bytes: number }>;
}

const now = (): number => performance.now();

/**
 * The data phase: picks each table's COPY format and copies the tables `jobs` at a time under
 * the exported snapshot, largest first. A big table is read in ranges of heap blocks (see
 * `BlockCursor`): its job takes them one after another, and a job that runs out of tables while
 * it is still being copied takes ranges of the rest. A failure goes into the report and stops
 * the run: no job takes work after it. Each job opens its two connections once (see
 * `JobSessions`); a table with no row in the snapshot is not copied at all (see
 * `findEmptyTables`). Resolves once every piece has settled and every job closed its connections.
 */
export async function copyData(run: CopyRun, copy: ConfirmedCopy, snapshot: string): Promise<void> {
  const { options, report, signal } = run;
  const { source, prepared, inspected, jobs } = copy;
  const { catalog, plans, maskers, masking } = prepared;
  const copied = plans.filter((p) => !p.skip);
  const maskThread = useMaskThread(options.maskThread ?? 'auto', isLocalHost(source.info.host) || isLocalHost(copy.target.info.host));
  const binary = binaryTables(copied, {
    copyFormat: options.copyFormat,
    sourceVersion: catalog.serverVersion,
    targetVersion: inspected.catalog.serverVersion,
    maskThread,
    masked: (key) => maskers.get(key) !== undefined,
  });
  const ctx: PieceContext = {
    maskers,
    masking,
    maskThread,
    binary,
    laneMinBytes: options.laneMinBytes,
    signal,
    watchdog: run.watchdog,
  };

  // A subset is selected in the source session that exported the snapshot, into its temporary
  // tables: only that session can read the rows, so one job copies every table through it, whole.
  // The selection computes for long without a byte moving: not watched.
  const selection = await source.unguarded(() => selectRows(source, catalog, options.rules.subset));
  if (selection) {
    report.subset = subsetReport(selection);
    report.warnings.push(...subsetWarnings(selection));
  }
  const empty = selection ? new Set<string>() : await findEmptyTables(source, copied);
  const tasks = selection
    ? planTasks(copied, maskers, { jobs: 1, blocks: new Map(), serverVersion: catalog.serverVersion }).map((task) => ({
        ...task,
        plan: { ...task.plan, copyOutSql: subsetCopyOutSql(selection, task.plan) },
      }))
    : await cutTasks(copy, options.splitBytes ?? SPLIT_MIN_BYTES, empty);
  const tables = new Map<string, TableProgress>(copied.map((plan) => [plan.key, { started: 0, running: 0, finished: false, moving: new Map() }]));
  const resultOf = (task: CopyTask) => report.tables.find((t) => t.table === task.plan.key)!;
  options.progress?.phase?.('data');

  /**
   * A table's last piece has settled (its cursor handed out every range, none is being copied),
   * or the run stopped with none of its pieces being copied: its report is final, and once
   * copied its indexes and keys may be built. A table the run stopped part way is failed: a
   * `--schema existing` run empties it again.
   */
  const settle = (task: CopyTask): void => {
    const state = tables.get(task.plan.key)!;
    const complete = task.cursor?.exhausted ?? true;
    if (state.finished || state.started === 0 || state.running > 0 || (!complete && !signal.aborted)) return;
    state.finished = true;
    const result = resultOf(task);
    if (!complete && result.status === 'running') {
      result.status = 'failed';
      result.error ??= asPgmaskError(run.interrupted ? options.signal!.reason : signal.reason, task.plan.key).message;
    }
    tableDone(run, result, task.cursor ? state.started : undefined);
  };

  /** Copies one piece of a table; a failure goes into the report and aborts the run. */
  const copyOne = async (task: CopyTask, piece: CopyPiece, sessions: JobSessions): Promise<void> => {
    const plan = task.plan;
    const state = tables.get(plan.key)!;
    const result = resultOf(task);
    if (signal.aborted) return;
    if (state.started === 0) {
      state.started = now();
      result.status = 'running';
      options.progress?.tableStarted?.(plan.key);
    }
    state.running++;
    try {
      // A table with no row in the snapshot needs no COPY: it is loaded as it is.
      if (empty.has(plan.key)) {
        if (ctx.binary.has(plan.key)) result.format = 'binary';
        return;
      }
      await copyPiece(plan, ctx, sessions, result, piece, (rows, bytes) => {
        state.moving.set(piece, { rows, bytes });
        let movingRows = 0;
        let movingBytes = 0;
        for (const m of state.moving.values()) {
          movingRows += m.rows;
          movingBytes += m.bytes;
        }
        options.progress?.tableProgress?.(plan.key, result.rows + movingRows, result.bytes + movingBytes);
      });
    } catch (error) {
      result.status = 'failed';
      const failure = asPgmaskError(run.interrupted ? options.signal!.reason : error, plan.key);
      result.error ??= failure.message;
      run.fail(plan.key, failure);
    } finally {
      state.moving.delete(piece);
      state.running--;
      settle(task);
    }
  };

  /** Copies a table: whole, or range after range for as long as its cursor hands them out. */
  const copyTask = async (task: CopyTask, sessions: JobSessions): Promise<void> => {
    const cursor = task.cursor;
    if (!cursor) return copyOne(task, wholePiece(task.plan), sessions);
    while (!signal.aborted) {
      const range = cursor.take();
      if (!range) return;
      await copyOne(task, rangePiece(task.plan, cursor, range), sessions);
    }
  };

  // Jobs take the runs in order; once none is left, a job takes ranges of the table being read
  // in ranges that has most left. Each job copies over connections of its own that it keeps
  // for every piece it copies (opened at its first).
  const runs = taskRuns(tasks, maskers);
  const ranged = tasks.filter((t) => t.cursor !== undefined);
  let next = 0;
  const nextRun = (): CopyTask[] | undefined => {
    if (signal.aborted) return undefined;
    if (next < runs.length) return runs[next++];
    let most: CopyTask | undefined;
    for (const task of ranged) if (task.cursor!.left > 0 && (!most || bytesLeft(task) > bytesLeft(most))) most = task;
    return most && [most];
  };
  const job = async (): Promise<void> => {
    const sessions = new JobSessions({ source: options.source, target: options.target, snapshot, mode: inspected.mode, sourceSession: selection ? source : undefined });
    try {
      for (let work = nextRun(); work; work = nextRun()) {
        for (const task of work) await copyTask(task, sessions);
      }
    } finally {
      await sessions.end();
    }
  };
  await Promise.allSettled(Array.from({ length: Math.min(selection ? 1 : jobs, Math.max(runs.length, ranged.length ? jobs : 0)) }, job));
  for (const task of tasks) settle(task);
  if (signal.aborted) throw signal.reason;
  report.warnings.push(...masking.warnings);
}

/** Estimated bytes of a ranged table's blocks not handed out yet. */
const bytesLeft = (task: CopyTask): number => (task.cursor!.blocks > 0 ? (task.bytes * task.cursor!.left) / task.cursor!.blocks : 0);

/**
 * The copy's tasks (see `planTasks`): with more than one job on PostgreSQL 14+, the source says
 * how many heap blocks each table that may be read in ranges has (not the empty ones).
 */
async function cutTasks(copy: ConfirmedCopy, splitMinBytes: number, empty: ReadonlySet<string>): Promise<CopyTask[]> {
  const { source, jobs, prepared } = copy;
  const { catalog, plans, maskers } = prepared;
  const copied = plans.filter((p) => !p.skip);
  const blocks = new Map<string, number>();
  const big = splittable(copied, maskers, splitMinBytes).filter((p) => !empty.has(p.key));
  if (jobs > 1 && big.length && catalog.serverVersion >= 140000) {
    const rows = await source.query<{ i: number; blocks: string }>(
      `SELECT t.i, pg_catalog.pg_relation_size(t.name::pg_catalog.regclass) / pg_catalog.current_setting('block_size')::bigint AS blocks
         FROM unnest($1::text[]) WITH ORDINALITY AS t(name, i)`,
      [big.map((p) => p.table.sqlName)],
    );
    for (const row of rows) blocks.set(big[Number(row.i) - 1]!.key, Number(row.blocks));
  }
  return planTasks(copied, maskers, { jobs, blocks, serverVersion: catalog.serverVersion, splitMinBytes });
}

/** A table's last piece has settled: its report is final, and its indexes and keys may be built. */
function tableDone(run: CopyRun, result: TableReport, rangesStarted: number | undefined): void {
  if (rangesStarted !== undefined) result.seconds = Number(((now() - rangesStarted) / 1000).toFixed(3));
  if (result.status === 'running') result.status = 'copied';
  if (result.status === 'copied') run.postData?.tableLoaded(result.table);
  run.options.progress?.tableFinished?.(result.table, { rows: result.rows, seconds: result.seconds, status: result.status });
}
