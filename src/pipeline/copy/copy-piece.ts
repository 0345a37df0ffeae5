import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBinaryRowRewriter } from '../../copy/row-rewriter.js';
import { PgmaskError } from '../../errors.js';
import { LanedRowRewriter, maskingRewriter } from '../../masking/lanes/laned-row-rewriter.js';
import type { MaskingSession } from '../../masking/masking-session.js';
import type { RowMasker } from '../../masking/row-masker.js';
import type { MaskedRule } from '../../masking/table-masker.js';
import type { TableReport } from '../run/report.js';
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
}

const now = (): number => performance.now();

/**
 * Copies one table, or one range of its blocks: source COPY TO → row masker → target COPY
 * FROM, over the job's connections (the source's under the exported snapshot), the target's
 * rows in a transaction of their own, committed once the row counts agree. Adds its rows and bytes to the table's report. A failure
 * discards the job's connections.
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
  try {
    const { source, target } = await sessions.open();

    const masker = ctx.maskers.get(plan.key);
    const binary = ctx.binary.has(plan.key);
    const format = binary ? ' (FORMAT binary)' : '';

    // A table nothing is masked in passes from server to server in the source's own CopyData messages.
    const out = source.copyOut(piece.copyOutSql + format, !masker);
    const into = target.copyIn(plan.copyInSql + format, !masker);
    const rowStage = !masker
      ? undefined
      : binary
        ? createBinaryRowRewriter({ table: plan.key, forms: plan.columns.map((c) => c.binaryForm), columns: plan.columns.map((c) => c.name), rewrite: (row) => masker.mask(row) })
        : maskingRewriter({ masker, session: ctx.masking, threaded: ctx.maskThread, bytes: plan.table.bytes / piece.of, minBytes: ctx.laneMinBytes });
    const rowsSoFar = (): number => rowStage?.rows ?? out.rowsSoFar(binary);
    let lastReport = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        const t = now();
        if (t - lastReport > 200) {
          lastReport = t;
          onProgress(rowsSoFar(), out.bytesSoFar);
        }
        callback(null, chunk);
      },
    });
    // On failure, destroying the COPY TO stream does not stop the server's COPY: `discard` drops the connection so it cannot hang.
    await (rowStage ? pipeline(out, meter, rowStage, into, { signal: ctx.signal }) : pipeline(out, meter, into, { signal: ctx.signal }));
    const sourceRows = out.rowCount;
    const targetRows = into.rowCount;
    if (sourceRows !== targetRows || (rowStage !== undefined && rowStage.rows !== sourceRows)) {
      const range = piece.of > 1 ? ` (blocks ${piece.fromBlock ?? 0} to ${piece.toBlock ?? 'the end'})` : '';
      throw new PgmaskError('ROW_COUNT', `table ${plan.key}${range}: ${sourceRows} rows read from the source, ${targetRows} written to the target`);
    }
    if (rowStage instanceof LanedRowRewriter && rowStage.laned) result.threads = 2;
    if (binary) result.format = 'binary';
    await sessions.commit();
    onProgress(targetRows, out.bytesSoFar);
    result.rows += targetRows;
    result.bytes += out.bytesSoFar;
  } catch (error) {
    sessions.discard();
    throw error;
  } finally {
    result.seconds = Number(((now() - started) / 1000).toFixed(3));
  }
}
