import { isLocalHost, useMaskThread } from '../../masking/lanes/thread-policy.js';
import { asPgmaskError } from '../run/as-pgmask-error.js';
import type { TableReport } from '../run/report.js';
import { selectRows, subsetCopyOutSql, subsetReport, subsetWarnings } from '../run/select-rows.js';
import type { ConfirmedCopy } from './connect-and-confirm.js';
import { binaryTables } from './copy-format.js';
import { copyPiece, type PieceContext } from './copy-piece.js';
import { type CopyPiece, pieceRuns, planPieces, rangeJobs, SPLIT_MIN_BYTES, splittable } from './copy-pieces.js';
import type { CopyRun } from './copy-run.js';
import { findEmptyTables } from './find-empty-tables.js';
import { JobSessions } from './job-sessions.js';

/** Per table: pieces not yet settled, when the first started, and each piece's rows and bytes so far. */
interface TableProgress {
  left: number;
  started: number;
  readonly rows: Map<CopyPiece, number>;
  readonly bytes: Map<CopyPiece, number>;
}

const now = (): number => performance.now();

/**
 * The data phase: picks each table's COPY format, cuts big tables into block ranges when jobs
 * are free for them, and copies the pieces `jobs` at a time under the exported snapshot,
 * largest first. A failure goes into the report and stops the run: the pieces after it return
 * at once. Each job opens its two connections once (see `JobSessions`); a table with no row in
 * the snapshot is not copied at all (see `findEmptyTables`). Resolves once every
 * piece has settled and every job closed its connections.
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
  // tables: only that session can read the rows, so one job copies every table through it.
  // The selection computes for long without a byte moving: not watched.
  const selection = await source.unguarded(() => selectRows(source, catalog, options.rules.subset));
  if (selection) {
    report.subset = subsetReport(selection);
    report.warnings.push(...subsetWarnings(selection));
  }
  const pieces = selection
    ? (await cutPieces({ ...copy, jobs: 1 }, Number.POSITIVE_INFINITY)).map((piece) => ({ ...piece, copyOutSql: subsetCopyOutSql(selection, piece.plan) }))
    : await cutPieces(copy, options.splitBytes ?? SPLIT_MIN_BYTES);
  const empty = selection ? new Set<string>() : await findEmptyTables(source, copied);
  const tables = new Map<string, TableProgress>(
    copied.map((plan) => [plan.key, { left: pieces.filter((p) => p.plan === plan).length, started: 0, rows: new Map(), bytes: new Map() }]),
  );
  options.progress?.phase?.('data');

  /** Copies one piece; a failure goes into the report and aborts the run. */
  const copyOne = async (piece: CopyPiece, sessions: JobSessions): Promise<void> => {
    const plan = piece.plan;
    const state = tables.get(plan.key)!;
    const result = report.tables.find((t) => t.table === plan.key)!;
    try {
      if (signal.aborted) return;
      if (state.started === 0) {
        state.started = now();
        result.status = 'running';
        options.progress?.tableStarted?.(plan.key);
      }
      // A table with no row in the snapshot needs no COPY: it is loaded as it is.
      if (piece.of === 1 && empty.has(plan.key)) {
        if (ctx.binary.has(plan.key)) result.format = 'binary';
        return;
      }
      await copyPiece(plan, ctx, sessions, result, piece, (rows, bytes) => {
        state.rows.set(piece, rows);
        state.bytes.set(piece, bytes);
        options.progress?.tableProgress?.(plan.key, sum(state.rows), sum(state.bytes));
      });
    } catch (error) {
      result.status = 'failed';
      const failure = asPgmaskError(run.interrupted ? options.signal!.reason : error, plan.key);
      result.error ??= failure.message;
      run.fail(plan.key, failure);
    } finally {
      state.left--;
      if (state.left === 0 && state.started !== 0) tableDone(run, result, piece.of > 1 ? state.started : undefined);
    }
  };
  // `jobs` jobs take the runs in order, each over connections of its own that it keeps for every piece it copies.
  const runs = pieceRuns(pieces, maskers);
  let next = 0;
  const job = async (): Promise<void> => {
    const sessions = new JobSessions({ source: options.source, target: options.target, snapshot, mode: inspected.mode, sourceSession: selection ? source : undefined });
    try {
      while (next < runs.length) {
        for (const piece of runs[next++]!) await copyOne(piece, sessions);
      }
    } finally {
      await sessions.end();
    }
  };
  await Promise.allSettled(Array.from({ length: Math.min(selection ? 1 : jobs, runs.length) }, job));
  if (signal.aborted) throw signal.reason;
  report.warnings.push(...masking.warnings);
}

/**
 * The copy's pieces: a piece per table, except that a big table is read in block ranges when
 * the jobs free for them outnumber the big tables (the source says how many blocks each has).
 */
async function cutPieces(copy: ConfirmedCopy, splitMinBytes: number): Promise<CopyPiece[]> {
  const { source, jobs, prepared } = copy;
  const { catalog, plans, maskers } = prepared;
  const copied = plans.filter((p) => !p.skip);
  const blocks = new Map<string, number>();
  const big = splittable(copied, maskers, splitMinBytes);
  const freeJobs = rangeJobs(copied, maskers, jobs, splitMinBytes);
  if (freeJobs > big.length && catalog.serverVersion >= 140000) {
    for (const plan of big) {
      const [row] = await source.query<{ blocks: string }>(
        `SELECT pg_catalog.pg_relation_size($1::pg_catalog.regclass) / pg_catalog.current_setting('block_size')::bigint AS blocks`,
        [plan.table.sqlName],
      );
      blocks.set(plan.key, Number(row?.blocks ?? 0));
    }
  }
  return planPieces(copied, { jobs: freeJobs, blocks, serverVersion: catalog.serverVersion, splitMinBytes });
}

/** A table's last piece has settled: its report is final, and its indexes and keys may be built. */
function tableDone(run: CopyRun, result: TableReport, rangesStarted: number | undefined): void {
  if (rangesStarted !== undefined) result.seconds = Number(((now() - rangesStarted) / 1000).toFixed(3));
  if (result.status === 'running') result.status = 'copied';
  if (result.status === 'copied') run.postData?.tableLoaded(result.table);
  run.options.progress?.tableFinished?.(result.table, { rows: result.rows, seconds: result.seconds, status: result.status });
}

const sum = (values: Map<CopyPiece, number>): number => {
  let total = 0;
  for (const n of values.values()) total += n;
  return total;
};
