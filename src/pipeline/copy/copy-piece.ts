import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBinaryRowRewriter } from '../../copy/row-rewriter.js';
import type { Session } from '../../db/connection.js';
import type { CopyOutStream } from '../../db/copy-out-stream.js';
import { PgmaskError } from '../../errors.js';
import { LanedRowRewriter, maskingRewriter } from '../../masking/lanes/laned-row-rewriter.js';
import { LANE_MIN_BYTES } from '../../masking/lanes/laned-rows.js';
import type { MaskingSession } from '../../masking/masking-session.js';
import type { RowMasker } from '../../masking/row-masker.js';
import type { MaskedRule } from '../../masking/table-masker.js';
import type { TableReport } from '../run/report.js';
import type { StallError, StallSide, StallWatchdog } from '../run/stall-watchdog.js';
import type { TablePlan } from '../run/table-plan.js';
import type { CopyPiece } from './copy-pieces.js';
import type { JobSessions } from './job-sessions.js';

/** What every piece of one run shares. */
export interface PieceContext {
  /** Built before a byte moves, so that a rule that cannot be built fails the run early. */
  readonly maskers: ReadonlyMap<string, RowMasker<MaskedRule> | undefined>;
  readonly masking: MaskingSession;
  /** Whether a big table's masking may be shared with a second thread (see `LanedRows`). */
  readonly maskThread: boolean;
  /** Tables (plan keys) whose rows move in COPY's binary format (see `copiesBinary`). */
  readonly binary: ReadonlySet<string>;
  /** Bytes of a table's rows before its masking moves partly to a second thread; default `LANE_MIN_BYTES`. */
  readonly laneMinBytes?: number | undefined;
  readonly signal: AbortSignal;
  /** The run's progress watchdog (`--stall-timeout`); none: nothing is watched. */
  readonly watchdog?: StallWatchdog | undefined;
}

const now = (): number => performance.now();

/**
 * Copies one table, or one range of its blocks: source COPY TO → row masker → target COPY
 * FROM, over the job's connections (the source's under the exported snapshot), the target's
 * rows in a transaction of their own, committed once the row counts agree. Adds its rows and bytes to the table's report. A failure
 * discards the job's connections. Under the run's watchdog, a piece that moves no byte for the
 * stall timeout (connecting, copying or committing) fails with a `StallError` naming the table
 * and the side it waits on, its connections dropped.
 */
export async function copyPiece(
  plan: TablePlan,
  ctx: PieceContext,
  sessions: JobSessions,
  result: TableReport,
  piece: CopyPiece,
  onProgress: (rows: number, bytes: number) => void,
): Promise<void> {
  const started = now();
  // The watchdog's view of this piece: bytes read from the source plus bytes the target's socket took.
  let stage: 'open' | 'copy' | 'commit' = 'open';
  let out: CopyOutStream | undefined;
  let into: Session | undefined;
  let rejectStall: (error: StallError) => void = () => {};
  const stalled = new Promise<never>((_resolve, reject) => (rejectStall = reject));
  stalled.catch(() => {});
  const unwatch = ctx.watchdog?.watch({
    table: plan.key,
    progress: () => (out?.bytesSoFar ?? 0) + (into?.bytesFlushed ?? 0),
    side: () => stalledSide(stage, sessions, out),
    onStall: (error) => {
      rejectStall(error);
      sessions.discard();
    },
  });
  try {
    await Promise.race([movePiece(), stalled]);
  } catch (error) {
    sessions.discard();
    throw error;
  } finally {
    unwatch?.();
    result.seconds = Number(((now() - started) / 1000).toFixed(3));
  }

  async function movePiece(): Promise<void> {
    const { source, target } = await sessions.open();
    into = target;
    stage = 'copy';

    const masker = ctx.maskers.get(plan.key);
    const binary = ctx.binary.has(plan.key);
    const format = binary ? ' (FORMAT binary)' : '';

    // A table nothing is masked in passes from server to server in the source's own CopyData messages.
    const copyOut = source.copyOut(piece.copyOutSql + format, !masker);
    out = copyOut;
    const copyIn = target.copyIn(plan.copyInSql + format, !masker);
    const rowStage = !masker
      ? undefined
      : binary
        ? createBinaryRowRewriter({ table: plan.key, forms: plan.columns.map((c) => c.binaryForm), columns: plan.columns.map((c) => c.name), rewrite: (row) => masker.mask(row) })
        : maskingRewriter({ masker, session: ctx.masking, threaded: ctx.maskThread, bytes: piece.bytes, minBytes: laneMinBytes(piece, ctx.laneMinBytes) });
    const rowsSoFar = (): number => rowStage?.rows ?? copyOut.rowsSoFar(binary);
    let lastReport = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        const t = now();
        if (t - lastReport > 200) {
          lastReport = t;
          onProgress(rowsSoFar(), copyOut.bytesSoFar);
        }
        callback(null, chunk);
      },
    });
    // On failure, destroying the COPY TO stream does not stop the server's COPY: `discard` drops the connection so it cannot hang.
    await (rowStage ? pipeline(copyOut, meter, rowStage, copyIn, { signal: ctx.signal }) : pipeline(copyOut, meter, copyIn, { signal: ctx.signal }));
    const sourceRows = copyOut.rowCount;
    const targetRows = copyIn.rowCount;
    if (sourceRows !== targetRows || (rowStage !== undefined && rowStage.rows !== sourceRows)) {
      const range = piece.range ? ` (blocks ${piece.range.fromBlock ?? 0} to ${piece.range.toBlock ?? 'the end'})` : '';
      throw new PgmaskError('ROW_COUNT', `table ${plan.key}${range}: ${sourceRows} rows read from the source, ${targetRows} written to the target`);
    }
    if (rowStage instanceof LanedRowRewriter && rowStage.laned) result.threads = 2;
    if (binary) result.format = 'binary';
    stage = 'commit';
    await sessions.commit();
    onProgress(targetRows, copyOut.bytesSoFar);
    result.rows += targetRows;
    result.bytes += copyOut.bytesSoFar;
  }
}

/**
 * Bytes of a piece's rows before its masking moves partly to a second thread: the run's
 * (`laneMinBytes`) for a whole table and a table's first range; a later range of a table,
 * which has proved big, starts its thread after `RANGE_LANE_MIN_BYTES` (the columns are timed on
 * the rows before it).
 */
function laneMinBytes(piece: CopyPiece, minBytes: number | undefined): number {
  const run = minBytes ?? LANE_MIN_BYTES;
  return piece.range?.fromBlock === undefined ? run : Math.min(run, RANGE_LANE_MIN_BYTES);
}

/** Bytes of a later range's rows before its masking moves partly to a second thread. */
const RANGE_LANE_MIN_BYTES = 1024 * 1024;

/**
 * The side a stalled piece waits on: while connecting, a side not set up yet; during the COPY,
 * the source while its stream still flows (the rows after it take what comes), else the target
 * (its COPY holds the rows back, or the source is done and the target has not confirmed);
 * the commit is the target's.
 */
function stalledSide(stage: 'open' | 'copy' | 'commit', sessions: JobSessions, out: CopyOutStream | undefined): StallSide {
  if (stage === 'open') return sessions.pending.has('source') ? 'source' : 'target';
  if (stage === 'copy' && out && !out.readableEnded && out.readableFlowing !== false) return 'source';
  return 'target';
}
